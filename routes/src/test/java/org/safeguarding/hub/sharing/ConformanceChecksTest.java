package org.safeguarding.hub.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The "checks" of each conformance case, as concrete assertions on the packages. */
class ConformanceChecksTest {

    private static ObjectNode pkg(SharingPlan plan, String recipient) {
        return plan.packageFor(recipient).orElseThrow().redactedSubmission();
    }

    @Test
    void c01PoliceSeesSourceAndGradingButNoHealth() {
        ObjectNode fib = pkg(Scenario.plan("C01"), "police-fib");
        assertThat(fib.at("/source/sourceDetails").asText()).isEqualTo("Handled source S-117, reporting since 2024");
        assertThat(fib.at("/grading/source").asText()).isEqualTo("2");
        assertThat(fib.get("subjects")).hasSize(2).allSatisfy(s -> assertThat(s.has("health")).isFalse());
        assertThat(fib.get("narrative").asText()).contains("07700 900123");
    }

    @Test
    void c01MashSeesGradingNotSourceAndBothIdentitiesAndHealth() {
        ObjectNode mash = pkg(Scenario.plan("C01"), "mash-bpl");
        assertThat(mash.has("grading")).isTrue();
        assertThat(mash.has("source")).isFalse();
        assertThat(mash.at("/subjects/0/identity/name").asText()).isEqualTo("Jamie Example");
        assertThat(mash.at("/subjects/1/identity/name").asText()).isEqualTo("Alex Sample");
        assertThat(mash.at("/subjects/0/health/injuries").asText()).isEqualTo("bruising to left cheek");
    }

    @Test
    void c01EverySubjectKeepsRefRoleAndAge() {
        ObjectNode fib = pkg(Scenario.plan("C01"), "police-fib");
        assertThat(fib.at("/subjects/0/ref").asText()).isEqualTo("LP-C-1");
        assertThat(fib.at("/subjects/0/role").asText()).isEqualTo("CHILD_AT_RISK");
        assertThat(fib.at("/subjects/0/age").asInt()).isEqualTo(15);
        assertThat(fib.at("/subjects/1/age").asInt()).isEqualTo(24);
    }

    @Test
    void c02EducationNarrativeIsScrubbedAndKeepsTheRest() {
        ObjectNode edu = pkg(Scenario.plan("C02"), "education-bwd");
        String narrative = edu.get("narrative").asText();
        assertThat(narrative).isEqualTo("Clinic nurse reports the child (NHS [REDACTED]) gave contact [REDACTED]"
                + " and said she stays at an address in [REDACTED] at weekends.");
        assertThat(narrative).doesNotContain("999 000 0026", "riley.example@mail.test", "BB2 6TT");
    }

    @Test
    void c02EducationSeesOnlyTheSchoolContext() {
        ObjectNode edu = pkg(Scenario.plan("C02"), "education-bwd");
        assertThat(edu.get("contexts")).singleElement()
                .satisfies(c -> assertThat(c.get("type").asText()).isEqualTo("SCHOOL"));
        assertThat(edu.at("/subjects/0").has("health")).isFalse();
        assertThat(edu.at("/subjects/0").has("lookedAfter")).isFalse();
        assertThat(edu.at("/subjects/0/identity/nhsNumber").asText()).isEqualTo("9990000026");
    }

    @Test
    void c03EducationSeesTheChildInFullAndAPseudonymForTheOther() {
        SharingPlan plan = Scenario.plan("C03");
        ObjectNode edu = pkg(plan, "education-bpl");
        assertThat(edu.at("/subjects/0/identity/name").asText()).isEqualTo("Morgan Example");
        assertThat(edu.at("/subjects/0/identity/upn").asText()).isEqualTo("Q890200126001");
        JsonNode other = edu.at("/subjects/1");
        assertThat(other.get("ref").asText()).isEqualTo("EDU-118-A");
        assertThat(other.get("identity").size()).isEqualTo(1);
        String pseudonym = other.at("/identity/pseudonym").asText();
        assertThat(pseudonym).matches("[a-z2-7]{16}");
        assertThat(pseudonym).isEqualTo(new Pseudonymiser(Scenario.SECRET).pseudonym("education-bpl", "sam sample|2004-11-02"));
        assertThat(other.get("age").asInt()).isEqualTo(22);
        assertThat(edu.toString()).doesNotContain("Sam Sample", "2004-11-02");
    }

