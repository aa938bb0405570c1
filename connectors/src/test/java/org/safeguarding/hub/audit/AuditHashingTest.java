package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical form is fixed: changing it would make every stored trail fail verification. */
class AuditHashingTest {

    private static AuditEvent event(String actor, String participant, List<String> paths, String detail) {
        return new AuditEvent("5f0c7d52-9a4e-4f7e-8a1c-3c2d9b7e6a10", 7, Instant.parse("2026-03-01T09:00:00.123Z"),
                AuditEventType.DECISION, "decision:k", actor, participant, "0b9e6a6c-2f55-4d3c-9b9e-4e1d2c3b4a59",
                null, "CS-CORE", 3, "SHARED", null, paths, null, null, detail, "0".repeat(64), null);
    }

    @Test
    void goldenHashOfAKnownEvent() {
        AuditEvent e = event("hub", "mash-bpl", List.of("source", "subjects[1].health"), "profile=p1");
        assertThat(AuditHashing.hashOf(e)).isEqualTo(GOLDEN);
    }

    // computed independently from the documented v1 format (a Python script in README "Hash chain")
    private static final String GOLDEN = "1fc0e94a21f984a4ad62c157451641ca9bbf97c63ebe46ac41e45e4b5cee7ab9";

    @Test
    void fieldBoundariesAreUnambiguous() {
        assertThat(AuditHashing.hashOf(event("hub", "ab", List.of(), null)))
                .isNotEqualTo(AuditHashing.hashOf(event("huba", "b", List.of(), null)));
        assertThat(AuditHashing.hashOf(event("hub", null, List.of(), null)))
                .isNotEqualTo(AuditHashing.hashOf(event("hub", "", List.of(), null)));
        assertThat(AuditHashing.hashOf(event("hub", null, List.of("a", "b"), null)))
                .isNotEqualTo(AuditHashing.hashOf(event("hub", null, List.of("ab"), null)));
        assertThat(AuditHashing.hashOf(event("hub", null, List.of("a"), "b")))
                .isNotEqualTo(AuditHashing.hashOf(event("hub", null, List.of("a", "b"), null)));
    }

    @Test
    void theStoredHashIsNotPartOfTheHashedForm() {
        AuditEvent e = event("hub", null, List.of(), null);
        AuditEvent withHash = new AuditEvent(e.id(), e.sequence(), e.time(), e.type(), e.key(), e.actor(),
                e.participant(), e.submissionId(), e.packageId(), e.agreementId(), e.agreementVersion(), e.decision(),
                e.reasonCode(), e.withheldPaths(), e.receivedDigest(), e.packageDigest(), e.detail(), e.previousHash(),
                "whatever");
        assertThat(AuditHashing.hashOf(withHash)).isEqualTo(AuditHashing.hashOf(e));
    }
}
