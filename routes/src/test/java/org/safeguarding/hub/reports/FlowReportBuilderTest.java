package org.safeguarding.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.auditing.AuditRecorder.DeliveredPackage;
import org.safeguarding.hub.auditing.AuditRecorder.SubmissionFacts;
import org.safeguarding.hub.auditing.TrailFixture;
import org.safeguarding.hub.sharing.Decision;
import org.safeguarding.hub.sharing.ReasonCode;
import org.safeguarding.hub.sharing.RecipientDecision;

/**
 * The flow report from a real trail written by the real recorder: counts per flow, by category, area and
 * month; unrouted submissions; packages left unacknowledged past the threshold.
 */
class FlowReportBuilderTest {
    static final String DIGEST = "b".repeat(64);
    final TrailFixture f = TrailFixture.at("2026-09-30T23:00:00Z");
    final String subA = UUID.randomUUID().toString();
    final String subB = UUID.randomUUID().toString();
    final String subC = UUID.randomUUID().toString();

    @AfterEach
    void close() {
        f.close();
    }

    private void writeScenario() {
        // before the window: counted nowhere
        route("lancs-police", UUID.randomUUID().toString(), "r0", List.of("CCE"), "BPL",
                List.of(shared("police-fib")), "p0");
        f.clock.set("2026-10-15T09:00:00Z");
        route("lancs-police", subA, "rA", List.of("CCE"), "BPL", List.of(
                shared("police-fib"), shared("mash-bpl"),
                notShared("mash-bwd", ReasonCode.OUT_OF_AREA, "CS-CORE", 3),
                notShared("health-safeguarding", ReasonCode.PURPOSE_NOT_PERMITTED, "CS-CORE", 3),
                notShared("youth-justice", ReasonCode.AGREEMENT_EXPIRED, "CS-2023", 4),
                notShared("placing-manchester", ReasonCode.CONDITION_NOT_MET, "CS-PLACED", 1)),
                "pA-fib", "pA-bpl");
        f.clock.set("2026-11-20T10:00:00Z");
        route("nhs-lsc", subB, "rB", List.of("MISSING", "CSE"), "BWD", List.of(
                notShared("police-fib", ReasonCode.OUT_OF_AGE_SCOPE, "CS-CORE", 3),
                notShared("vcs-missing", ReasonCode.OUT_OF_AGE_SCOPE, "CS-MISSING", 2),
                notShared("mash-lancs", ReasonCode.NO_AGREEMENT, null, null)));
        f.clock.set("2026-11-21T10:00:00Z");
        f.recorder.append(List.of(f.recorder.acknowledgedRecord("police-fib", subA, "pA-fib", "https")));
        f.clock.set("2026-11-26T12:00:00Z");
        route("lancs-police", subC, "rC", List.of("CCE"), "BPL", List.of(shared("police-fib")), "pC-fib");
        f.clock.set("2026-11-27T10:00:00Z");
    }

    private FlowReport report(Instant from, Instant to, Duration threshold) {
        FlowReportBuilder b = new FlowReportBuilder(from, to, f.clock.instant(), threshold);
        f.trail.export(new AuditQuery(null, null, null, from, null, null, 0), b);
        return b.build();
    }

    @Test
    void decisionsAreCountedPerAgreementPartnerAndRecipient() {
        writeScenario();
        FlowReport r = report(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-27T10:00:00Z"),
                Duration.ofDays(2));

        assertThat(r.total().shared()).isEqualTo(3);
        assertThat(r.total().notShared()).isEqualTo(7);
        assertThat(r.flows().get(new FlowKey("CS-CORE", 3, "lancs-police", "police-fib")).withoutKeys())
                .isEqualTo(new FlowCounts(2, Map.of()));
        assertThat(r.flows().get(new FlowKey("CS-CORE", 3, "lancs-police", "mash-bwd")).withoutKeys())
                .isEqualTo(new FlowCounts(0, Map.of("OUT_OF_AREA", 1L)));
        assertThat(r.flows().get(new FlowKey("CS-2023", 4, "lancs-police", "youth-justice")).withoutKeys())
                .isEqualTo(new FlowCounts(0, Map.of("AGREEMENT_EXPIRED", 1L)));
        assertThat(r.flows().get(new FlowKey("CS-CORE", 3, "nhs-lsc", "police-fib")).withoutKeys())
                .isEqualTo(new FlowCounts(0, Map.of("OUT_OF_AGE_SCOPE", 1L)));
        assertThat(r.flows().get(new FlowKey(FlowKey.NO_AGREEMENT, null, "nhs-lsc", "mash-lancs")).withoutKeys())
                .isEqualTo(new FlowCounts(0, Map.of("NO_AGREEMENT", 1L)));
        assertThat(r.flows()).hasSize(9);
    }

