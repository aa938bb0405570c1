package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.sharing.Decision;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.sharing.RecipientPackage;
import org.safeguarding.hub.sharing.SharingPlan;
import org.safeguarding.hub.sharing.SharingPlanner;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;
import org.safeguarding.hub.testing.RealParts;

/** The routed package JSON of SCENARIO.md: exactly its keys, in its shape, around the redacted submission. */
class PackageBuilderTest {
    static final Partnership PARTNERSHIP = PartnershipLoader.loadReference();
    static final Instant ROUTED_AT = Instant.parse("2026-11-27T10:00:05.123Z");
    final PackageBuilder builder = new PackageBuilder(RealParts.JSON);

    static JsonNode read(byte[] json) throws Exception {
        return RealParts.JSON.readTree(json);
    }

    static Participant participant(String id) {
        return PARTNERSHIP.participant(id).orElseThrow();
    }

    @Test
    void hasExactlyTheScenariosKeysWithTheirValues() throws Exception {
        ObjectNode redacted = RealParts.JSON.createObjectNode().put("area", "BPL");
        RecipientPackage p = new RecipientPackage(new RecipientDecision("mash-bpl", Decision.SHARED, "CS-CORE", 3, null,
                Set.of("source", "subjects[1].health")), redacted, List.of("source", "subjects[1].health"));

        JsonNode pkg = read(builder.build("pkg-1", "sub-1", participant("lancs-police"), p, ROUTED_AT));

        assertThat(pkg.fieldNames()).toIterable().containsExactly("packageId", "submissionId", "recipient", "source",
                "agreement", "routedAt", "redactions", "submission");
        assertThat(pkg.path("packageId").asText()).isEqualTo("pkg-1");
        assertThat(pkg.path("submissionId").asText()).isEqualTo("sub-1");
        assertThat(pkg.path("recipient").asText()).isEqualTo("mash-bpl");
        assertThat(pkg.path("source").fieldNames()).toIterable().containsExactly("partnerId", "sector");
        assertThat(pkg.path("source").path("partnerId").asText()).isEqualTo("lancs-police");
        assertThat(pkg.path("source").path("sector").asText()).isEqualTo("POLICE");
        assertThat(pkg.path("agreement").fieldNames()).toIterable().containsExactly("id", "version");
        assertThat(pkg.path("agreement").path("id").asText()).isEqualTo("CS-CORE");
        assertThat(pkg.path("agreement").path("version").isInt()).isTrue();
        assertThat(pkg.path("agreement").path("version").asInt()).isEqualTo(3);
        assertThat(pkg.path("routedAt").asText()).isEqualTo("2026-11-27T10:00:05.123Z");
        assertThat(pkg.path("redactions").isArray()).isTrue();
        assertThat(pkg.path("redactions")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("source", "subjects[1].health");
        assertThat(pkg.path("submission")).isEqualTo(redacted);
    }

    @Test
    void nothingWithheldIsAnEmptyListNotAMissingKey() throws Exception {
        RecipientPackage p = new RecipientPackage(new RecipientDecision("police-fib", Decision.SHARED, "CS-CORE", 3,
                null, Set.of()), RealParts.JSON.createObjectNode(), List.of());

        JsonNode pkg = read(builder.build("pkg-2", "sub-2", participant("nhs-lsc"), p, ROUTED_AT));

        assertThat(pkg.path("redactions").isArray()).isTrue();
        assertThat(pkg.path("redactions")).isEmpty();
        assertThat(pkg.path("source").path("sector").asText()).isEqualTo("HEALTH");
    }

    @Test
    void wrapsTheRedactedSubmissionOfARealPlanForC01() throws Exception {
        Instant receivedAt = Instant.parse("2026-11-27T10:00:00Z");
        ObjectNode c01 = RealParts.scenario("C01-police-cce-blackpool.json");
        Participant police = participant("lancs-police");
        ValidSubmission s = new SubmissionValidator(PARTNERSHIP).validate(RealParts.JSON.writeValueAsBytes(c01), police);
        SharingPlan plan = new SharingPlanner(PARTNERSHIP, new Pseudonymiser(new byte[Pseudonymiser.SECRET_BYTES]))
                .plan(s, receivedAt);

        JsonNode mash = read(builder.build("pkg-3", s.submissionId(), police, plan.packageFor("mash-bpl").orElseThrow(),
                ROUTED_AT));
        JsonNode fib = read(builder.build("pkg-4", s.submissionId(), police,
                plan.packageFor("police-fib").orElseThrow(), ROUTED_AT));

        assertThat(mash.path("submissionId").asText()).isEqualTo(c01.path("submissionId").asText());
        assertThat(mash.path("redactions")).extracting(JsonNode::asText).containsExactly("source");
        assertThat(mash.path("submission").has("source")).isFalse();
        assertThat(mash.path("submission").has("grading")).isTrue();
        assertThat(fib.path("redactions")).extracting(JsonNode::asText).containsExactly("subjects[0].health");
        assertThat(fib.path("submission").path("source").path("sourceDetails").asText()).isNotBlank();
        assertThat(fib.path("submission").path("subjects").get(0).has("health")).isFalse();
        // the package carries the redacted tree, never the original
        assertThat(c01.path("subjects").get(0).has("health")).isTrue();
    }
}
