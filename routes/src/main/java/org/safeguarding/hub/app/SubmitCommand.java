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
import org.safeguarding.hub.inbox.HubClient;

/** {@code ./hub submit}: partner side, send a sealed submission with mutual TLS and print the receipt or the problem. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Send a sealed submission (.p7m) to the hub over mutual TLS; print the receipt or the problem.")
final class SubmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "https://localhost:8443/",
            description = "The hub's HTTPS address (default: ${DEFAULT-VALUE}).")
    URI url;

    @Mixin
    ParticipantKeyOptions me;

    @Option(names = "--ca", required = true, paramLabel = "ca.pem",
            description = "The partnership CA, which the hub's certificate must be issued by.")
    Path ca;

    @Parameters(paramLabel = "FILE.p7m", arity = "0..1", description = "One sealed submission.")
    Path file;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Send every *.p7m in DIR instead; a ledger in DIR lets a second run resume where this stopped.")
    Path dir;

    @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N",
            description = "With --dir: how many submissions at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (dir == null)) {
            throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.BAD_REQUEST,
                    "give either one FILE.p7m or --dir DIR.");
        }
        HubClient client = new HubClient(url, me.load(), ca);
        if (dir != null) {
            BatchSubmission.Summary s = new BatchSubmission(client, dir, concurrency, spec.commandLine().getErr(),
                    ProgressBar.onTerminal()).run();
            spec.commandLine().getOut().printf("%d files: %d accepted, %d refused, %d to retry, %d already done"
                            + " before%s%n", s.files(), s.accepted(), s.refused(), s.toRetry(), s.alreadyDone(),
                    s.toRetry() > 0 ? " (run the same command again to resume)" : "");
            spec.commandLine().getOut().printf("answers are in %s%n", dir.resolve(BatchSubmission.LEDGER));
            return s.complete() ? 0 : 3;
        }
        var response = client.post("api/v1/submissions", "application/pkcs7-mime", Files.readAllBytes(file));
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            spec.commandLine().getOut().println(body);
            if (response.statusCode() == 200) {
                spec.commandLine().getErr().println(repeatNote(body));
            }
            return 0;
        }
        spec.commandLine().getErr().println("hub: HTTP " + response.statusCode() + " " + body);
        return 3;
    }

    /** A 200 is the hub's answer to a submission it already had: the first receipt, nothing accepted anew. */
    static String repeatNote(String receipt) {
        String id;
        try {
            id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(receipt).path("receiptId").asText("");
        } catch (java.io.IOException e) {
            id = "";
        }
        return "hub: a repeat: the hub already had this submission and answered with its first receipt"
                + (id.isEmpty() ? "" : " " + id) + "; nothing new was accepted";
    }
}
