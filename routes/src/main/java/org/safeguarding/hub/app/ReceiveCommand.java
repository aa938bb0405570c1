package org.safeguarding.hub.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * the JSON, then acknowledge it. A package is acknowledged only once it is saved.
 */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = "Fetch pending packages, decrypt and verify each, save its JSON to --out, then acknowledge it.")
final class ReceiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "https://localhost:8443/")
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

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (as != null && !me.absent()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "give either --as R or --cert, not both.");
        }
        Identity identity = as != null
                ? org.safeguarding.hub.crypto.Identities.load(pki.resolve(as + ".p12"), null, DemoData.password())
                : me.load();
        Path caPem = ca != null ? ca : as != null ? pki.resolve("ca.pem") : null;
        if (caPem == null) {
            throw new HubException(ErrorCode.BAD_REQUEST, "give the partnership CA with --ca ca.pem.");
        }
        HubClient client = new HubClient(url, identity, caPem);
        var list = client.get("api/v1/inbox");
        if (list.statusCode() != 200) {
            throw new HubException(ErrorCode.BAD_REQUEST, "the inbox answered HTTP " + list.statusCode() + ": "
                    + new String(list.body(), StandardCharsets.UTF_8));
        }
        Files.createDirectories(out);
        int saved = 0;
        JsonNode entries = new ObjectMapper().readTree(list.body());
        int total = entries.size();
        int seen = 0;
        for (JsonNode entry : entries) {
            seen++;
            spec.commandLine().getErr().printf("[%d/%d] ", seen, total);
            String id = entry.path("packageId").asText();
            var pkg = client.get("api/v1/inbox/" + id);
            if (pkg.statusCode() != 200) {
                spec.commandLine().getErr().printf("hub: package %s: HTTP %d%n", id, pkg.statusCode());
                continue;
            }
            byte[] json = OpenCommand.open(pkg.body(), identity, caPem);
            Path target = out.resolve(id + ".json");
            Path tmp = out.resolve(id + ".json.part");
            Files.write(tmp, json);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            var ack = client.post("api/v1/inbox/" + id + "/ack", null, new byte[0]);
            spec.commandLine().getOut().printf("%s saved to %s, %s%n", id, target,
                    ack.statusCode() == 204 ? "acknowledged" : "NOT acknowledged (HTTP " + ack.statusCode() + ")");
            saved++;
        }
        spec.commandLine().getOut().printf("%d packages received%n", saved);
        return 0;
    }
}
