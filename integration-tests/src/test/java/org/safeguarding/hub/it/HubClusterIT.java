package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.safeguarding.hub.broker.BrokerPairConfig;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The hub past one machine, on loopback: an Artemis live/backup pair with replication (two brokers in JVMs of their
 * own, the hub's plugin in them), PostgreSQL for the audit trail and the registry, and three hub nodes in JVMs of
 * their own behind a TCP balancer with TLS passthrough. Partners that retry as real ones do send through the
 * balancer while one hub node is killed with SIGKILL, then the live broker, then both come back. Then every inbox is
 * drained by consuming over CORE/TLS as its recipient (failing over between the brokers), and the run is judged as
 * {@link CrashUnderLoadIT} judges one node: nothing lost, nothing delivered twice or half, one receipt per accepted
 * submission, one verifiable audit trail; the hub's own queues are consumed empty; and exactly one node leads the
 * housekeeping at every look.
 * <p>
 * The kills come at fixed points of the load (20%, 40%, 60% and 75% of the partners' attempts); the node killed is
 * the one leading the housekeeping then, so its leadership must move. The brokers' and nodes' data and logs stay in
 * {@code target/hub-cluster/}.
 */
@EnabledIfEnvironmentVariable(named = "HUB_TEST_POSTGRES_URL", matches = ".+")
class HubClusterIT {
    static final String PG_URL = System.getenv("HUB_TEST_POSTGRES_URL");
    static final String PG_USER = env("HUB_TEST_POSTGRES_USER");
    static final String PG_PASSWORD_ENV = System.getenv("HUB_TEST_POSTGRES_PASSWORD") != null
            ? "HUB_TEST_POSTGRES_PASSWORD" : "HUB_TEST_POSTGRES_URL_PASSWORD";
    static final int NODES = 3;
    static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(90);
    /** A recipient's CORE client of the pair: fail over between the brokers, and keep trying to connect at first. */
    static final String FAILOVER = "ha=true&reconnectAttempts=-1&initialConnectAttempts=50&retryInterval=200";
    static final List<String> REFUSALS = List.of("R03", "R04", "R09", "TAMPERED");

    final String schema = "cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final List<ForkedHub> nodes = new ArrayList<>();
    final List<ForkedBroker> brokers = new ArrayList<>();
    LoopbackBalancer balancer;

    private static String env(String name) {
        String v = System.getenv(name);
        return v != null ? v : System.getenv(name.replace("HUB_TEST_POSTGRES_", "HUB_TEST_POSTGRES_URL_"));
    }

    @AfterEach
    void stop() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        for (ForkedHub n : nodes) {
            n.close();
        }
        for (ForkedBroker b : brokers) {
            b.close();
        }
        try (java.sql.Connection c = DriverManager.getConnection(PG_URL, PG_USER, System.getenv(PG_PASSWORD_ENV));
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + "_audit CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + schema + "_registry CASCADE");
        }
    }

    @Test
    void threeNodesOnABrokerPairLoseNothingWhenANodeAndThenTheLiveBrokerAreKilled() throws Exception {
        TestPki pki = TestPki.ec();
        Path root = fresh();
        try (java.sql.Connection c = DriverManager.getConnection(PG_URL, PG_USER, System.getenv(PG_PASSWORD_ENV));
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema + "_audit");
        }

        // the broker pair, as ./hub broker init writes it, each broker in its own JVM
        BrokerPairConfig.Node liveNode = new BrokerPairConfig.Node("broker-a", freePort(), freePort());
        BrokerPairConfig.Node backupNode = new BrokerPairConfig.Node("broker-b", freePort(), freePort());
        BrokerPairConfig.Result pair = BrokerPairConfig.write(BrokerPairConfig.Options.of(pki.dir(),
                TestPki.PASSWORD.toCharArray(), root.resolve("brokers"), "localhost", liveNode, backupNode),
                Clock.systemUTC());
        ForkedBroker live = new ForkedBroker("broker-a", pair.liveDirectory());
        ForkedBroker backup = new ForkedBroker("broker-b", pair.backupDirectory());
        brokers.add(live);
        brokers.add(backup);
        live.start();
        live.awaitSays(ForkedBroker.ACTIVE, BROKER_TIMEOUT);
        backup.start();
        backup.awaitSays(ForkedBroker.BACKUP_SYNCHRONISED, BROKER_TIMEOUT);

        // three identical nodes: the same broker pair, audit store, registry and shared keys; ports of their own
        Path shared = root.resolve("shared");
        Files.createDirectories(shared);
        String nodeYaml = pair.hubYaml() + """
                pseudonymKeyFile: %1$s/pseudonym.key
                links:
                  keyDirectory: %1$s/links
                audit:
                  jdbcUrl: "%2$s"
                  user: "%3$s"
                  passwordEnv: %4$s
                registry:
                  jdbcUrl: "%5$s"
                  user: "%3$s"
                  passwordEnv: %4$s
                """.formatted(shared, pgUrl(schema + "_audit"), PG_USER, PG_PASSWORD_ENV, pgUrl(schema + "_registry"));
        List<Integer> httpsPorts = new ArrayList<>();
        for (int i = 1; i <= NODES; i++) {
            ForkedHub node = ForkedHub.node(root.resolve("node-" + i), pki, nodeYaml);
            nodes.add(node);
            node.start(); // one after the other: the first makes the registry's schema and the shared keys
            httpsPorts.add(node.httpsPort);
        }
        balancer = new LoopbackBalancer(httpsPorts);
        Map<String, Long> leaders = new TreeMap<>();
        lookAtLeaders(leaders, "all three up");

        ScenarioExpectations scenario = ScenarioExpectations.load();
        CrashLoad load = CrashLoad.plan(scenario, pki, 24, REFUSALS);
        HubKiller.Progress progress = new HubKiller.Progress();
        List<RetryingPartner> partners = new ArrayList<>();
        for (List<CrashLoad.Planned> share : load.shares(8)) {
            partners.add(new RetryingPartner(balancer, pki, share.get(0).partner(), progress, share, load.outcomes));
        }
        int n = load.planned.size();
        System.out.println("HubClusterIT: " + n + " submissions from " + partners.size()
                + " partners through the balancer to " + NODES + " nodes");

        Map<String, Long> killedAt = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(partners.size());
        try {
            List<Future<?>> sending = new ArrayList<>();
            partners.forEach(p -> sending.add(pool.submit(p)));
            awaitAttempts(progress, n * 20L / 100);
            // the node that leads the housekeeping: its leadership must move to one other node
            ForkedHub victim = nodes.stream().filter(HubClusterIT::leads).findFirst().orElseThrow();
            System.out.println("HubClusterIT: killing " + victim.root.getFileName() + ", the housekeeping leader");
            killedAt.put("hub node", System.nanoTime());
            victim.kill();
            lookAtLeaders(leaders, "a node killed");

            awaitAttempts(progress, n * 40L / 100);
            killedAt.put("live broker", System.nanoTime());
            live.kill();
            backup.awaitSays(ForkedBroker.ACTIVE, BROKER_TIMEOUT);
            lookAtLeaders(leaders, "the live broker killed");

            awaitAttempts(progress, n * 60L / 100);
            victim.start();
            lookAtLeaders(leaders, "the node back");

            awaitAttempts(progress, n * 75L / 100);
            live.start(); // the first live comes back as the backup of the one that took over (no failback)
            live.awaitSays(ForkedBroker.BACKUP_SYNCHRONISED, BROKER_TIMEOUT);
            lookAtLeaders(leaders, "the broker back");

            for (Future<?> f : sending) {
                f.get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("HubClusterIT: load done in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)
                + " s; connections per node " + balancer.connectionsPerNode());
        for (ForkedHub node : nodes) {
            assertThat(node.alive()).as("node %s runs after the load", node.root.getFileName()).isTrue();
        }

        CrashVerdict verdict = settleDrainAndJudge(pki, scenario, load, pair);
        verdict.figure("failoverMillisAsPartnersSawIt", failoverTimes(partners, killedAt));
        verdict.figure("housekeepingLeadersAtEachLook", leaders);
        leaders.forEach((look, count) -> {
            if (count != 1) {
                verdict.broken("not exactly one node leads the housekeeping", look + ": " + count + " leaders");
            }
        });
        String report = verdict.report("HubClusterIT");
        System.out.println(report);
        assertThat(verdict.holds()).as(report).isTrue();
    }

    /**
     * Waits until every accepted submission reached its recipients or ended its routing, drains every inbox, reads
     * the audit trail as the IG lead, stops the nodes (SIGTERM: each exits 0), consumes the hub's own queues as the
     * hub's broker user (they must be empty), and judges.
     */
    private CrashVerdict settleDrainAndJudge(TestPki pki, ScenarioExpectations scenario, CrashLoad load,
                                             BrokerPairConfig.Result pair) throws Exception {
        CrashVerdict verdict = new CrashVerdict();
        Path trustStore = AmqpConsumerIT.caTrustStore(pki.caPem(), balancerRoot().resolve("ca-trust.p12"));
        InboxDrainer drainer = new InboxDrainer(pki, pair.hubUrls(), FAILOVER, trustStore);
        drainer.start(scenario.recipients());
        Map<String, HubHttpClient> clients = new HashMap<>();
        java.util.function.Function<CrashLoad.Planned, String> status = p -> {
            HttpResponse<byte[]> r = clients.computeIfAbsent(p.partner(),
                    k -> HubHttpClient.as(pki, k, balancer.baseUrl())).get("api/v1/submissions/" + p.submissionId());
            return r.statusCode() == 200 ? HubHttpClient.json(r).path("status").asText() : "HTTP " + r.statusCode();
        };
        Map<String, String> pending = new LinkedHashMap<>();
        load.accepted().forEach(p -> pending.put(p.submissionId(), "?"));
        try {
            Await.value("every accepted submission to reach its recipients or end its routing", SETTLE_TIMEOUT, () -> {
                for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    CrashLoad.Planned p = load.bySubmissionId.get(e.getKey());
                    if (drainer.reachedAll(p.submissionId(), p.recipients())) {
                        it.remove();
                        continue;
                    }
                    String now = status.apply(p);
                    if (Set.of("ROUTED", "UNROUTED", "FAILED").contains(now)) {
                        it.remove();
                    } else {
                        e.setValue(now);
                    }
                }
                return pending.size();
            }, left -> left == 0);
        } catch (AssertionError notSettled) {
            pending.forEach((id, st) -> verdict.broken("an accepted submission neither reached its recipients nor"
                    + " ended its routing", load.bySubmissionId.get(id).caseId() + " " + id + ": " + st));
        }
        drainer.finish();
        nodes.get(0).awaitRecorded();
        Map<String, Long> statuses = new TreeMap<>();
        for (CrashLoad.Planned p : load.accepted()) {
            String now = status.apply(p);
            statuses.merge(now, 1L, Long::sum);
            if (now.equals("HTTP 404")) {
                verdict.broken("the hub does not know a submission it accepted (status 404)", p.caseId() + " "
                        + p.submissionId());
            } else if (now.equals("ACCEPTED") || now.equals("FAILED")) {
                verdict.broken("an accepted submission's status is " + now + " after routing settled", p.caseId()
                        + " " + p.submissionId());
            }
        }
        verdict.figure("statusesAfterSettle", statuses);
        AcceptanceAudit audit = AcceptanceAudit.read(pki, balancer.baseUrl());
        Map<String, Integer> starts = new TreeMap<>();
        for (ForkedHub node : nodes) {
            starts.put(node.root.getFileName().toString(), node.starts());
            int exit = node.stop();
            if (exit != 0) {
                verdict.broken("SIGTERM after the load was not a clean exit", node.root.getFileName() + ": " + exit);
            }
        }
        Map<String, Long> own = consumeHubQueues(pki, pair);
        own.forEach((q, count) -> {
            if (count > 0) {
                verdict.broken("the hub's own queue holds messages after every node stopped", q + ": " + count);
            }
        });
        verdict.judge(load, drainer, audit);
        verdict.figure("nodeStarts", starts);
        verdict.figure("perRecipient", drainer.perRecipient);
        verdict.figure("hubQueuesConsumedAfterStop", own);
        verdict.figure("connectionsPerNode", balancer.connectionsPerNode());
        return verdict;
    }

    /**
     * Takes everything left on the hub's own queues, as the hub's broker user over TLS: nothing may be there once the
     * nodes stopped cleanly (the participants' published list excepted, which is kept on purpose).
     */
    private Map<String, Long> consumeHubQueues(TestPki pki, BrokerPairConfig.Result pair) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        String password = Files.readAllLines(pair.hubPasswordFile(), StandardCharsets.UTF_8).get(0).trim();
        Path trustStore = balancerRoot().resolve("ca-trust.p12");
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(HubConfigs.coreUrl(pair.hubUrls(),
                "sslEnabled=true&keyStorePath=" + pki.p12("hub") + "&keyStorePassword=" + TestPki.PASSWORD
                + "&keyStoreType=PKCS12&trustStorePath=" + trustStore + "&trustStorePassword=" + TestPki.PASSWORD
                + "&trustStoreType=PKCS12", FAILOVER + "&callTimeout=30000"));
             Connection c = cf.createConnection("hub-node", password)) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            for (String q : List.of(QueueNames.INTAKE, QueueNames.AUDIT, QueueNames.QUARANTINE,
                    QueueNames.DEAD_LETTER, QueueNames.ACKS)) {
                long n = 0;
                try (MessageConsumer consumer = s.createConsumer(s.createQueue(q))) {
                    for (Message m; (m = consumer.receive(1000)) != null; ) {
                        n++;
                    }
                }
                s.commit();
                counts.put(q, n);
            }
        }
        return counts;
    }

    /**
     * How long partners were without an answer after each kill: for every partner's outage that began within 20 s of
     * a kill, the milliseconds from its first refused or cut request to its next 202/200 (through another node, or
     * the same node on the broker that took over). Min, median and max per kill.
     */
    private static Map<String, String> failoverTimes(List<RetryingPartner> partners, Map<String, Long> killedAt) {
        Map<String, String> out = new LinkedHashMap<>();
        killedAt.forEach((what, at) -> {
            List<Long> gaps = new ArrayList<>();
            for (RetryingPartner p : partners) {
                for (long[] o : p.outages()) {
                    if (o[0] >= at && o[0] - at < TimeUnit.SECONDS.toNanos(20)) {
                        gaps.add(TimeUnit.NANOSECONDS.toMillis(o[1] - o[0]));
                    }
                }
            }
            gaps.sort(Comparator.naturalOrder());
            out.put(what, gaps.isEmpty() ? "no partner saw a failure"
                    : String.format(Locale.ROOT, "%d partner outages, min %d / median %d / max %d ms", gaps.size(),
                    gaps.get(0), gaps.get(gaps.size() / 2), gaps.get(gaps.size() - 1)));
        });
        return out;
    }

    /** How many of the running nodes say they lead the housekeeping now (their metrics), recorded under {@code look}. */
    private void lookAtLeaders(Map<String, Long> leaders, String look) {
        // leadership moves within the lock's timings: wait for the nodes to agree, then record what they say
        long count = Await.value("the running nodes to agree on one housekeeping leader (" + look + ")",
                Duration.ofSeconds(60), this::leaderCount, c -> c == 1);
        leaders.put(look, count);
    }

    private long leaderCount() {
        return nodes.stream().filter(HubClusterIT::leads).count();
    }

    /** Whether a running node's metrics say it leads the housekeeping now. */
    private static boolean leads(ForkedHub node) {
        String metrics = node.alive() ? node.metrics() : null;
        return metrics != null && metrics.lines().anyMatch(l -> l.startsWith("hub_housekeeping_leader")
                && l.trim().endsWith(" 1.0"));
    }

    private static void awaitAttempts(HubKiller.Progress progress, long attempts) throws InterruptedException {
        if (!progress.awaitAttempts(attempts, LOAD_TIMEOUT)) {
            throw new AssertionError("the partners did not make " + attempts + " attempts within " + LOAD_TIMEOUT);
        }
    }

    private static String pgUrl(String currentSchema) {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + currentSchema;
    }

    private static Path balancerRoot() {
        return Path.of("target", "hub-cluster").toAbsolutePath();
    }

    private static Path fresh() throws IOException {
        Path dir = balancerRoot();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
