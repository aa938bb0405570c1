package org.safeguarding.hub.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.Callable;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./hub receive}: recipient side, fetch every pending package, open and verify it, save
 * the JSON, then acknowledge it. A package is acknowledged only once it is saved. The inbox listing is paged: every
 * page is read, following {@code Link: <...>; rel="next"} until there is none (bounded by {@link #MAX_PAGES}).
 */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = "Fetch pending packages, decrypt and verify each, save its JSON to --out, then acknowledge it.")
final class ReceiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where each package's JSON is saved, as PACKAGE_ID.json (readable by you alone).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (as != null && !me.absent()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "give either --as R or --cert, not both.");
        }
        Identity identity = as != null
                ? org.safeguarding.hub.crypto.Identities.load(recipientFile(), null, DemoData.password())
                : me.load();
        Path caPem = ca != null ? ca : as != null ? pki.resolve("ca.pem") : null;
        if (caPem == null) {
            throw new HubException(ErrorCode.BAD_REQUEST, "give the partnership CA with --ca ca.pem.");
        }
        HubClient client = new HubClient(url, identity, caPem);
        if (PrivateFiles.createFolder(out)) {
            spec.commandLine().getErr().printf("hub: warning: %s can be listed by others; the packages saved in it are"
                    + " readable by you alone%n", out);
        }
        ObjectMapper json = new ObjectMapper();
        int saved = 0;
        int seen = 0;
        long total = -1;
        URI page = url.resolve(INBOX);
        Set<String> pagesAsked = new HashSet<>();
        for (int pages = 0; page != null; pages++) {
            if (pages >= MAX_PAGES || !pagesAsked.add(page.toString())) {
                spec.commandLine().getOut().printf("%d packages received%n", saved);
                throw new HubException(ErrorCode.INTERNAL, "the inbox listing did not end after " + pages
                        + " pages; " + saved + " packages were received and acknowledged, run receive again.");
            }
            var list = client.get(page);
            if (list.statusCode() != 200) {
                throw new HubException(ErrorCode.BAD_REQUEST, "the inbox answered HTTP " + list.statusCode() + ": "
                        + new String(list.body(), StandardCharsets.UTF_8));
            }
            JsonNode entries = json.readTree(list.body());
            if (total < 0) {
                total = list.headers().firstValue("Inbox-Pending").map(ReceiveCommand::count).orElse(-1L);
            }
            for (JsonNode entry : entries) {
                seen++;
                spec.commandLine().getErr().printf("[%d/%d] ", seen, Math.max(total, seen));
                if (receive(client, entry.path("packageId").asText(), identity, caPem)) {
                    saved++;
                }
            }
            page = entries.isEmpty() ? null : next(list.headers().allValues("Link"));
        }
        spec.commandLine().getOut().printf("%d packages received%n", saved);
        return 0;
    }

    /** R.p12 in the --pki folder; when there is none, says where it looked and which participants are there. */
    private Path recipientFile() throws java.io.IOException {
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

    /** Fetches, opens and saves one package, then acknowledges it; whether it was saved. */
    private boolean receive(HubClient client, String id, Identity identity, Path caPem) throws Exception {
        if (!PACKAGE_ID.matcher(id).matches()) {
            spec.commandLine().getErr().printf("hub: the inbox listed a package id that is not one%n");
            return false;
        }
        var pkg = client.get("api/v1/inbox/" + id);
        if (pkg.statusCode() != 200) {
            spec.commandLine().getErr().printf("hub: package %s: HTTP %d%n", id, pkg.statusCode());
            return false;
        }
        byte[] opened = OpenCommand.open(pkg.body(), identity, caPem);
        Path target = out.resolve(id + ".json");
        PrivateFiles.write(target, opened);
        var ack = client.post("api/v1/inbox/" + id + "/ack", null, new byte[0]);
        spec.commandLine().getOut().printf("%s saved to %s, %s%n", id, target,
                ack.statusCode() == 204 ? "acknowledged" : "NOT acknowledged (HTTP " + ack.statusCode() + ")");
        return true;
    }

    /**
     * The next page from the {@code Link} header ({@code rel="next"}), resolved against the inbox's address; only a
     * page of the same inbox on the same hub is followed (the client's certificate goes nowhere else).
     */
    URI next(List<String> links) {
        for (String header : links) {
            Matcher m = NEXT.matcher(header);
            while (m.find()) {
                URI next = url.resolve(INBOX).resolve(m.group(1).trim());
                URI inbox = url.resolve(INBOX);
                if (!java.util.Objects.equals(next.getScheme(), inbox.getScheme())
                        || !java.util.Objects.equals(next.getRawAuthority(), inbox.getRawAuthority())
                        || !java.util.Objects.equals(next.getRawPath(), inbox.getRawPath())) {
                    throw new HubException(ErrorCode.BAD_REQUEST, "the inbox's next page is not on the same hub's"
                            + " inbox; not followed.");
                }
                return next;
            }
        }
        return null;
    }

    private static long count(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static final String INBOX = "api/v1/inbox";
    /** A bound on the pages followed in one run: 10,000 pages of up to 1,000 packages. */
    static final int MAX_PAGES = 10_000;
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*?rel=\"?next\"?");
    private static final Pattern PACKAGE_ID = Pattern.compile("[0-9a-fA-F-]{36}");
}