    @Test
    void decisionsAreCountedByCategoryAreaAndMonth() {
        writeScenario();
        FlowReport r = report(Instant.parse("2026-10-01T00:00:00Z"), null, Duration.ofDays(2));

        // a submission with two categories counts under each
        assertThat(r.byCategory().keySet()).containsExactly("CCE", "CSE", "MISSING");
        assertThat(r.byCategory().get("CCE").withoutKeys()).isEqualTo(new FlowCounts(3, Map.of("OUT_OF_AREA", 1L,
                "PURPOSE_NOT_PERMITTED", 1L, "AGREEMENT_EXPIRED", 1L, "CONDITION_NOT_MET", 1L)));
        assertThat(r.byCategory().get("CSE")).isEqualTo(r.byCategory().get("MISSING"));
        assertThat(r.byCategory().get("CSE").notSharedByReason())
                .isEqualTo(Map.of("OUT_OF_AGE_SCOPE", 2L, "NO_AGREEMENT", 1L));
        assertThat(r.byArea().get("BPL").decisions()).isEqualTo(7);
        assertThat(r.byArea().get("BWD").withoutKeys()).isEqualTo(new FlowCounts(0, Map.of("OUT_OF_AGE_SCOPE", 2L,
                "NO_AGREEMENT", 1L)));
        assertThat(r.byMonth().keySet()).containsExactly("2026-10", "2026-11");
        assertThat(r.byMonth().get("2026-10").decisions()).isEqualTo(6);
        assertThat(r.byMonth().get("2026-11").decisions()).isEqualTo(4);
    }

    @Test
    void unroutedSubmissionsAreListedWithCodesOnly() {
        writeScenario();
        FlowReport r = report(Instant.parse("2026-10-01T00:00:00Z"), null, Duration.ofDays(2));

        assertThat(r.unrouted()).singleElement().satisfies(u -> {
            assertThat(u.submissionId()).isEqualTo(subB);
            assertThat(u.partner()).isEqualTo("nhs-lsc");
            assertThat(u.categories()).containsExactly("CSE", "MISSING");
            assertThat(u.area()).isEqualTo("BWD");
        });
        assertThat(r.unroutedByPartner()).isEqualTo(Map.of("nhs-lsc", 1L));
    }

    @Test
    void onlyPackagesWaitingLongerThanTheThresholdAreUnacknowledged() {
        writeScenario();
        FlowReport r = report(Instant.parse("2026-10-01T00:00:00Z"), null, Duration.ofDays(2));
        // pA-fib was acknowledged, pC-fib has waited less than two days, p0 is before the window
        assertThat(r.unacknowledged()).extracting(PendingPackage::packageId).containsExactly("pA-bpl");
        assertThat(r.unacknowledgedByRecipient()).isEqualTo(Map.of("mash-bpl", 1L));

        FlowReport shorter = report(Instant.parse("2026-10-01T00:00:00Z"), null, Duration.ofHours(1));
        assertThat(shorter.unacknowledged()).extracting(PendingPackage::packageId)
                .containsExactly("pA-bpl", "pC-fib");
    }

    @Test
    void anAcknowledgementAfterTheWindowStillClosesAPackage() {
        writeScenario();
        // the window ends before pA-fib's acknowledgement on 2026-11-21
        FlowReport r = report(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"),
                Duration.ofDays(2));
        assertThat(r.unacknowledged()).extracting(PendingPackage::packageId).containsExactly("pA-bpl");
        assertThat(r.total().decisions()).isEqualTo(6);
        assertThat(r.unrouted()).isEmpty();
    }

