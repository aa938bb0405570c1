package org.safeguarding.hub.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.settings.SettingsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./hub run --config DIR}: the hub from a configuration directory, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the hub from a configuration directory (hub.yaml, partnership.yaml).")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "DIR", description = "The configuration directory.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        if (!Files.isDirectory(config)) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, config + " is not a directory: give the"
                    + " configuration directory that holds hub.yaml and partnership.yaml.");
        }
        HubSettings settings = SettingsLoader.load(config);
        runUntilStopped(settings, spec.commandLine().getOut(), null);
        return 0;
    }

    /**
     * Starts the hub, prints where it listens, and blocks until SIGTERM or SIGINT ({@link StopSignals}); then closes it
     * and returns, so that the process exits 0.
     */
    static void runUntilStopped(HubSettings settings, java.io.PrintWriter out, Runnable afterStart)
            throws InterruptedException {
        HubApplication app = HubApplication.start(settings, Clock.systemUTC());
        StopSignals signals = StopSignals.install();
        // for an exit that is not one of the signals (System.exit elsewhere, a signal the JVM keeps to itself)
        Thread hook = new Thread(() -> {
            try {
                app.close();
            } finally {
                // log4j's own shutdown hook is off, so that the hub's last words are logged
                org.apache.logging.log4j.LogManager.shutdown();
            }
        }, "hub-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("hub running%n");
        app.listeners().forEach(l -> out.printf("  %s%n", l));
        if (afterStart != null) {
            afterStart.run();
        }
        out.println("Ctrl-C (or SIGTERM) stops the hub.");
        out.flush();
        signals.await();
        // a signal asked for the stop: close here and return, so the command exits 0
        Runtime.getRuntime().removeShutdownHook(hook);
        hook.run();
        out.println("hub stopped");
        out.flush();
    }
}
