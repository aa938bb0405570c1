package org.safeguarding.hub.auditing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.auditing.AuditRecorder.DeliveredPackage;
import org.safeguarding.hub.auditing.AuditRecorder.SubmissionFacts;
import org.safeguarding.hub.sharing.Decision;
import org.safeguarding.hub.sharing.ReasonCode;
import org.safeguarding.hub.sharing.RecipientDecision;

/** What the DECISION and outcome events carry for the reports: the partner and category/area codes, nothing else. */
class AuditRecorderFactsTest {
    static final String DIGEST = "a".repeat(64);
    final TrailFixture f = TrailFixture.at("2026-11-27T10:00:00Z");

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void decisionsCarryPartnerCategoriesAndAreaAsCodes() {
        String sub = UUID.randomUUID().toString();
        f.recorder.append(f.recorder.routedRecords("lancs-police", sub, "r1", DIGEST, new SubmissionFacts(List.of("CSE", "CCE"), "BPL"),
                List.of(new RecipientDecision("police-fib", Decision.SHARED, "CS-CORE", 3, null, Set.of("source")),
                        new RecipientDecision("mash-bwd", Decision.NOT_SHARED, "CS-CORE", 3, ReasonCode.OUT_OF_AREA,
                                Set.of())),
                List.of(new DeliveredPackage("police-fib", "p1", "CS-CORE", 3, List.of("source"), DIGEST,
                        "intel.police-fib"))));

        List<AuditEvent> decisions = f.all().stream().filter(e -> e.type() == AuditEventType.DECISION).toList();
        assertThat(decisions).extracting(AuditEvent::detail)
                .containsOnly("partner=lancs-police;categories=CCE+CSE;area=BPL");
        assertThat(f.all()).filteredOn(e -> e.type() == AuditEventType.SUBMISSION_ROUTED).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("packages=1;categories=CCE+CSE;area=BPL"));
    }

    @Test
    void anythingThatIsNotAPlainCodeIsLeftOut() {
        SubmissionFacts facts = new SubmissionFacts(List.of("CSE", "Jamie Example", "cse", "2011-03-02"),
                "12 Example Street");
        assertThat(facts.categories()).containsExactly("CSE");
        assertThat(facts.area()).isNull();
        assertThat(facts.tokens()).isEqualTo("categories=CSE");
        assertThat(SubmissionFacts.UNKNOWN.tokens()).isEmpty();
    }

    @Test
    void withoutFactsTheDecisionStillNamesThePartner() {
        f.recorder.append(f.recorder.routedRecords("nhs-lsc", UUID.randomUUID().toString(), "r2", DIGEST, SubmissionFacts.UNKNOWN,
                List.of(new RecipientDecision("youth-justice", Decision.NOT_SHARED, "CS-2023", 4,
                        ReasonCode.AGREEMENT_EXPIRED, Set.of())), List.of()));

        assertThat(f.all()).filteredOn(e -> e.type() == AuditEventType.DECISION).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("partner=nhs-lsc"));
        assertThat(f.all()).filteredOn(e -> e.type() == AuditEventType.SUBMISSION_UNROUTED).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("packages=0"));
    }

    @Test
    void detailTokensFoldWhatTheTrailWouldRefuse() {
        assertThat(AuditRecorder.token("broker: send to \"x|y\"")).isEqualTo("broker:-send-to-x-y-");
        assertThat(AuditRecorder.token("a=1;b=2,c")).isEqualTo("a=1;b=2,c");
        assertThat(AuditRecorder.token("x".repeat(300))).hasSize(200);
        // a folded detail is accepted by the trail
        f.recorder.refused("someone", "broker: send to \"x|y\"");
        assertThat(f.all()).filteredOn(e -> e.type() == AuditEventType.ACCESS_REFUSED).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("broker:-send-to-x-y-"));
    }
}
