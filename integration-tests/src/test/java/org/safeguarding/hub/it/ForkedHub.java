package org.safeguarding.hub.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * A hub in a JVM of its own ({@code HubCommand run --config DIR}, as {@link LargeSubmissionIT} starts it) on one data
 * directory that outlives it: killed with SIGKILL and started again on the same data and the same ports (chosen once).
 * Every generation writes to the same log, {@code hub.log}. Clients that lost their connection wait on
 * {@link #awaitUp} instead of hammering a hub that is not there.
 */
final class ForkedHub implements AutoCloseable, PartnerTarget {
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    final Path root;
    final Path config;
    final Path log;
    final int httpsPort;
    final int managementPort;
    final int corePort;
    final int sftpPort;
    private final HttpClient health = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private boolean up;
    private int starts;

    private ForkedHub(Path root, Path config, int httpsPort, int managementPort, int corePort, int sftpPort) {
        this.root = root;
        this.config = config;
        this.log = root.resolve("hub.log");
        this.httpsPort = httpsPort;
        this.managementPort = managementPort;
        this.corePort = corePort;
        this.sftpPort = sftpPort;
    }

    /** Writes the configuration (reference partnership, CORE/TLS on, SFTP on if asked) with ports fixed once. */
    static ForkedHub configure(Path root, TestPki pki, boolean sftp) throws IOException {
        int https = freePort();
        int management = freePort();
        int core = freePort();
        int sftpPort = sftp ? freePort() : -1;
        Path config = RunningHub.writeConfig(root, pki, "http:\n  port: " + https + "\n"
                + "management:\n  host: 127.0.0.1\n  port: " + management + "\n"
                // the hub's own default for delivery attempts: a crash replay must not use up a submission's chances
                + "broker:\n  corePort: " + core + "\n  maxDeliveryAttempts: 10\n"
                + (sftp ? "sftp:\n  host: 127.0.0.1\n  port: " + sftpPort + "\n" : ""));
        return new ForkedHub(root, config, https, management, core, sftpPort);
    }

    /**
     * One node of several ({@code extraYaml}: the shared broker, audit store and registry, and the keys every node
     * shares); no broker listener of its own, no SFTP drop; ports fixed once.
     */
    static ForkedHub node(Path root, TestPki pki, String extraYaml) throws IOException {
        int https = freePort();
        int management = freePort();
        Path config = RunningHub.writeConfig(root, pki, "http:\n  port: " + https + "\n"
                + "management:\n  host: 127.0.0.1\n  port: " + management + "\n" + extraYaml);
        return new ForkedHub(root, config, https, management, -1, -1);
    }

    /** The JSON the node's {@code /observe/health} answers now, or null when it does not answer. */
    String health() {
        try {
            return this.health.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/observe/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The Prometheus text the node's {@code /observe/metrics} answers now, or null when it does not answer. */
    String metrics() {
        try {
            return this.health.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/observe/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public String baseUrl() {
        return "https://localhost:" + httpsPort + "/";
    }

    /** Starts a hub process on the data directory and waits until /observe/health answers 200. */
    void start() {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "org.safeguarding.hub.app.HubCommand", "run", "--config", config.toString());
        try {
            Files.writeString(log, "==== test: start #" + (starts + 1) + " ====\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            synchronized (this) {
                process = p;
                starts++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitHealthy();
        synchronized (this) {
            up = true;
            notifyAll();
        }
    }

    /**
     * Waits (bounded) until the hub's metrics show nothing waiting on its intake and audit queues: every step it
     * committed is routed and recorded in the audit store and the registry.
     */
    void awaitRecorded() {
        Await.until("the hub's intake and audit queues to be empty (its metrics)", Duration.ofSeconds(60), () -> {
            try {
                String text = health.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/observe/metrics")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                return depth(text, "hub.audit") == 0 && depth(text, "hub.intake") == 0;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private static double depth(String metrics, String queue) {
        return metrics.lines().filter(l -> l.startsWith("hub_queue_depth{queue=\"" + queue + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    /** SIGKILL (Process.destroyForcibly is SIGKILL on Linux): no shutdown hook, no flush, no closing checkpoint. */
    void kill() throws InterruptedException {
        Process p;
        synchronized (this) {
            up = false;
            p = process;
        }
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the hub did not die of SIGKILL within 30 s");
        }
    }

    /** SIGTERM, as an operator (or systemd) stops it; waits for the process to end and returns its exit status. */
    int stop() throws InterruptedException {
        Process p;
        synchronized (this) {
            up = false;
            p = process;
        }
        if (p == null) {
            return -1;
        }
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("the hub did not stop within 60 s of SIGTERM");
            }
        }
        return p.exitValue();
    }

    /** Blocks until the current generation is healthy (or the timeout passes); true if it is up. */
    @Override
    public synchronized boolean awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!up) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    synchronized int starts() {
        return starts;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    private void awaitHealthy() {
        String state = Await.value("the hub (start #" + starts() + ") to answer /observe/health with 200",
                START_TIMEOUT, () -> {
                    if (!alive()) {
                        return "DIED";
                    }
                    HttpResponse<String> r = health.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + managementPort + "/observe/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 ? "UP" : r.body();
                }, s -> s.equals("UP") || s.equals("DIED"));
        if (state.equals("DIED")) {
            throw new AssertionError("the hub (start #" + starts() + ") died while starting on its data:\n" + tail(60));
        }
    }

    /** The last lines of the hub's log, for a failure message. */
    String tail(int lines) {
        try {
            List<String> all = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** How many times the log says {@code text}. */
    long logCount(String text) {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
