package org.safeguarding.hub.app;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.desk.Desk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./hub desk}: the officer's desk at the recipient's site. It fetches the recipient's packages with its own key,
 * keeps them encrypted under a key of its own, applies recalls and the retention, and shows them on a page on
 * loopback, opened once with the address it prints. Runs until stopped (Ctrl-C).
 */
@Command(name = "desk", mixinStandardHelpOptions = true,
        description = {"The officer's desk: fetch your packages, keep them encrypted on this machine, and read them on a"
                + " page at 127.0.0.1 (open the address printed at start). Runs until Ctrl-C."})
final class DeskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RecipientKeyOptions recipient;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where the desk keeps its key and the packages, encrypted (default: desk-data/R).")
    Path data;

    @Option(names = "--port", defaultValue = "8480", paramLabel = "PORT",
            description = "The page's port on 127.0.0.1; 0 for a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--poll", defaultValue = "PT30S", paramLabel = "DURATION",
            description = "How often the inbox is fetched again, as an ISO-8601 duration (default: ${DEFAULT-VALUE}).")
    Duration poll;

    @Option(names = "--retention", defaultValue = "P90D", paramLabel = "DURATION",
            description = "How long a package is kept, from when the hub routed it; then it is deleted (default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Override
    public Integer call() throws Exception {
        Identity identity = recipient.identity();
        Path ca = recipient.caPem();
        String me = recipient.as != null ? recipient.as : Certificates.commonName(identity.certificate());
        Path dataDir = data != null ? data : Path.of("desk-data", me);
        StopSignals stop = StopSignals.install();
        try (Desk desk = Desk.start(new Desk.Settings(recipient.url, dataDir, port, poll, retention), identity, ca, me,
                Clock.systemUTC())) {
            spec.commandLine().getOut().printf("desk for %s: packages kept encrypted in %s%n", me, dataDir);
            spec.commandLine().getOut().printf("open this address once (it is yours alone; do not share it): %s%n",
                    desk.launchUrl());
            spec.commandLine().getOut().flush();
            stop.await();
        }
        return 0;
    }
}
