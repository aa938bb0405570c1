package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.partnership.RedactionProfile;

/**
 * Withdrawals and corrections in flight when the hub is killed: routed submissions are withdrawn or corrected by
 * partners that retry as real ones do (the same sealed bytes until a final answer) while the hub, in a JVM of its own,
 * is killed with SIGKILL at seeded-random moments and started again on the same data. Then every recipient's queue is
 * drained over CORE/TLS and judged against what the test computes from the scenario: a withdrawn submission's every
 * recipient holds exactly one recall and no package (the pending original left its inbox); a corrected one's (its
 * narrative changed) every recipient that is shown the narrative holds exactly one update and no original, and every
 * other recipient its original alone; each partner got one receipt per withdrawal or correction, and the trail has
 * exactly one SUBMISSION_WITHDRAWN or SUBMISSION_CORRECTED with that receipt; the trail verifies.
 */
class AfterSendingCrashIT {
    static final long SEED = Long.getLong("hub.it.crashSeed", System.nanoTime());
    static final Duration LOAD_TIMEOUT = Duration.ofMinutes(4);
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    ForkedHub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void withdrawalsAndCorrectionsThroughFourKillsAreEachDoneOnceAndReachEveryHolderOnce() throws Exception {
        TestPki pki = TestPki.ec();
        ScenarioExpectations scenario = ScenarioExpectations.load();
        Partnership partnership = PartnershipLoader.loadReference();
        CrashLoad load = CrashLoad.plan(scenario, pki, 3, List.of("R03"));
        hub = ForkedHub.configure(fresh(), pki, false);
        hub.start();

        // the submissions, routed before anything is withdrawn or corrected (no kills yet)
        HubKiller.Progress quiet = new HubKiller.Progress();
        runAll(load.shares(load.partners().size()).stream()
                .map(share -> (Runnable) new RetryingPartner(hub, pki, share.get(0).partner(), quiet, share,
                        load.outcomes)).toList());
        List<CrashLoad.Planned> routed = load.accepted().stream().filter(p -> !p.recipients().isEmpty()).toList();
        assertThat(routed).as("routed submissions to act on").hasSizeGreaterThan(10);
        awaitStatuses(pki, routed, Set.of("ROUTED"));

        // then a withdrawal or a correction of each, sealed before the load
        CmsSealer sealer = new CmsSealer(AlgorithmPolicy.defaults());
        List<CrashLoad.Planned> after = new ArrayList<>();
        Map<String, Boolean> withdrawn = new HashMap<>();
        for (CrashLoad.Planned p : routed) {
            boolean withdraw = after.size() % 2 == 0;
            ObjectNode body;
            if (withdraw) {
                body = HubHttpClient.JSON.createObjectNode().put("submissionId", p.submissionId())
                        .put("partnerId", p.partner()).put("reason", "SENT_IN_ERROR")
                        .put("withdrawnAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            } else {
                body = (ObjectNode) HubHttpClient.JSON.readTree(p.json());
                body.put("submittedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                body.put("narrative", "Corrected after review: the account given first was incomplete.");
                body.put("revision", 1).put("correctionReason", "FACTUAL_ERROR");
            }
            byte[] sealed = sealer.seal(HubHttpClient.JSON.writeValueAsBytes(body), pki.identity(p.partner()),
                    List.of(Pem.readCertificate(pki.cert("hub"))), ContentEncryption.AES_256_GCM);
            after.add(new CrashLoad.Planned(after.size(), p.caseId(), p.partner(), p.submissionId(), sealed,
                    p.recipients(), 0, withdraw ? "withdrawal" : "correction", null));
            withdrawn.put(p.submissionId(), withdraw);
        }
        CrashLoad actions = CrashLoad.of(after);
        HubKiller.Progress progress = new HubKiller.Progress();
        int n = after.size();
        HubKiller killer = new HubKiller(hub, progress, new Random(SEED), 4, n / 10, n * 85L / 100, LOAD_TIMEOUT);
        System.out.println("AfterSendingCrashIT: seed " + SEED + ", " + n + " withdrawals and corrections, kills after"
                + " attempts " + killer.moments());
        List<Runnable> clients = new ArrayList<>();
        clients.add(killer);
        for (List<CrashLoad.Planned> share : actions.shares(actions.partners().size())) {
            clients.add(new RetryingPartner(hub, pki, share.get(0).partner(), progress, share, actions.outcomes,
                    p -> "api/v1/submissions/" + p.submissionId() + "/" + p.fileName()));
        }
        runAll(clients);
        killer.log().forEach(l -> System.out.println("AfterSendingCrashIT: " + l));
        assertThat(killer.failure()).as("the killer killed and restarted the hub").isNull();
        assertThat(killer.kills()).isEqualTo(4);

        List<String> broken = new ArrayList<>();
        for (CrashLoad.Planned a : after) {
            CrashLoad.Outcome o = actions.outcomes.get(a.submissionId());
            if (!o.accepted()) {
                broken.add(a.fileName() + " of " + a.caseId() + " " + a.submissionId() + " ended " + o.status + " "
                        + o.code);
            } else if (o.receipts.stream().distinct().count() != 1) {
                broken.add(a.fileName() + " of " + a.submissionId() + " was given several receipts " + o.receipts);
            }
        }
        awaitStatuses(pki, after.stream().filter(a -> withdrawn.get(a.submissionId())).toList(), Set.of("WITHDRAWN"));
        hub.awaitRecorded();

        InboxDrainer drainer = new InboxDrainer(pki, hub.corePort,
                AmqpConsumerIT.caTrustStore(pki.caPem(), hub.root.resolve("ca-trust.p12")));
        drainer.start(scenario.recipients());
        drainer.finish();
        for (CrashLoad.Planned a : after) {
            Map<String, Map<String, Integer>> got = drainer.kinds.getOrDefault(a.submissionId(), Map.of());
            Map<String, Map<String, Integer>> expected = new LinkedHashMap<>();
            for (String r : a.recipients()) {
                boolean seesNarrative = partnership.profile(partnership.participant(r).orElseThrow().sector())
                        .narrative() != RedactionProfile.NarrativeRule.WITHHELD;
                expected.put(r, Map.of(withdrawn.get(a.submissionId()) ? "recall"
                        : seesNarrative ? "update" : "package", 1));
            }
            if (!got.equals(expected)) {
                broken.add(a.fileName() + " of " + a.caseId() + " " + a.submissionId() + ": recipients hold " + got
                        + ", expected " + expected);
            }
        }
        AcceptanceAudit withdrawals = AcceptanceAudit.read(pki, hub.baseUrl(), "SUBMISSION_WITHDRAWN");
        AcceptanceAudit corrections = AcceptanceAudit.read(pki, hub.baseUrl(), "SUBMISSION_CORRECTED");
        for (CrashLoad.Planned a : after) {
            AcceptanceAudit trail = withdrawn.get(a.submissionId()) ? withdrawals : corrections;
            List<String> recorded = trail.receipts.getOrDefault(a.submissionId(), List.of());
            String given = actions.outcomes.get(a.submissionId()).receipt;
            if (!recorded.equals(List.of(String.valueOf(given)))) {
                broken.add(a.fileName() + " of " + a.submissionId() + ": the trail records " + recorded
                        + ", the partner was given " + given);
            }
        }
        assertThat(corrections.verification.path("ok").asBoolean()).as("audit verify").isTrue();
        assertThat(broken).as("seed " + SEED + "; hub log " + hub.log).isEmpty();
    }

    /** Waits (bounded) until each submission's partner sees one of {@code statuses}. */
    private void awaitStatuses(TestPki pki, List<CrashLoad.Planned> planned, Set<String> statuses) {
        Map<String, HubHttpClient> partners = new HashMap<>();
        List<CrashLoad.Planned> left = new ArrayList<>(planned);
        Await.value("every submission's status to be one of " + statuses, SETTLE_TIMEOUT, () -> {
            left.removeIf(p -> {
                HttpResponse<byte[]> r = partners.computeIfAbsent(p.partner(),
                        k -> HubHttpClient.as(pki, k, hub.baseUrl())).get("api/v1/submissions/" + p.submissionId());
                return r.statusCode() == 200 && statuses.contains(HubHttpClient.json(r).path("status").asText());
            });
            return left.size();
        }, n -> n == 0);
    }

    private static void runAll(List<Runnable> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            tasks.forEach(t -> running.add(pool.submit(t)));
            for (Future<?> f : running) {
                f.get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Path fresh() throws IOException {
        Path dir = Path.of("target", "after-sending-crash").toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir;
    }
}
