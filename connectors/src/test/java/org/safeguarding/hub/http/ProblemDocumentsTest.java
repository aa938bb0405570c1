package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;

/** The HTTPS answer to a failure is the channel-independent problem document, however many errors it has. */
class ProblemDocumentsTest {
    private static final ProblemDocuments PROBLEMS = new ProblemDocuments(new ProblemJson("https://hub.test"));

    @Test
    void anAnswerListsAtMostAHundredErrorsAndHowManyThereWere() throws Exception {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            errors.add(new FieldError("(unknown field " + i + ")", "is not a field of a submission; remove it"));
        }
        HubException e = new HubException(ErrorCode.INVALID_SUBMISSION, "20000 fields fail validation.", errors);

        ApiResponse r = PROBLEMS.of(e, "/api/v1/submissions");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).isEqualTo(PROBLEMS.json().of(e, "/api/v1/submissions"));
        JsonNode p = new ObjectMapper().readTree(r.body());
        assertThat(p.path("errors")).hasSize(100);
        assertThat(p.path("errorCount").asInt()).isEqualTo(20_000);
        assertThat(r.body().length).isLessThan(12 * 1024);
    }

    @Test
    void unavailableCarriesRetryAfter() {
        assertThat(PROBLEMS.of(new HubException(ErrorCode.UNAVAILABLE, "Busy."), null).headers())
                .containsEntry("Retry-After", ProblemDocuments.RETRY_AFTER_SECONDS);
    }
}
