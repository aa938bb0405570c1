package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/** The content and authorisation rejections of conformance.json (R03, R04, R08, R09, R10), at the file's clock. */
class ScenarioRejectionTest {
    private static JsonNode conformance;
    private static Instant clock;
    private final SchemaCheckedValidator validator = new SchemaCheckedValidator(Scenario.PARTNERSHIP);

    @BeforeAll
    static void readConformance() throws Exception {
        try (InputStream in = ScenarioRejectionTest.class.getResourceAsStream("/scenario/conformance.json")) {
            conformance = new ObjectMapper().readTree(in);
        }
        clock = Instant.parse(conformance.get("clock").asText());
    }

    private static JsonNode rejection(String id) {
        for (JsonNode r : conformance.get("rejections")) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException(id);
    }

    private static List<String> expectedPaths(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.get("paths").forEach(p -> out.add(p.asText()));
        return out;
    }

    /** Validates and checks the time window as the hub does; returns the rejection. */
    private HubException reject(String id, String sender) {
        JsonNode r = rejection(id);
        byte[] json = Scenario.submission(r.get("submission").asText().replace("submissions/", ""));
        HubException e = catchThrowableOfType(HubException.class, () -> {
            ValidSubmission s = validator.validate(json, Scenario.participant(sender));
            SubmissionValidator.checkTimeWindow(s, clock);
        });
        assertThat(e).as(id + " is rejected").isNotNull();
        assertThat(e.code().name()).isEqualTo(r.get("code").asText());
        assertThat(e.code().httpStatus()).isEqualTo(r.get("http").asInt());
        return e;
    }

    @Test
    void r03InvalidFieldsListsEveryPath() {
        HubException e = reject("R03", "nhs-lsc");
        assertThat(e.errors()).extracting(FieldError::path)
                .containsExactlyInAnyOrderElementsOf(expectedPaths(rejection("R03")));
        assertThat(e.errors()).extracting(FieldError::message).noneMatch(m -> m.contains("9990000027"));
    }

    @Test
    void r04PoliceWithoutGrading() {
        HubException e = reject("R04", "lancs-police");
        assertThat(e.errors()).extracting(FieldError::path)
                .containsExactlyInAnyOrderElementsOf(expectedPaths(rejection("R04")));
    }

    @Test
    void r08StaleAtTheFilesClock() {
        reject("R08", "bpl-education");
    }

    @Test
    void r09AreaNotPermitted() {
        HubException e = reject("R09", "bwd-education");
        assertThat(e.code()).isEqualTo(ErrorCode.AREA_NOT_PERMITTED);
    }

    @Test
    void r10MissingWithoutEpisodeAndBadUpn() {
        HubException e = reject("R10", "bpl-education");
        assertThat(e.errors()).extracting(FieldError::path)
                .containsExactlyInAnyOrderElementsOf(expectedPaths(rejection("R10")));
        assertThat(e.errors()).extracting(FieldError::message).noneMatch(m -> m.contains("A890200126001"));
    }

    @ParameterizedTest
    @CsvSource({
            "C01-police-cce-blackpool.json, lancs-police",
            "C02-health-cse-blackburn.json, nhs-lsc",
            "C03-education-missing-blackpool.json, bpl-education",
            "C04-vcs-cse-blackpool-age21.json, lancs-vcs",
            "C05-vcs-cse-blackburn-age21.json, lancs-vcs",
            "C06-police-trafficking-placed-child.json, lancs-police",
            "C07-education-cce-handling-c.json, bwd-education",
            "C08-csc-missing-unknown-age.json, bpl-csc"})
    void theDecisionCasesAreAccepted(String file, String sender) {
        assertThatCode(() -> {
            ValidSubmission s = validator.validate(Scenario.submission(file), Scenario.participant(sender));
            SubmissionValidator.checkTimeWindow(s, clock);
            assertThat(s.partnerId()).isEqualTo(sender);
        }).doesNotThrowAnyException();
    }

    @Test
    void validSubmissionCarriesTypedFacts() {
        ValidSubmission s = validator.validate(Scenario.submission("C04-vcs-cse-blackpool-age21.json"),
                Scenario.participant("lancs-vcs"));
        assertThat(s.subjects()).singleElement().satisfies(x -> {
            assertThat(x.age()).isEqualTo(21);
            assertThat(x.isChildAtRisk()).isTrue();
        });
        ValidSubmission c08 = validator.validate(Scenario.submission("C08-csc-missing-unknown-age.json"),
                Scenario.participant("bpl-csc"));
        assertThat(c08.subjects().get(0).age()).isNull();
        ValidSubmission c06 = validator.validate(Scenario.submission("C06-police-trafficking-placed-child.json"),
                Scenario.participant("lancs-police"));
        assertThat(c06.handlingCode()).isEqualTo(HandlingCode.C);
        assertThat(c06.conditions()).isPresent();
        assertThat(c06.subjects().get(0).placingAuthority()).isEqualTo("Manchester");
    }
}