    @Test
    void theBoardsReportIsAsAtTheEndOfItsPeriod() {
        writeScenario();
        ReportPeriod october = ReportPeriod.parse("2026-10").orElseThrow();
        FlowReportBuilder b = FlowReportBuilder.asAtEndOf(october, Duration.ofDays(2));
        f.trail.export(new AuditQuery(null, null, null, october.from(), null, null, 0), b);
        FlowReport r = b.build();

        // pA-fib was acknowledged on 2026-11-21, after October: at October's end both packages were waiting
        assertThat(r.unacknowledged()).extracting(PendingPackage::packageId).containsExactly("pA-fib", "pA-bpl");
        assertThat(r.generatedAt()).isEqualTo(october.to());
        assertThat(r.total().decisions()).isEqualTo(6);
        // the same whenever it is asked: nothing after the period changes it
        FlowReportBuilder before = FlowReportBuilder.asAtEndOf(october, Duration.ofDays(2));
        f.trail.export(new AuditQuery(null, null, null, october.from(), october.to(), null, 0), before);
        assertThat(before.build()).isEqualTo(r);
    }

    @Test
    void everyCountCarriesTheCellKeyOfItsEvents() {
        writeScenario();
        FlowReport r = report(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
                Duration.ofDays(2));
        AuditEvent refusal = f.all().stream().filter(e -> e.type() == AuditEventType.DECISION
                && subB.equals(e.submissionId()) && "police-fib".equals(e.participant())).findFirst().orElseThrow();
        assertThat(r.flows().get(new FlowKey("CS-CORE", 3, "nhs-lsc", "police-fib")).reasonKey("OUT_OF_AGE_SCOPE"))
                .isEqualTo(SmallNumbers.recordKey(refusal.hash()));
        // the same records, the same key: November's row and the total of a November report
        assertThat(r.byMonth().get("2026-11")).isEqualTo(r.total());
        // a cell's key is the sum of its records' keys
        long sum = f.all().stream().filter(e -> e.type() == AuditEventType.DECISION && "SHARED".equals(e.decision())
                        && !e.time().isBefore(Instant.parse("2026-11-01T00:00:00Z")))
                .mapToLong(e -> SmallNumbers.recordKey(e.hash())).sum();
        assertThat(r.total().sharedKey()).isEqualTo(sum).isNotZero();
    }

    @Test
    void decisionsWithoutCodesCountAsUnknown() {
        f.recorder.append(f.recorder.routedRecords("bpl-csc", UUID.randomUUID().toString(), "rX", DIGEST, SubmissionFacts.UNKNOWN,
                List.of(notShared("mash-bwd", ReasonCode.OUT_OF_AREA, "CS-CORE", 3)), List.of()));
        FlowReport r = report(null, null, Duration.ofDays(2));

        assertThat(r.byCategory().keySet()).containsExactly(FlowReport.UNKNOWN);
        assertThat(r.byArea().keySet()).containsExactly(FlowReport.UNKNOWN);
        assertThat(r.flows().keySet()).containsExactly(new FlowKey("CS-CORE", 3, "bpl-csc", "mash-bwd"));
    }

    /**
     * Time to acknowledgement by urgency class: IMMEDIATE packages acknowledged 20 to 42 minutes after delivery, one
     * PRIORITY package after 3 hours, routine ones untimed. The IG lead sees exact counts and times; the board sees
     * each class (all three always), its count through small-number control, and its times only when the count is
     * published.
     */
    @Test
    void timeToAcknowledgementIsReportedByUrgencyAndControlledForTheBoard() {
        f.clock.set("2026-10-01T08:00:00Z");
        List<String> immediate = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String sub = UUID.randomUUID().toString();
            String pkg = "pI-" + i;
            f.recorder.append(f.recorder.routedRecords("bpl-csc", sub, "rI" + i, DIGEST,
                    new SubmissionFacts(List.of("MISSING"), "BPL", "IMMEDIATE"), List.of(shared("mash-bpl")),
                    List.of(new DeliveredPackage("mash-bpl", pkg, "CS-CORE", 3, List.of(), DIGEST, "intel.mash-bpl"))));
            immediate.add(sub);
        }
        String prioritySub = UUID.randomUUID().toString();
        f.recorder.append(f.recorder.routedRecords("bpl-csc", prioritySub, "rP", DIGEST,
                new SubmissionFacts(List.of("CSE"), "BPL", "PRIORITY"), List.of(shared("mash-bpl")),
                List.of(new DeliveredPackage("mash-bpl", "pP", "CS-CORE", 3, List.of(), DIGEST, "intel.mash-bpl"))));
        for (int i = 0; i < 12; i++) {
            f.clock.set(Instant.parse("2026-10-01T08:20:00Z").plus(Duration.ofMinutes(2L * i)).toString());
            f.recorder.append(List.of(f.recorder.acknowledgedRecord("mash-bpl", immediate.get(i), "pI-" + i, "https")));
        }
        f.clock.set("2026-10-01T11:00:00Z");
        f.recorder.append(List.of(f.recorder.acknowledgedRecord("mash-bpl", prioritySub, "pP", "https")));
        FlowReport r = report(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"),
                Duration.ofDays(2));

