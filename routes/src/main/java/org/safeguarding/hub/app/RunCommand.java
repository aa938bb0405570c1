package org.safeguarding.hub.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

    /** Starts the hub, prints where it listens, and blocks until the JVM is asked to stop. */
    static void runUntilStopped(HubSettings settings, java.io.PrintWriter out, Runnable afterStart)
            throws InterruptedException {
        HubApplication app = HubApplication.start(settings, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.close();
            } finally {
                stopped.countDown();
                // log4j's own shutdown hook is off, so that the hub's last words are logged
                org.apache.logging.log4j.LogManager.shutdown();
            }
        }, "hub-shutdown"));
        out.printf("hub running%n  HTTPS API   https://%s:%d/api/v1 (client certificate required)%n"
                        + "  management  http://%s:%d/observe/health%n",
                settings.http().host(), app.httpsPort(), settings.management().host(), app.managementPort());
        if (app.sftpPort() > 0) {
            out.printf("  SFTP drop   sftp -P %d <partner>@<host> (the partner's certificate key)%n", app.sftpPort());
        }
        if (afterStart != null) {
            afterStart.run();
        }
        out.println("Ctrl-C stops the hub.");
        out.flush();
        stopped.await();
    }
}
