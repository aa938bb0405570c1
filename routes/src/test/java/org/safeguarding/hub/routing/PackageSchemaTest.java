package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.safeguarding.hub.sharing.RecipientPackage;
import org.safeguarding.hub.sharing.SharingPlan;
import org.safeguarding.hub.sharing.SharingPlanner;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;
import org.safeguarding.hub.testing.PackageSchema;
import org.safeguarding.hub.testing.RealParts;

/**
 * The published package schema holds the packages the hub builds, and the check the routes tests make with it
 * ({@link PackageSchema}) fails a package that breaks it, at the path it breaks: a check that cannot fail is no check.
 */
class PackageSchemaTest {
    static final Partnership PARTNERSHIP = PartnershipLoader.loadReference();
    static final List<String> SCENARIO = List.of("C01-police-cce-blackpool.json", "C02-health-cse-blackburn.json",
            "C03-education-missing-blackpool.json", "C04-vcs-cse-blackpool-age21.json",
            "C05-vcs-cse-blackburn-age21.json", "C06-police-trafficking-placed-child.json",
            "C07-education-cce-handling-c.json", "C08-csc-missing-unknown-age.json");
    final PackageBuilder builder = new PackageBuilder(RealParts.JSON);
    final PackageSchema schema = PackageSchema.published();

    /** Every package of the scenario's accepted submissions, as routing builds it for each recipient. */
    List<JsonNode> scenarioPackages() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (String file : SCENARIO) {
            ObjectNode json = RealParts.scenario(file);
            Participant partner = PARTNERSHIP.participant(json.path("partnerId").asText()).orElseThrow();
            ValidSubmission s = new SubmissionValidator(PARTNERSHIP).validate(RealParts.JSON.writeValueAsBytes(json),
                    partner);
            Instant at = Instant.parse(json.path("submittedAt").asText()).plusSeconds(5);
            SharingPlan plan = new SharingPlanner(PARTNERSHIP, new Pseudonymiser(new byte[Pseudonymiser.SECRET_BYTES]))
                    .plan(s, at);
            for (RecipientPackage p : plan.packages()) {
                all.add(RealParts.JSON.readTree(builder.build(UUID.randomUUID().toString(), s.submissionId(), partner,
                        p, at)));
            }
        }
        return all;
    }

    @Test
    void everyPackageOfTheScenarioValidates() throws Exception {
        List<JsonNode> packages = scenarioPackages();
        assertThat(packages).as("the scenario shares").hasSizeGreaterThan(SCENARIO.size());
        assertThat(packages).as("some identities are pseudonymised")
                .anyMatch(p -> p.toString().contains("\"pseudonym\""));
        packages.forEach(schema::check);
    }

    @Test
    void anUpdateAndAnUrgentPackageValidate() throws Exception {
        JsonNode routed = scenarioPackages().get(0);
        ObjectNode update = routed.deepCopy();
        update.put("kind", "update").put("revision", 2).put("correctionReason", "FACTUAL_ERROR")
                .put("urgency", "IMMEDIATE").put("acknowledgeBy", "2026-11-27T11:00:05Z");
        update.putArray("changedGroups").add("NARRATIVE");
        update.putArray("supersedes").add(UUID.randomUUID().toString());
        schema.check(update);
        ObjectNode added = routed.deepCopy();
        added.put("kind", "package").put("revision", 2);
        schema.check(added);
    }

    @Test
    void aRoutedPackageThatBreaksTheSchemaFailsAtThePathItBreaks() throws Exception {
        JsonNode good = scenarioPackages().get(0);
        schema.check(good);
        assertBreaks(good, p -> p.put("note", "a key no package has"), "/", "'note'");
        assertBreaks(good, p -> p.remove("agreement"), "/", "'agreement'");
        assertBreaks(good, p -> p.put("packageId", "pkg-1"), "/packageId", "pattern");
        assertBreaks(good, p -> p.withArray("redactions").add("subjects[0].name"),
                "/redactions/" + good.path("redactions").size(), "pattern");
        // through the $ref into the submission schema: the check resolves it, not skips it
        assertBreaks(good, p -> p.with("submission").withArray("categories").removeAll().add("GANGS"),
                "/submission/categories/0", "enum");
        assertBreaks(good, p -> p.with("submission").put("urgency", "IMMEDIATE"), "/submission", "'urgency'");
        assertBreaks(good, p -> ((ObjectNode) p.with("submission").withArray("subjects").get(0))
                .putObject("identity").put("pseudonym", "NOT-BASE-32"), "/submission/subjects/0/identity/pseudonym",
                "pattern");
        assertBreaks(good, p -> p.put("kind", "update").put("revision", 2), "/", "'correctionReason'");
        assertBreaks(good, p -> p.put("urgency", "IMMEDIATE"), "/", "acknowledgeBy");
        assertBreaks(good, p -> p.put("kind", "notice"), "/kind", "enum");
    }

    @Test
    void aNoticeThatBreaksTheSchemaFailsAtThePathItBreaks() {
        ObjectNode recall = RealParts.JSON.createObjectNode().put("kind", "recall")
                .put("packageId", UUID.randomUUID().toString()).put("recipient", "mash-bpl")
                .put("submissionId", UUID.randomUUID().toString());
        recall.putArray("recalls").add(UUID.randomUUID().toString());
        recall.put("reason", "SENT_IN_ERROR").put("withdrawnAt", "2026-11-27T10:00:00Z")
                .put("recalledAt", "2026-11-27T10:00:01.250Z").put("action", "Destroy them.");
        schema.check(recall);
        assertBreaks(recall, p -> p.put("revision", 2), "/", "revision");
        assertBreaks(recall, p -> p.put("reason", "CHANGED_OUR_MIND"), "/reason", "enum");
        assertBreaks(recall, p -> p.put("recalledAt", "2026-11-27 10:00"), "/recalledAt", "");
        assertBreaks(recall, p -> p.withArray("recalls").removeAll(), "/recalls", "");
        assertBreaks(recall, p -> p.set("submission", RealParts.JSON.createObjectNode()), "/", "'submission'");
    }

    @Test
    void aSchemaThePackagesBreakIsCaught() throws Exception {
        String stricter = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("..", "docs", "schemas",
                "package.schema.json")), StandardCharsets.UTF_8).replace("\"POLICE\",\n        \"HEALTH\",",
                "\"HEALTH\",");
        assertThat(stricter).as("the edit applies").isNotEqualTo(new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("..", "docs", "schemas", "package.schema.json")), StandardCharsets.UTF_8));
        PackageSchema noPolice = PackageSchema.of(stricter);
        JsonNode fromPolice = scenarioPackages().stream()
                .filter(p -> p.path("source").path("sector").asText().equals("POLICE")).findFirst().orElseThrow();
        assertThatThrownBy(() -> noPolice.check(fromPolice)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("sector");
    }

    @Test
    void readParsesAndChecks() {
        assertThatThrownBy(() -> PackageSchema.read("{\"packageId\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("recipient");
        assertThatThrownBy(() -> PackageSchema.read("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not JSON");
    }

    /** {@code breakIt} on a copy of {@code good} fails the check with an error at {@code at} naming {@code what}. */
    private void assertBreaks(JsonNode good, Consumer<ObjectNode> breakIt, String at, String what) {
        ObjectNode broken = good.deepCopy();
        breakIt.accept(broken);
        List<String> errors = schema.errors(broken).stream().map(PackageSchema::describe).toList();
        assertThat(errors).as(at + " " + what).anyMatch(e -> e.startsWith(at + ": ") && e.contains(what));
        assertThatThrownBy(() -> schema.check(broken)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(at + ": ");
    }

}
