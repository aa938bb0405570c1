package org.safeguarding.hub.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.safeguarding.hub.crypto.testing.Await;

/** A {@link BrokerNode} in a JVM of its own (the test class path), its output in a log file; kill -9 on demand. */
final class ForkedBrokerNode implements AutoCloseable {
    private final Process process;
    final Path log;
    final int corePort;

    private ForkedBrokerNode(Process process, Path log, int corePort) {
        this.process = process;
        this.log = log;
        this.corePort = corePort;
    }

    static ForkedBrokerNode start(Path configDirectory, int corePort) throws IOException {
        Path log = configDirectory.resolve("node.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError", "-Dorg.apache.logging.log4j.level=INFO",
                "-cp", System.getProperty("java.class.path"), BrokerNode.class.getName(), configDirectory.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ForkedBrokerNode(p, log, corePort);
    }

    /** Until its CORE acceptor takes connections (a live node; a backup listens only once it is live). */
    void awaitListening(Duration timeout) {
        Await.until("broker node listening on " + corePort + " (log " + log + ")", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the broker node died; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", corePort), 500);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** SIGKILL: no shutdown hook, no journal flush beyond what was synced. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the broker node did not die of SIGKILL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
