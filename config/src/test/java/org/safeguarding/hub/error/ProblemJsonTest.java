package org.safeguarding.hub.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The problem document every channel answers, byte for byte: its fields in order, the detail, the errors (at most the
 * first 100) and how many there were.
 */
class ProblemJsonTest {
    private static final ProblemJson PROBLEMS = new ProblemJson("https://hub.test");

    @Test
    void aProblemIsTypeTitleStatusDetailInstanceAndCodeInThatOrder() {
        String json = new String(new ProblemJson("https://hub.example.org:8443")
                .of(new HubException(ErrorCode.UNDECRYPTABLE, "Not a CMS envelope."), "/api/v1/submissions"),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"type\":\"https://hub.example.org:8443/problems/undecryptable\","
                + "\"title\":\"Envelope cannot be opened\",\"status\":400,"
                + "\"detail\":\"Not a CMS envelope. " + ErrorCode.UNDECRYPTABLE.action() + "\","
                + "\"instance\":\"/api/v1/submissions\",\"code\":\"UNDECRYPTABLE\"}");
    }

    @Test
    void theTypeIsThePageOfTheCodeUnderThePublicBaseUrl() {
        for (String base : List.of("https://hub.example.org", "https://hub.example.org/")) {
            for (ErrorCode code : ErrorCode.values()) {
                assertThat(new ProblemJson(base).type(code)).isEqualTo("https://hub.example.org/problems/" + code.slug());
                assertThat(ErrorCode.ofSlug(code.slug())).hasValue(code);
            }
        }
        assertThat(ErrorCode.INVALID_SUBMISSION.slug()).isEqualTo("invalid-submission");
        assertThat(ErrorCode.ofSlug("INVALID_SUBMISSION")).isEmpty();
    }

    @Test
    void aBaseUrlThatIsNotHttpsOrHasAPathIsRefused() {
        for (String bad : List.of("http://hub.example.org", "https://hub.example.org/api", "https://hub.example.org?x=1",
                "https:///nohost", "hub.example.org", "https://hub.example.org/#f")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ProblemJson(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void withoutARequestThereIsNoInstanceAndALongPathIsCutWhole() throws Exception {
        assertThat(new ObjectMapper().readTree(PROBLEMS.of(ErrorCode.NOT_FOUND, null, null)).has("instance")).isFalse();
        assertThat(new ObjectMapper().readTree(PROBLEMS.of(ErrorCode.NOT_FOUND, null, "")).has("instance")).isFalse();
        String path = "/api/v1/submissions/" + "\uD83D\uDE00".repeat(400);
        String instance = new ObjectMapper().readTree(PROBLEMS.of(ErrorCode.NOT_FOUND, null, path)).path("instance").asText();
        assertThat(instance.length()).isLessThanOrEqualTo(ProblemJson.MAX_INSTANCE_CHARS);
        assertThat(path).startsWith(instance);
        assertThat(Character.isHighSurrogate(instance.charAt(instance.length() - 1))).isFalse();
    }

    @Test
    void withoutADetailTheDetailIsWhatToDo() {
        String json = new String(PROBLEMS.of(ErrorCode.INTERNAL, null, null), StandardCharsets.UTF_8);

        assertThat(json).contains("\"detail\":\"" + ErrorCode.INTERNAL.action() + "\"").doesNotContain("errors");
    }

    @Test
    void anInvalidSubmissionAlwaysListsItsErrors() {
        assertThat(new String(PROBLEMS.of(ErrorCode.INVALID_SUBMISSION, "Invalid.", null), StandardCharsets.UTF_8))
                .endsWith(",\"errors\":[],\"errorCount\":0}");
        assertThat(new String(PROBLEMS.of(ErrorCode.INVALID_SUBMISSION, "Invalid.",
                List.of(new FieldError("subject.dateOfBirth", "must be a date")), 1, null), StandardCharsets.UTF_8))
                .endsWith(",\"errors\":[{\"path\":\"subject.dateOfBirth\",\"message\":\"must be a date\"}],\"errorCount\":1}");
    }

    @Test
    void atMostTheFirstHundredErrorsAreListedWithHowManyThereWere() throws Exception {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            errors.add(new FieldError("subjects[0].(unknown field " + i + ")", "is not a field of a submission; remove it"));
        }
        for (HubException e : List.of(new HubException(ErrorCode.INVALID_SUBMISSION, "Invalid.", errors),
                new HubException(ErrorCode.INVALID_SUBMISSION, "Invalid.", errors.subList(0, 100), 20_000))) {
            byte[] problem = PROBLEMS.of(e, null);

            JsonNode p = new ObjectMapper().readTree(problem);
            assertThat(p.path("errors")).hasSize(ProblemJson.MAX_ERRORS);
            assertThat(p.path("errors").get(0).path("path").asText()).isEqualTo("subjects[0].(unknown field 0)");
            assertThat(p.path("errors").get(99).path("path").asText()).isEqualTo("subjects[0].(unknown field 99)");
            assertThat(p.path("errorCount").asInt()).isEqualTo(20_000);
            assertThat(problem.length).as("bytes").isLessThan(12 * 1024);
        }
    }

    @Test
    void theCountIsNeverBelowWhatIsListed() {
        HubException e = new HubException(ErrorCode.INVALID_SUBMISSION, "Invalid.",
                List.of(new FieldError("a", "x"), new FieldError("b", "y")), 1);

        assertThat(e.errorCount()).isEqualTo(2);
        assertThat(new String(PROBLEMS.of(e, null), StandardCharsets.UTF_8)).endsWith(",\"errorCount\":2}");
    }
}
