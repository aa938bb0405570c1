package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

class TimeWindowTest {
    private final ValidSubmission s = new SubmissionValidator(Scenario.PARTNERSHIP)
            .validate(Scenario.submission("C01-police-cce-blackpool.json"), Scenario.participant("lancs-police"));
    private final Instant submitted = s.submittedAt();

    @Test
    void upToFiveMinutesAheadIsAccepted() {
        assertThatCode(() -> SubmissionValidator.checkTimeWindow(s, submitted.minus(Duration.ofMinutes(5))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SubmissionValidator.checkTimeWindow(s, submitted.minus(Duration.ofMinutes(5)).minusSeconds(1)))
                .isInstanceOfSatisfying(HubException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.code()).isEqualTo(ErrorCode.STALE_OR_FUTURE));
    }

    @Test
    void upToSevenDaysOldIsAccepted() {
        assertThatCode(() -> SubmissionValidator.checkTimeWindow(s, submitted.plus(Duration.ofDays(7))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SubmissionValidator.checkTimeWindow(s, submitted.plus(Duration.ofDays(7)).plusSeconds(1)))
                .isInstanceOfSatisfying(HubException.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.code()).isEqualTo(ErrorCode.STALE_OR_FUTURE));
    }
}
