package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/**
 * The check every validator test runs through ({@link SchemaCheckedValidator}) catches a schema that disagrees with
 * the hub either way, and reads the rules beside the schema from its README as written.
 */
class SubmissionSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSchemaStricterThanTheHubIsCaught() {
        SchemaCheckedValidator strict = new SchemaCheckedValidator(Scenario.PARTNERSHIP, SchemaCheckedValidator.schema(
                "https://hub.invalid/strict.json", "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
                        + "\"type\":\"object\",\"required\":[\"noSuchField\"]}"));

        assertThatThrownBy(() -> strict.validate(Scenario.submission("C01-police-cce-blackpool.json"),
                Scenario.participant("lancs-police")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("accepts a submission its published schema refuses");
    }

    @Test
    void aSchemaLooserThanTheHubAndItsListedRulesIsCaught() throws Exception {
        SchemaCheckedValidator loose = new SchemaCheckedValidator(Scenario.PARTNERSHIP, SchemaCheckedValidator.schema(
                "https://hub.invalid/loose.json", "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"}"));
        ObjectNode c01 = (ObjectNode) JSON.readTree(Scenario.submission("C01-police-cce-blackpool.json"));
        c01.putArray("categories");

        assertThatThrownBy(() -> loose.validate(JSON.writeValueAsBytes(c01), Scenario.participant("lancs-police")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("categories");
    }

    @Test
    void aRefusalOnlyForAListedRuleNeedsNoSchemaRefusal() throws Exception {
        SchemaCheckedValidator loose = new SchemaCheckedValidator(Scenario.PARTNERSHIP, SchemaCheckedValidator.schema(
                "https://hub.invalid/loose.json", "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"}"));
        ObjectNode c06 = (ObjectNode) JSON.readTree(Scenario.submission("C06-police-trafficking-placed-child.json"));
        ((ObjectNode) c06.get("subjects").get(0).get("identity")).put("nhsNumber", "9990000035"); // bad check digit

        assertThatThrownBy(() -> loose.validate(JSON.writeValueAsBytes(c06), Scenario.participant("lancs-police")))
                .isInstanceOf(HubException.class);
    }

    @Test
    void theRulesBesideTheSchemaAreReadFromItsReadme() {
        List<SchemaCheckedValidator.Rule> rules = SchemaCheckedValidator.rulesOutsideTheSchema();

        assertThat(rules).hasSizeGreaterThanOrEqualTo(10);
        assertThat(rules).anyMatch(r -> r.explains(new FieldError("subjects[2].identity.nhsNumber",
                "must be an NHS number: 10 digits, no spaces, with a valid modulus-11 check digit")));
        assertThat(rules).anyMatch(r -> r.explains(new FieldError("subjects[0].identity.dateOfBirth",
                "must not be in the future")));
        assertThat(rules).anyMatch(r -> r.explains(new FieldError("missingEpisode.to", "must not be before from")));
        assertThat(rules).noneMatch(r -> r.explains(new FieldError("categories", "must not be empty")));
        assertThat(rules).noneMatch(r -> r.explains(new FieldError("subjects[0].identity.upn",
                "must be an NHS number: 10 digits")));
    }
}
