package org.safeguarding.hub.app;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./hub submit}: partner side, send a sealed submission with mutual TLS and print the receipt or the problem. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Send a sealed submission (.p7m) to the hub over mutual TLS; print the receipt or the problem.")
final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "https://localhost:8443/", description = "The hub (default: ${DEFAULT-VALUE}).")
    URI url;

    @Mixin
    ParticipantKeyOptions me;

    @Option(names = "--ca", required = true, paramLabel = "ca.pem")
    Path ca;

    @Parameters(paramLabel = "FILE.p7m")
    Path file;

    @Override
    public Integer call() throws Exception {
        HubClient client = new HubClient(url, me.load(), ca);
        var response = client.post("api/v1/submissions", "application/pkcs7-mime", Files.readAllBytes(file));
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            spec.commandLine().getOut().println(body);
            return 0;
        }
        spec.commandLine().getErr().println("hub: HTTP " + response.statusCode() + " " + body);
        return 3;
    }
}
