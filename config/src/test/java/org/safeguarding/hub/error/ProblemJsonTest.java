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
    @Test
    void aProblemIsTypeTitleStatusDetailAndCodeInThatOrder() {
        String json = new String(ProblemJson.of(new HubException(ErrorCode.UNDECRYPTABLE, "Not a CMS envelope.")),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"type\":\"urn:safeguarding-hub:problem:undecryptable\","
                + "\"title\":\"Envelope cannot be opened\",\"status\":400,"
                + "\"detail\":\"Not a CMS envelope. " + ErrorCode.UNDECRYPTABLE.action() + "\","
                + "\"code\":\"UNDECRYPTABLE\"}");
    }

    @Test
    void withoutADetailTheDetailIsWhatToDo() {
        String json = new String(ProblemJson.of(ErrorCode.INTERNAL, null), StandardCharsets.UTF_8);

        assertThat(json).contains("\"detail\":\"" + ErrorCode.INTERNAL.action() + "\"").doesNotContain("errors");
    }

    @Test
    void anInvalidSubmissionAlwaysListsItsErrors() {
        assertThat(new String(ProblemJson.of(ErrorCode.INVALID_SUBMISSION, "Invalid."), StandardCharsets.UTF_8))
                .endsWith(",\"errors\":[],\"errorCount\":0}");
        assertThat(new String(ProblemJson.of(ErrorCode.INVALID_SUBMISSION, "Invalid.",
                List.of(new FieldError("subject.dateOfBirth", "must be a date"))), StandardCharsets.UTF_8))
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
            byte[] problem = ProblemJson.of(e);

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
        assertThat(new String(ProblemJson.of(e), StandardCharsets.UTF_8)).endsWith(",\"errorCount\":2}");
    }
}
