package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No audit record can carry intelligence content: names, dates of birth, identifiers or narrative. */
class AuditRecordContentTest {

    private static AuditRecord.Builder decision() {
        return AuditRecord.builder(AuditEventType.DECISION, "hub");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Jane Smith",                       // a name: whitespace
            "subject\nnarrative",               // newlines
            "seen at school with mother",       // narrative
            "dob=2011-04-23",                   // ISO date of birth
            "dob=23/04/2011",                   // UK date
            "dob=23-04-11",
            "born=23.04.2011",
            "nhs=9434765919",                   // NHS number
            "phone=07700900123",                // phone number
            "email=jane.smith@example.org",     // e-mail address
            "name=\"Jane\"",                    // quotes
            "x<script>",                        // markup
            "name=Zoë",                         // non-ASCII
            "tab\there",
    })
    void detailThatCouldCarryContentIsRefused(String detail) {
        assertThatThrownBy(() -> decision().detail(detail).build())
                .isInstanceOf(AuditContentException.class)
                .satisfies(e -> assertThat(((AuditContentException) e).field()).isEqualTo("detail"))
                .hasMessageNotContaining(detail);
    }

    @Test
    void detailLongerThan200CharactersIsRefused() {
        assertThatCode(() -> decision().detail("x".repeat(200)).build()).doesNotThrowAnyException();
        assertThatThrownBy(() -> decision().detail("x".repeat(201)).build())
                .isInstanceOf(AuditContentException.class).hasMessageContaining("200");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "queue=intel.mash-bpl;attempt=3",
            "code=INVALID_SUBMISSION;paths=4",
            "cutoff=2026-03-01T09:00:05Z;through=5;count=5",
            "error=javax.crypto.AEADBadTagException",
            "config=partnership.yaml;version=7",
            "package=2b7c0e9e-4f1a-4c1e-9d1e-123456789012",
            "h2=2.5.252",
    })
    void machineSafeDetailIsAccepted(String detail) {
        assertThat(decision().detail(detail).build().detail()).isEqualTo(detail);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Jane Smith", "jane@example.org", "", "a\nb", "-leading",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void identifiersMustBeIdentifiers(String id) {
        assertThatThrownBy(() -> AuditRecord.builder(AuditEventType.PACKAGE_FETCHED, id).build())
                .isInstanceOf(AuditContentException.class).hasMessageContaining("actor");
        assertThatThrownBy(() -> decision().participant(id).build()).isInstanceOf(AuditContentException.class);
        assertThatThrownBy(() -> decision().packageId(id).build()).isInstanceOf(AuditContentException.class);
        assertThatThrownBy(() -> decision().agreementId(id).build()).isInstanceOf(AuditContentException.class);
    }

    @Test
    void submissionIdMustBeAUuidAndIsStoredLowerCase() {
        String id = UUID.randomUUID().toString();
        assertThat(decision().submissionId(id.toUpperCase()).build().submissionId()).isEqualTo(id);
        assertThatThrownBy(() -> decision().submissionId("Jane-Smith-2011").build())
                .isInstanceOf(AuditContentException.class).hasMessageContaining("submissionId")
                .hasMessageNotContaining("Jane");
    }

    @Test
    void decisionAndReasonAreUpperCaseCodes() {
        assertThat(decision().decision("NOT_SHARED").reasonCode("OUT_OF_AREA").build().reasonCode())
                .isEqualTo("OUT_OF_AREA");
        assertThatThrownBy(() -> decision().reasonCode("because the child is at risk").build())
                .isInstanceOf(AuditContentException.class);
        assertThatThrownBy(() -> decision().decision("shared").build()).isInstanceOf(AuditContentException.class);
    }

    @Test
    void digestsMustBeSha256() {
        String hex = "ab".repeat(32);
        assertThat(decision().receivedDigest(hex).packageDigest("sha256:" + hex).build().packageDigest())
                .isEqualTo("sha256:" + hex);
        assertThatCode(() -> decision().receivedDigest("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").build())
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> decision().receivedDigest("Jane Smith").build())
                .isInstanceOf(AuditContentException.class);
        assertThatThrownBy(() -> decision().receivedDigest("ab".repeat(31)).build())
                .isInstanceOf(AuditContentException.class);
    }

    @Test
    void withheldPathsArePathsStoredAsASortedSet() {
        AuditRecord r = decision().withheldPaths(List.of("subjects[1].health", "source", "source", "contexts[2]")).build();
        assertThat(r.withheldPaths()).containsExactly("contexts[2]", "source", "subjects[1].health");
        assertThatThrownBy(() -> decision().withheldPath("subjects[0].name=Jane Smith").build())
                .isInstanceOf(AuditContentException.class);
        assertThatThrownBy(() -> decision().withheldPath("a,b").build()).isInstanceOf(AuditContentException.class);
    }

    @Test
    void keysAreIdentifiers() {
        assertThat(decision().key("decision:" + UUID.randomUUID() + ":mash-bpl").build().key()).startsWith("decision:");
        assertThatThrownBy(() -> decision().key("Jane Smith").build()).isInstanceOf(AuditContentException.class);
    }

    @Test
    void checkpointDetailMustHaveTheCheckpointForm() {
        String good = "checkpoint:v1;covers=3;head=" + "a".repeat(64) + ";sig=" + "QUJD".repeat(100);
        assertThatCode(() -> AuditRecord.builder(AuditEventType.CHECKPOINT, "hub").detail(good).build())
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> AuditRecord.builder(AuditEventType.CHECKPOINT, "hub").detail("Jane Smith").build())
                .isInstanceOf(AuditContentException.class);
    }

    @Test
    void negativeAgreementVersionIsRefused() {
        assertThatThrownBy(() -> decision().agreement("CS-CORE", -1).build()).isInstanceOf(AuditContentException.class);
    }
}
