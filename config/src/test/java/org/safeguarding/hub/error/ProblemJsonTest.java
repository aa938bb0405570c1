package org.safeguarding.hub.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The problem document every channel answers, byte for byte: its fields in order, the detail, the errors. */
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
                .endsWith(",\"errors\":[]}");
        assertThat(new String(ProblemJson.of(ErrorCode.INVALID_SUBMISSION, "Invalid.",
                List.of(new FieldError("subject.dateOfBirth", "must be a date"))), StandardCharsets.UTF_8))
                .endsWith(",\"errors\":[{\"path\":\"subject.dateOfBirth\",\"message\":\"must be a date\"}]}");
    }
}
