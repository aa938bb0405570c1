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

    @Option(names = "--ca", required = true, paramLabel = "ca.pem")
    Path ca;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Override
    public Integer call() throws Exception {
        Identity identity = me.load();
        HubClient client = new HubClient(url, identity, ca);
        var list = client.get("api/v1/inbox");
        if (list.statusCode() != 200) {
            throw new HubException(ErrorCode.BAD_REQUEST, "the inbox answered HTTP " + list.statusCode() + ": "
                    + new String(list.body(), StandardCharsets.UTF_8));
        }
        Files.createDirectories(out);
        int saved = 0;
        for (JsonNode entry : new ObjectMapper().readTree(list.body())) {
            String id = entry.path("packageId").asText();
            var pkg = client.get("api/v1/inbox/" + id);
            if (pkg.statusCode() != 200) {
                spec.commandLine().getErr().printf("hub: package %s: HTTP %d%n", id, pkg.statusCode());
                continue;
            }
            byte[] json = OpenCommand.open(pkg.body(), identity, ca);
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
