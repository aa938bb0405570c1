package org.safeguarding.hub.app;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.inbox.HubClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What a partner's command needs to send the hub something sealed (a withdrawal, a correction): the hub's address, the
 * partner's key, the CA and the hub's certificate; it signs as the partner, seals to the hub, posts over mutual TLS and
 * prints the receipt (exit 0) or the problem (exit 3).
 */
final class PartnerSending {
    @Option(names = "--url", defaultValue = "https://localhost:8443/",
            description = "The hub's HTTPS address (default: ${DEFAULT-VALUE}).")
    URI url;

    @Mixin
    ParticipantKeyOptions me;

    @Option(names = "--ca", required = true, paramLabel = "ca.pem",
            description = "The partnership CA, which the hub's certificate must be issued by.")
    Path ca;

    @Option(names = "--to", required = true, paramLabel = "hub.pem", description = "The hub's certificate.")
    Path hub;

    /** The partner's signing identity. */
    Identity signer() throws Exception {
        return me.load();
    }

    /** Seals {@code json} as {@code signer} to the hub, posts it to {@code path}, prints the answer. */
    int send(CommandSpec spec, Identity signer, String path, byte[] json) throws Exception {
        byte[] sealed = new CmsSealer(AlgorithmPolicy.defaults()).seal(json, signer, List.of(Pem.readCertificate(hub)),
                ContentEncryption.AES_256_GCM);
        var response = new HubClient(url, signer, ca).post(path, "application/pkcs7-mime", sealed);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            spec.commandLine().getOut().println(body);
            return 0;
        }
        spec.commandLine().getErr().println("hub: HTTP " + response.statusCode() + " " + body);
        return 3;
    }
}
