package org.safeguarding.hub.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.it.HubConfigs;

/**
 * The hub under load, in a JVM of its own as an operator runs it ({@code HubCommand run --config DIR}), on the
 * end-to-end tests' configuration (durable broker journal, default H2 audit store) with the CORE/TLS listener on for
 * the recipients' consumers. Loopback only; every port is a free one.
 */
final class HubProcess implements HubUnderLoad {
    private final Process process;
    private final Path log;
    final int httpsPort;
    final int corePort;
    final int managementPort;

    private HubProcess(Process process, Path log, int httpsPort, int corePort, int managementPort) {
        this.process = process;
        this.log = log;
        this.httpsPort = httpsPort;
        this.corePort = corePort;
        this.managementPort = managementPort;
    }

    /**
     * Starts the hub with {@code classpath} (its runtime: {@code routes/target/hub.jar} of any build, or this JVM's
     * class path) and waits until {@code /observe/health} answers 200, for at most {@code startTimeout}.
     */
    static HubProcess start(Path root, TestPki pki, String classpath, List<String> jvmOptions, String extraHubYaml,
                            Duration startTimeout) throws IOException {
        int https = freePort();
        int core = freePort();
        int management = freePort();
        // the load comes from one partner's certificate: it may use every submission slot, as all partners together could
        String yaml = "http:\n  port: " + https + "\n  maxSubmissionsPerPartner: 32\nmanagement:\n  host: 127.0.0.1\n  port: " + management
                + "\nbroker:\n  corePort: " + core + "\n";
        Path config = HubConfigs.write(root, pki, yaml);
        if (!extraHubYaml.isBlank()) {
            // merged over the benchmark's own keys, for experiments (e.g. a larger maxConcurrentSubmissions)
            var mapper = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
            var merged = mapper.readTree(config.resolve("hub.yaml").toFile());
            mapper.readerForUpdating(merged).readValue(extraHubYaml);
            mapper.writeValue(config.resolve("hub.yaml").toFile(), merged);
        }
        Path log = root.resolve("hub.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(List.of("-cp", classpath, "org.safeguarding.hub.app.HubCommand", "run", "--config",
                config.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HubProcess hub = new HubProcess(p, log, https, core, management);
        // a benchmark stopped by Ctrl-C or a failure takes its hub with it
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "bench-hub-stop"));
        try {
            hub.awaitHealthy(startTimeout);
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
        return hub;
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub exited at start (code " + process.exitValue() + "):\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + managementPort + "/observe/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the hub started", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException("the hub was not healthy within " + timeout.toSeconds() + " s:\n" + tail());
    }

    @Override
    public List<URI> bases() {
        return List.of(URI.create("https://localhost:" + httpsPort + "/"));
    }

    @Override
    public List<String> consumerServers() {
        return List.of("tcp://127.0.0.1:" + corePort);
    }

    @Override
    public String consumerOptions() {
        return "reconnectAttempts=0";
    }

    @Override
    public String describe() {
        return "pid " + pid() + ", HTTPS " + httpsPort + ", CORE/TLS " + corePort;
    }

    /** CPU time the hub's JVM has used so far, in nanoseconds (-1 when the platform does not say). */
    @Override
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /**
     * CPU the hub's JIT compiler threads used so far (Linux {@code /proc}, at clock-tick resolution; -1 elsewhere). A
     * compiler thread that ended took its time with it, so this is a lower bound.
     */
    @Override
    public long jitCpuNanos() {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        if (!Files.isDirectory(tasks)) {
            return -1;
        }
        long ticks = 0;
        try (var all = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) all::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open || !stat.substring(open + 1, close).contains("Compiler")) {
                    continue;
                }
                String[] f = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The last lines of the hub's log (its log carries no intelligence content). */
    @Override
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the hub as an operator does (SIGTERM), forcibly after 30 s. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