        AcknowledgementTimes im = r.acknowledgementByUrgency().get("IMMEDIATE");
        assertThat(im.times()).hasSize(12);
        assertThat(im.quantile(0.5)).isEqualTo(Duration.ofMinutes(30));
        assertThat(im.quantile(0.9)).isEqualTo(Duration.ofMinutes(40));
        assertThat(r.acknowledgementByUrgency().get("PRIORITY").times()).containsExactly(Duration.ofHours(3));
        assertThat(r.acknowledgementByUrgency()).doesNotContainKey("ROUTINE");

        var ig = new FlowReportJson(new com.fasterxml.jackson.databind.ObjectMapper()).render(r, ReportAudience.IG_LEAD)
                .path("acknowledgementByUrgency");
        assertThat(ig.path("IMMEDIATE").path("acknowledged").asInt()).isEqualTo(12);
        assertThat(ig.path("IMMEDIATE").path("medianMinutes").asLong()).isEqualTo(30);
        assertThat(ig.path("PRIORITY").path("p90Minutes").asLong()).isEqualTo(180);
        assertThat(ig.path("ROUTINE").path("acknowledged").asInt()).isZero();
        var board = new FlowReportJson(new com.fasterxml.jackson.databind.ObjectMapper()).render(r, ReportAudience.BOARD)
                .path("acknowledgementByUrgency");
        assertThat(board.fieldNames()).toIterable().containsExactly("ROUTINE", "PRIORITY", "IMMEDIATE");
        assertThat(board.path("PRIORITY").path("acknowledged").asText()).isEqualTo(SmallNumbers.SUPPRESSED);
        assertThat(board.path("PRIORITY").path("medianMinutes").isNull()).as("one package's time is not shown").isTrue();
        assertThat(board.path("IMMEDIATE").path("acknowledged").isNumber()).isTrue();
        assertThat(board.path("IMMEDIATE").path("acknowledged").asLong() % SmallNumbers.BASE).isZero();
        assertThat(board.path("IMMEDIATE").path("medianMinutes").asLong()).isEqualTo(30);
    }

    private void route(String partner, String submissionId, String receipt, List<String> categories, String area,
                       List<RecipientDecision> decisions, String... packageIds) {
        List<DeliveredPackage> delivered = new ArrayList<>();
        List<RecipientDecision> sharedOnes = decisions.stream().filter(RecipientDecision::shared).toList();
        for (int i = 0; i < packageIds.length; i++) {
            RecipientDecision d = sharedOnes.get(i);
            delivered.add(new DeliveredPackage(d.recipientId(), packageIds[i], d.agreementId(), d.agreementVersion(),
                    List.of(), DIGEST, "intel." + d.recipientId()));
        }
        f.recorder.append(f.recorder.routedRecords(partner, submissionId, receipt, DIGEST, new SubmissionFacts(categories, area), decisions,
                delivered));
    }

    private static RecipientDecision shared(String recipient) {
        return new RecipientDecision(recipient, Decision.SHARED, "CS-CORE", 3, null, Set.of());
    }

    private static RecipientDecision notShared(String recipient, ReasonCode reason, String agreement, Integer v) {
        return new RecipientDecision(recipient, Decision.NOT_SHARED, agreement, v, reason, Set.of());
    }
}
