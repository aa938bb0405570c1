package org.safeguarding.hub.bench;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.safeguarding.hub.broker.BrokerPairConfig;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The hub as several nodes for the load benchmark ({@code --nodes N}): an Artemis live/backup pair with replication
 * (two broker JVMs, {@code HubCommand broker run}, as {@code ./hub broker init} configures them), the audit trail and
 * the registry in PostgreSQL (the server named by HUB_TEST_POSTGRES_URL, _USER, _PASSWORD; schemas of the run's own,
 * dropped at the end), and N hub nodes, all from the same class path, on loopback. Its CPU is every JVM's plus the
 * PostgreSQL server's, so the cost per submission compares with the single hub's, whose broker and H2 stores are in
 * its own JVM.
 */
final class HubCluster implements HubUnderLoad {
    private final List<HubProcess> nodes = new ArrayList<>();
    private final List<Process> brokers = new ArrayList<>();
    private final List<String> brokerUrls = new ArrayList<>();
    private final String pgUrl = System.getenv("HUB_TEST_POSTGRES_URL");
    private final String pgUser = env("HUB_TEST_POSTGRES_USER");
    private final String pgPassword = env("HUB_TEST_POSTGRES_PASSWORD");
    private final String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private HubCluster() {
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v != null ? v : System.getenv(name.replace("HUB_TEST_POSTGRES_", "HUB_TEST_POSTGRES_URL_"));
    }

    static HubCluster start(Path root, TestPki pki, String classpath, List<String> jvmOptions, String extraHubYaml,
                            int nodeCount, Duration startTimeout) throws Exception {
        HubCluster c = new HubCluster();
        try {
            c.startAll(root, pki, classpath, jvmOptions, extraHubYaml, nodeCount, startTimeout);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void startAll(Path root, TestPki pki, String classpath, List<String> jvmOptions, String extraHubYaml,
                          int nodeCount, Duration startTimeout) throws Exception {
        if (pgUrl == null) {
            throw new IllegalStateException("--nodes needs PostgreSQL: set HUB_TEST_POSTGRES_URL, _USER and _PASSWORD");
        }
        try (var c = DriverManager.getConnection(pgUrl, pgUser, pgPassword); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema + "_audit");
        }
        BrokerPairConfig.Result pair = BrokerPairConfig.write(BrokerPairConfig.Options.of(pki.dir(),
                TestPki.PASSWORD.toCharArray(), root.resolve("brokers"), "localhost",
                new BrokerPairConfig.Node("broker-a", freePort(), freePort()),
                new BrokerPairConfig.Node("broker-b", freePort(), freePort())), Clock.systemUTC());
        brokerUrls.addAll(pair.hubUrls());
        startBroker(pair.liveDirectory(), classpath, "AMQ221007", startTimeout); // active
        startBroker(pair.backupDirectory(), classpath, "AMQ221024", startTimeout); // backup synchronised
        Path shared = root.resolve("shared");
        Files.createDirectories(shared);
        YAMLMapper yaml = new YAMLMapper();
        var node = yaml.readTree(pair.hubYaml() + """
                pseudonymKeyFile: %1$s/pseudonym.key
                links:
                  keyDirectory: %1$s/links
                audit:
                  jdbcUrl: "%2$s"
                  user: "%3$s"
                  passwordEnv: HUB_TEST_POSTGRES_PASSWORD
                registry:
                  jdbcUrl: "%4$s"
                  user: "%3$s"
                  passwordEnv: HUB_TEST_POSTGRES_PASSWORD
                """.formatted(shared, pgUrl(schema + "_audit"), pgUser, pgUrl(schema + "_registry")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) node.path("broker")).put("corePort", -1);
        if (!extraHubYaml.isBlank()) {
            yaml.readerForUpdating(node).readValue(extraHubYaml);
        }
        String nodeYaml = yaml.writeValueAsString(node);
        for (int i = 1; i <= nodeCount; i++) {
            // one after the other: the first makes the registry's schema and the shared keys
            nodes.add(HubProcess.start(root.resolve("node-" + i), pki, classpath, jvmOptions, nodeYaml, startTimeout));
        }
    }

    private String pgUrl(String currentSchema) {
        return pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + currentSchema;
    }

    private void startBroker(Path dir, String classpath, String ready, Duration timeout) throws IOException {
        Path log = dir.resolve("broker.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-XX:+ExitOnOutOfMemoryError", "-cp", classpath, "org.safeguarding.hub.app.HubCommand", "broker", "run", "--config",
                dir.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        brokers.add(p);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "bench-broker-stop"));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(ready)) {
            if (!p.isAlive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the broker in " + dir + " did not log " + ready + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    @Override
    public List<URI> bases() {
        return nodes.stream().flatMap(n -> n.bases().stream()).toList();
    }

    @Override
    public List<String> consumerServers() {
        return List.copyOf(brokerUrls);
    }

    @Override
    public String consumerOptions() {
        return "ha=true&reconnectAttempts=-1&retryInterval=200";
    }

    @Override
    public long cpuNanos() {
        long sum = 0;
        for (HubProcess n : nodes) {
            sum += Math.max(0, n.cpuNanos());
        }
        for (Process b : brokers) {
            sum += b.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }
        return sum + postgresCpuNanos();
    }

    /** The PostgreSQL server's processes' CPU so far (its backends come and go: a lower bound). */
    private static long postgresCpuNanos() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false))
                .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    @Override
    public long jitCpuNanos() {
        long sum = 0;
        for (HubProcess n : nodes) {
            long j = n.jitCpuNanos();
            if (j < 0) {
                return -1;
            }
            sum += j;
        }
        return sum;
    }

    @Override
    public boolean alive() {
        return !nodes.isEmpty() && nodes.stream().allMatch(HubProcess::alive) && brokers.stream().allMatch(Process::isAlive);
    }

    @Override
    public String tail() {
        return nodes.isEmpty() ? "(no node started)" : nodes.get(0).tail();
    }

    @Override
    public String describe() {
        return nodes.size() + " nodes (" + String.join("; ", nodes.stream().map(n -> "pid " + n.pid() + ", HTTPS " + n.httpsPort).toList())
                + ") on brokers " + brokerUrls + " and PostgreSQL schemas " + schema + "_*";
    }

    @Override
    public void close() {
        nodes.forEach(HubProcess::close);
        for (Process b : brokers) {
            b.destroy();
            try {
                if (!b.waitFor(30, TimeUnit.SECONDS)) {
                    b.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                b.destroyForcibly();
            }
        }
        if (pgUrl != null) {
            try (var c = DriverManager.getConnection(pgUrl, pgUser, pgPassword); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + "_audit CASCADE");
                s.execute("DROP SCHEMA IF EXISTS " + schema + "_registry CASCADE");
            } catch (java.sql.SQLException e) {
                System.err.println("the benchmark's PostgreSQL schemas were not dropped: " + e.getMessage());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
