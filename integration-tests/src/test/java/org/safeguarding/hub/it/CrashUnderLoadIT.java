package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.settings.SettingsLoader;

/**
 * The hub's first promise under crash and load: an accepted submission is never lost, never half-delivered, never
 * delivered twice and always audited with the receipt its partner was given. A hub in a JVM of its own, on a data
 * directory that survives it, takes submissions from partners that retry as real ones do (the same sealed bytes until
 * a final answer) while it is killed with SIGKILL at seeded-random moments and started again on the same data. Then,
 * once routing has settled, every recipient's queue is drained by consuming over CORE/TLS as that recipient, and each
 * submission's deliveries are compared with the recipients the scenario's SHARED decisions give for its sample, its
 * answers with the audit trail's SUBMISSION_ACCEPTED events, and the trail is verified. After the hub stops, its own
 * queues (intake, quarantine, dead letters) are read offline: they must be empty.
 * <p>
 * The seed is printed; {@code -Dhub.it.crashSeed=N} runs the same kill moments again. The data directory and the
 * hub's log stay in {@code target/crash-under-load/} for a post-mortem.
 */
class CrashUnderLoadIT {
    static final long SEED = Long.getLong("hub.it.crashSeed", System.nanoTime());
    static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    /** Refusals sent among the valid ones, in turn: invalid fields, police without grading, area not permitted, tampered. */
    static final List<String> REFUSALS = List.of("R03", "R04", "R09", "TAMPERED");

    ForkedHub hub;
    SshClient ssh;

