package org.safeguarding.hub.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.safeguarding.hub.crypto.Identities;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Who a recipient-side command runs as and which hub it reads: {@code --as R --pki DIR} (R's PKCS#12 and the CA from
 * the PKI folder) or {@code --cert/--key} with {@code --ca}, and {@code --url}. {@code ./hub receive} and
 * {@code ./hub desk} take the same.
 */
final class RecipientKeyOptions {
    @Option(names = "--url", defaultValue = "https://localhost:8443/",
            description = "The hub's HTTPS address (default: ${DEFAULT-VALUE}).")
    URI url;

    @Mixin
    ParticipantKeyOptions me;

    @Option(names = "--ca", paramLabel = "ca.pem", description = "The partnership CA (default with --as: DIR/ca.pem).")
    Path ca;

    @Option(names = "--as", paramLabel = "R",
            description = "Receive as recipient R with its PKCS#12 from the --pki folder, instead of --cert/--key.")
    String as;

    @Option(names = "--pki", defaultValue = "demo-data/pki", paramLabel = "DIR",
            description = "With --as: where R.p12 and ca.pem are (default: ${DEFAULT-VALUE}).")
    Path pki;

    /** The recipient's key and certificate, from --as or --cert/--key. */
    Identity identity() throws IOException {
        if (as != null && !me.absent()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "give either --as R or --cert, not both.");
        }
        return as != null ? Identities.load(recipientFile(), null, DemoData.password()) : me.load();
    }

    /** The partnership CA: --ca, else with --as the PKI folder's ca.pem. */
    Path caPem() {
        Path caPem = ca != null ? ca : as != null ? pki.resolve("ca.pem") : null;
        if (caPem == null) {
            throw new HubException(ErrorCode.BAD_REQUEST, "give the partnership CA with --ca ca.pem.");
        }
        return caPem;
    }

    /** R.p12 in the --pki folder; when there is none, says where it looked and which participants are there. */
    private Path recipientFile() throws IOException {
        Path p12 = pki.resolve(as + ".p12");
        if (Files.isRegularFile(p12)) {
            return p12;
        }
        if (!Files.isDirectory(pki)) {
            throw new HubException(ErrorCode.BAD_REQUEST, "--pki " + pki + " is not a folder: give the PKI folder that"
                    + " holds R.p12 and ca.pem (the demo's is demo-data/pki, made by ./hub demo or ./hub pki init).");
        }
        List<String> there;
        try (var files = Files.list(pki)) {
            there = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".p12"))
                    .map(n -> n.substring(0, n.length() - 4)).filter(n -> !n.equals("hub")).sorted().toList();
        }
        throw new HubException(ErrorCode.BAD_REQUEST, "no participant " + as + " in " + pki + " (looked for " + p12
                + "); " + (there.isEmpty() ? "that folder holds no PKCS#12 file: give the PKI folder with --pki"
                : "give --as one of: " + String.join(", ", there) + " (or another folder with --pki)") + ".");
    }
}
