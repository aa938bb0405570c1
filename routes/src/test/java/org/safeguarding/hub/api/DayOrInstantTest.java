package org.safeguarding.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/** Dates as people type them in queries: a day (UTC; a day in to included whole) or an instant, Z or an offset. */
class DayOrInstantTest {
    @Test
    void aDayIsItsFirstMomentAsFromAndIncludedWholeAsTo() {
        assertThat(DayOrInstant.FROM.parse("from", "2026-11-27")).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(DayOrInstant.TO.parse("to", "2026-11-27")).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(DayOrInstant.TO.parse("to", "2026-12-31")).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(DayOrInstant.TO.parse("to", "2028-02-28")).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
    }

    @Test
    void anInstantIsTakenAsItIsWithZOrAnOffset() {
        for (DayOrInstant end : DayOrInstant.values()) {
            assertThat(end.parse("x", "2026-11-27T10:00:00Z")).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
            assertThat(end.parse("x", "2026-11-27T10:00:00.250Z")).isEqualTo(Instant.parse("2026-11-27T10:00:00.250Z"));
            assertThat(end.parse("x", "2026-11-27T10:00:00+01:00")).isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
        }
    }

    @Test
    void anythingElseIsABadRequestThatSaysWhatToSendAndNeverRepeatsIt() {
        for (String bad : List.of("27/11/2026", "2026-10-05T10:00:00", "yesterday", "2026-13-01", "2026-02-30",
                "2026-10-05 10:00", "", "+999999999-12-31", "2026-10-05T25:00:00Z")) {
            HubException e = catchThrowableOfType(HubException.class, () -> DayOrInstant.TO.parse("to", bad));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.detail()).startsWith("to must be a day such as 2026-11-27");
            if (!bad.isEmpty()) {
                assertThat(e.detail()).doesNotContain(bad);
            }
        }
    }
}