    @AfterEach
    void stop() throws Exception {
        if (ssh != null) {
            ssh.stop();
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void httpsPartnersRetryingThroughTenKillsGetOneReceiptEachAndEveryPackageExactlyOnce() throws Exception {
        TestPki pki = TestPki.ec();
        ScenarioExpectations scenario = ScenarioExpectations.load();
        CrashLoad load = CrashLoad.plan(scenario, pki, 22, REFUSALS);
        hub = ForkedHub.configure(fresh("https"), pki, false);
        hub.start();

        HubKiller.Progress progress = new HubKiller.Progress();
        List<Runnable> clients = new ArrayList<>();
        for (List<CrashLoad.Planned> share : load.shares(8)) {
            clients.add(new RetryingPartner(hub, pki, share.get(0).partner(), progress, share, load.outcomes));
        }
        HubKiller killer = runUnderKills(load, progress, clients, 10, "https");

        CrashVerdict verdict = settleDrainAndJudge(pki, scenario, load, killer, "https");
        System.out.println(verdict.report("CrashUnderLoadIT/https (seed " + SEED + ")"));
        assertThat(verdict.holds()).as(verdict.report("CrashUnderLoadIT/https (seed " + SEED + ")")).isTrue();
    }

    @Test
    void sftpDropsThroughFiveKillsAreEachAnsweredOnceAndRoutedOnce() throws Exception {
        TestPki pki = TestPki.ec();
        ScenarioExpectations scenario = ScenarioExpectations.load();
        CrashLoad load = CrashLoad.plan(scenario, pki, 10, REFUSALS);
        hub = ForkedHub.configure(fresh("sftp"), pki, true);
        hub.start();
        ssh = pinnedSshClient(hub.root.resolve("data").resolve("sftp").resolve("host-key"));

        HubKiller.Progress progress = new HubKiller.Progress();
        List<Runnable> clients = new ArrayList<>();
        for (List<CrashLoad.Planned> share : load.shares(load.partners().size())) {
            String partner = share.get(0).partner();
            clients.add(new SftpPartner(hub, ssh, pki.identity(partner), partner, progress, share, load.outcomes));
        }
        HubKiller killer = runUnderKills(load, progress, clients, 5, "sftp");

        // the drop's answers as they stand now: exactly one per file, the one the partner took
        CrashVerdict folders = new CrashVerdict();
        for (String partner : load.partners()) {
            SftpPartner reader = new SftpPartner(hub, ssh, pki.identity(partner), partner, progress, List.of(),
                    load.outcomes);
            try {
                List<String> outbound = reader.list("/outbound");
                for (CrashLoad.Planned p : load.planned) {
                    if (!p.partner().equals(partner)) {
                        continue;
                    }
                    boolean receipt = outbound.contains(p.fileName() + ".receipt.json");
                    boolean error = outbound.contains(p.fileName() + ".error.json");
                    if (receipt == error) {
                        folders.broken("a dropped file has not exactly one answer", p.caseId() + " " + p.fileName()
                                + (receipt ? ": a receipt and a problem" : ": no answer"));
                    }
                    // the final answer is the one the drop holds now; the partner's first sight of it must be the same
                    CrashLoad.Outcome o = load.outcomes.get(p.submissionId());
                    String took = o.status == 0 ? "nothing" : o.receipt != null ? "receipt " + o.receipt
                            : "problem " + o.code;
                    if (receipt) {
                        JsonNode r = reader.read("/outbound/" + p.fileName() + ".receipt.json");
                        String now = r.path("receiptId").asText();
                        if (!took.equals("receipt " + now)) {
                            folders.broken("the answer a partner took was replaced by another", p.caseId() + " "
                                    + p.fileName() + ": took " + (o.receipt != null ? "another receipt" : took)
                                    + ", now a receipt");
                        }
                        o.receipt = now;
                        o.status = 202;
                        o.code = null;
                    } else if (error) {
                        JsonNode e = reader.read("/outbound/" + p.fileName() + ".error.json");
                        if (!took.equals("problem " + e.path("code").asText(null))) {
                            folders.broken("the answer a partner took was replaced by another", p.caseId() + " "
                                    + p.fileName() + ": took " + (o.receipt != null ? "a receipt" : took)
                                    + ", now problem " + e.path("code").asText());
                        }
                        o.receipt = null;
                        o.status = e.path("status").asInt(400);
                        o.code = e.path("code").asText(null);
                    } else {
                        o.status = 0;
                    }
                }
            } finally {
                reader.closeSession();
            }
        }
        CrashVerdict verdict = settleDrainAndJudge(pki, scenario, load, killer, "sftp");
        String report = verdict.report("CrashUnderLoadIT/sftp (seed " + SEED + ")")
                + (folders.holds() ? "" : folders.report("\n  drop folders"));
        System.out.println(report);
        assertThat(verdict.holds() && folders.holds()).as(report).isTrue();
    }

    /** Runs the clients to their final answers while the killer kills and restarts the hub; both bounded. */
    private HubKiller runUnderKills(CrashLoad load, HubKiller.Progress progress, List<Runnable> clients, int kills,
                                    String variant) throws Exception {
        Random random = new Random(SEED ^ variant.hashCode());
        int n = load.planned.size();
        HubKiller killer = new HubKiller(hub, progress, random, kills, n / 20, n * 85L / 100, LOAD_TIMEOUT);
        System.out.println("CrashUnderLoadIT/" + variant + ": seed " + SEED + ", " + n + " submissions from "
                + clients.size() + " clients, kills after attempts " + killer.moments());
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients.size() + 1);
        try {
            Future<?> killing = pool.submit(killer);
            List<Future<?>> sending = new ArrayList<>();
            clients.forEach(c -> sending.add(pool.submit(c)));
            killing.get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (Future<?> f : sending) {
                f.get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        killer.log().forEach(l -> System.out.println("CrashUnderLoadIT/" + variant + ": " + l));
        System.out.println("CrashUnderLoadIT/" + variant + ": load done in "
                + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s");
        if (killer.failure() != null) {
            throw new AssertionError("the killer could not kill and restart the hub:\n" + hub.tail(60),
                    killer.failure());
        }
        assertThat(killer.kills()).as("kills done").isEqualTo(kills);
        assertThat(hub.alive()).as("the hub runs after the last restart").isTrue();
        return killer;
    }

    /**
     * Waits until every accepted submission's routing has ended (its partner sees ROUTED, UNROUTED or FAILED), drains
     * every recipient's queue over CORE/TLS, reads the acceptances and verification of the audit trail as the IG lead,
     * stops the hub and reads its own queues offline; then judges.
     */
    private CrashVerdict settleDrainAndJudge(TestPki pki, ScenarioExpectations scenario, CrashLoad load,
                                             HubKiller killer, String variant) throws Exception {
        CrashVerdict verdict = new CrashVerdict();
        InboxDrainer drainer = new InboxDrainer(pki, hub.corePort,
                AmqpConsumerIT.caTrustStore(pki.caPem(), hub.root.resolve("ca-trust.p12")));
        drainer.start(scenario.recipients());
        Map<String, HubHttpClient> partners = new HashMap<>();
        java.util.function.Function<CrashLoad.Planned, String> status = p -> {
            HttpResponse<byte[]> r = partners.computeIfAbsent(p.partner(), k -> HubHttpClient.as(pki, k, hub.baseUrl()))
                    .get("api/v1/submissions/" + p.submissionId());
            return r.statusCode() == 200 ? HubHttpClient.json(r).path("status").asText() : "HTTP " + r.statusCode();
        };
        // settled: every accepted submission has reached all its recipients, or its partner sees its routing ended
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
        hub.awaitRecorded();
        // what the submitting partner is told about each accepted submission now that routing has settled
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
        AcceptanceAudit audit = AcceptanceAudit.read(pki, hub.baseUrl());
        int stopped = hub.stop();
        if (stopped != 0) {
            verdict.broken("SIGTERM after the load was not a clean exit", "exit status " + stopped);
        }

        Map<String, Long> own = hubQueuesOffline(scenario.recipients());
        for (String q : List.of(QueueNames.INTAKE, QueueNames.QUARANTINE, QueueNames.DEAD_LETTER)) {
            if (own.get(q) > 0) {
                verdict.broken("the hub's own queue holds accepted submissions", q + ": " + own.get(q));
            }
        }
        own.forEach((q, n) -> {
            if (q.startsWith(QueueNames.INBOX_PREFIX) && n > 0) {
                verdict.broken("a recipient's queue was not drained", q + ": " + n);
            }
        });

        linksOffline(load, verdict);
        verdict.judge(load, drainer, audit);
        verdict.figure("kills", killer.kills());
        verdict.figure("hubStarts", hub.starts());
        verdict.figure("perRecipient", drainer.perRecipient);
        verdict.figure("hubQueuesAfterStop", own);
        verdict.figure("uncommittedTransactionsDiscarded", hub.logCount("AMQ142015"));
        return verdict;
    }

    /**
     * The link store, read with the hub stopped: links are written in the routing step's commit, so every accepted
     * submission has the same link tokens as every other copy of its case (none lost, none half-written, none twice),
     * and no refused submission has any.
     */
    private void linksOffline(CrashLoad load, CrashVerdict verdict) {
        Path data = SettingsLoader.load(hub.config).dataDirectory();
        try (org.safeguarding.hub.registry.RegistryDatabase db = org.safeguarding.hub.registry.RegistryDatabase
                .open(data.resolve("registry"))) {
            org.safeguarding.hub.linkstore.LinkStore links = new org.safeguarding.hub.linkstore.LinkStore(db.dataSource());
            Map<String, Set<String>> byCase = new HashMap<>();
            Map<String, Long> linkedPerCase = new TreeMap<>();
            for (CrashLoad.Planned p : load.accepted()) {
                Set<String> kinds = new java.util.TreeSet<>();
                links.tokensOf(p.partner(), p.submissionId()).forEach(t -> kinds.add(t.kind() + ":" + t.token()));
                Set<String> first = byCase.putIfAbsent(p.caseId(), kinds);
                if (first != null && !first.equals(kinds)) {
                    verdict.broken("an accepted submission's links differ from its case's", p.caseId() + " "
                            + p.submissionId() + ": " + kinds.size() + " tokens, the case's first copy "
                            + first.size());
                }
                linkedPerCase.merge(p.caseId(), kinds.isEmpty() ? 0L : 1L, Long::sum);
            }
            for (CrashLoad.Planned p : load.bySubmissionId.values()) {
                if (!p.acceptable() && !links.tokensOf(p.partner(), p.submissionId()).isEmpty()) {
                    verdict.broken("a refused submission has links", p.caseId() + " " + p.submissionId());
                }
            }
            verdict.figure("linkedSubmissionsPerCase", linkedPerCase);
        }
    }

    /** The hub's own queues and the inboxes, counted from the broker journal with the hub stopped. */
    private Map<String, Long> hubQueuesOffline(List<String> recipients) {
        HubSettings.Broker b = SettingsLoader.load(hub.config).broker();
        Map<String, Long> counts = new TreeMap<>();
        try (EmbeddedBroker offline = new EmbeddedBroker(new HubSettings.Broker(b.journalDirectory(), -1, -1,
                b.maxDeliveryAttempts(), b.redeliveryDelay(), b.maxRedeliveryDelay()), recipients, id -> false,
                (who, what) -> { })) {
            offline.start();
            for (String q : List.of(QueueNames.INTAKE, QueueNames.QUARANTINE, QueueNames.DEAD_LETTER)) {
                counts.put(q, Math.max(0, offline.messageCount(q)));
            }
            recipients.forEach(r -> counts.put(QueueNames.inbox(r), Math.max(0, offline.messageCount(QueueNames.inbox(r)))));
        }
        return counts;
    }

    /** An SSH client that pins the hub's host key, as a partner does after checking its fingerprint. */
    private static SshClient pinnedSshClient(Path hostKeyFile) throws Exception {
        List<KeyPair> hostKeys = new ArrayList<>();
        new SimpleGeneratorHostKeyProvider(hostKeyFile).loadKeys(null).forEach(hostKeys::add);
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(hostKeys.get(0).getPublic(), key));
        client.start();
        return client;
    }

    /** {@code target/crash-under-load/<variant>}, emptied: the hub's data and log stay there after the run. */
    private static Path fresh(String variant) throws IOException {
        Path dir = Path.of("target", "crash-under-load", variant).toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir;
    }
}