    @Test
    void c03VoluntarySeesOneSubjectAndTheEpisodeOnly() {
        ObjectNode vcs = pkg(Scenario.plan("C03"), "vcs-missing");
        assertThat(vcs.get("subjects")).singleElement().satisfies(s -> {
            assertThat(s.get("ref").asText()).isEqualTo("EDU-118");
            assertThat(s.at("/identity/name").asText()).isEqualTo("Morgan Example");
            assertThat(s.has("health")).isFalse();
            assertThat(s.has("lookedAfter")).isFalse();
        });
        assertThat(vcs.at("/missingEpisode/locationFound").asText()).isEqualTo("Bus station, Preston");
        assertThat(vcs.has("narrative")).isFalse();
        assertThat(vcs.has("contexts")).isFalse();
        assertThat(vcs.has("source")).isFalse();
        assertThat(vcs.has("grading")).isFalse();
    }

    @Test
    void c04AndC05TheExtendedScopeAppliesInBlackpoolOnly() {
        assertThat(Scenario.plan("C04").decisionFor("mash-bpl").orElseThrow().shared()).isTrue();
        assertThat(Scenario.plan("C05").decisionFor("mash-bwd").orElseThrow().reason()).isEqualTo(ReasonCode.OUT_OF_AGE_SCOPE);
    }

    @Test
    void c05IsUnroutedButEveryRecipientHasADecision() {
        SharingPlan plan = Scenario.plan("C05");
        assertThat(plan.unrouted()).isTrue();
        assertThat(plan.packages()).isEmpty();
        assertThat(plan.decisions()).hasSize(10).noneMatch(RecipientDecision::shared);
    }

    @Test
    void c06EveryPackageCarriesTheConditionsVerbatim() {
        SharingPlan plan = Scenario.plan("C06");
        assertThat(plan.packages()).hasSize(3).allSatisfy(p -> assertThat(p.redactedSubmission().at("/handling/conditions").asText())
                .isEqualTo("Do not disclose to the subject or carers; contact DS 2291 before any action"));
    }

    @Test
    void c06PlacingAuthorityMatchesIgnoringCaseAndLocalAuthoritiesSeeGrading() {
        SharingPlan plan = Scenario.plan("C06");
        assertThat(Scenario.submission("C06").subjects().get(0).placingAuthority()).isEqualTo("Manchester");
        assertThat(plan.decisionFor("placing-manchester").orElseThrow().agreementId()).isEqualTo("CS-PLACED");
        for (String r : new String[]{"mash-lancs", "placing-manchester"}) {
            ObjectNode p = pkg(plan, r);
            assertThat(p.at("/grading/intelligence").asText()).as(r).isEqualTo("A");
            assertThat(p.has("source")).as(r).isFalse();
        }
    }

    @Test
    void c08UnknownAgeCountsAsAChildAndHasNoAgeKey() {
        SharingPlan plan = Scenario.plan("C08");
        assertThat(plan.decisionFor("vcs-missing").orElseThrow().shared()).isTrue();
        assertThat(plan.decisionFor("education-bpl").orElseThrow().shared()).isTrue();
        assertThat(plan.packages()).isNotEmpty().allSatisfy(p -> p.redactedSubmission().get("subjects")
                .forEach(s -> assertThat(s.has("age")).as(p.recipientId()).isFalse()));
    }

    @Test
    void notSharedDecisionsNameTheAgreementWhoseClauseRefused() {
        SharingPlan plan = Scenario.plan("C01");
        RecipientDecision yj = plan.decisionFor("youth-justice").orElseThrow();
        assertThat(yj.agreementId()).isEqualTo("CS-2023");
        assertThat(yj.agreementVersion()).isEqualTo(4);
        assertThat(plan.decisionFor("health-safeguarding").orElseThrow().agreementId()).isEqualTo("CS-CORE");
        assertThat(yj.withheld()).isEmpty();
    }
}
