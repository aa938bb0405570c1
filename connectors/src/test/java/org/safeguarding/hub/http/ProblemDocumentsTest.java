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
    @Test
    void anAnswerListsAtMostAHundredErrorsAndHowManyThereWere() throws Exception {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            errors.add(new FieldError("(unknown field " + i + ")", "is not a field of a submission; remove it"));
        }
        HubException e = new HubException(ErrorCode.INVALID_SUBMISSION, "20000 fields fail validation.", errors);

        ApiResponse r = ProblemDocuments.of(e);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).isEqualTo(ProblemJson.of(e));
        JsonNode p = new ObjectMapper().readTree(r.body());
        assertThat(p.path("errors")).hasSize(100);
        assertThat(p.path("errorCount").asInt()).isEqualTo(20_000);
        assertThat(r.body().length).isLessThan(12 * 1024);
    }

    @Test
    void unavailableCarriesRetryAfter() {
        assertThat(ProblemDocuments.of(new HubException(ErrorCode.UNAVAILABLE, "Busy.")).headers())
                .containsEntry("Retry-After", ProblemDocuments.RETRY_AFTER_SECONDS);
    }
}
