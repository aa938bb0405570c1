package org.safeguarding.hub.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every decision case of conformance.json, at the file's clock: every recipient's decision, exactly. */
class ConformanceDecisionsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08"})
    void decisionsAreExactlyThoseOfTheConformanceFile(String caseId) {
        JsonNode expected = Scenario.testCase(caseId);
        SharingPlan plan = Scenario.plan(caseId);

        List<String> recipients = new ArrayList<>();
        Scenario.CONFORMANCE.get("recipients").forEach(r -> recipients.add(r.asText()));
        assertThat(plan.decisions()).extracting(RecipientDecision::recipientId).containsExactlyElementsOf(recipients);
        assertThat(plan.unrouted() ? "UNROUTED" : "ROUTED").isEqualTo(expected.get("status").asText());

        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, JsonNode> e : expected.get("decisions").properties()) {
            String r = e.getKey();
            JsonNode want = e.getValue();
            RecipientDecision got = plan.decisionFor(r).orElseThrow();
            soft.assertThat(got.decision().name()).as(caseId + " " + r + " decision").isEqualTo(want.get("decision").asText());
            if (want.get("decision").asText().equals("SHARED")) {
                soft.assertThat(got.agreementId()).as(caseId + " " + r + " agreement").isEqualTo(want.get("agreement").asText());
                soft.assertThat(got.agreementVersion()).as(caseId + " " + r + " version").isEqualTo(want.get("version").asInt());
                Set<String> withheld = new HashSet<>();
                want.get("withheld").forEach(w -> withheld.add(w.asText()));
                soft.assertThat(got.withheld()).as(caseId + " " + r + " withheld").isEqualTo(withheld);
                soft.assertThat(got.reason()).isNull();
                RecipientPackage p = plan.packageFor(r).orElseThrow();
                soft.assertThat(Set.copyOf(p.redactions())).as(caseId + " " + r + " redactions").isEqualTo(withheld);
            } else {
                soft.assertThat(got.reason()).as(caseId + " " + r + " reason").isNotNull();
                soft.assertThat(got.reason().name()).as(caseId + " " + r + " reason").isEqualTo(want.get("reason").asText());
                soft.assertThat(plan.packageFor(r)).as(caseId + " " + r + " has no package").isEmpty();
            }
        }
        soft.assertThat(expected.get("decisions").size()).as("the file lists every recipient").isEqualTo(recipients.size());
        soft.assertAll();
    }
}
