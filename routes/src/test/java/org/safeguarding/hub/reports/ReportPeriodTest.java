package org.safeguarding.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Months and quarters in UTC: the only windows of the board's report. */
class ReportPeriodTest {
    static Instant at(String s) {
        return Instant.parse(s);
    }

    @Test
    void monthsAndQuartersAreNamedAndBounded() {
        ReportPeriod march = ReportPeriod.parse("2026-03").orElseThrow();
        assertThat(march.from()).isEqualTo(at("2026-03-01T00:00:00Z"));
        assertThat(march.to()).isEqualTo(at("2026-04-01T00:00:00Z"));
        ReportPeriod q4 = ReportPeriod.parse("2026-Q4").orElseThrow();
        assertThat(q4.name()).isEqualTo("2026-Q4");
        assertThat(q4.from()).isEqualTo(at("2026-10-01T00:00:00Z"));
        assertThat(q4.to()).isEqualTo(at("2027-01-01T00:00:00Z"));
    }

    @Test
    void anythingElseIsNoPeriod() {
        for (String s : new String[] {"2026-13", "2026-3", "2026-Q5", "2026-Q0", "2026", "2026-03-01", "Q1-2026",
            "2026-q1", "", " 2026-03"}) {
            assertThat(ReportPeriod.parse(s)).as(s).isEmpty();
        }
    }

    @Test
    void boundsAreAPeriodOnlyWhenTheyAreAWholeMonthOrQuarter() {
        assertThat(ReportPeriod.between(at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z")))
                .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("2026-02"));
        assertThat(ReportPeriod.between(at("2026-04-01T00:00:00Z"), at("2026-07-01T00:00:00Z")))
                .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("2026-Q2"));
        // one second off either end, two months, a quarter not starting a quarter, a year
        assertThat(ReportPeriod.between(at("2026-02-01T00:00:01Z"), at("2026-03-01T00:00:00Z"))).isEmpty();
        assertThat(ReportPeriod.between(at("2026-02-01T00:00:00Z"), at("2026-02-28T23:59:59Z"))).isEmpty();
        assertThat(ReportPeriod.between(at("2026-02-01T00:00:00Z"), at("2026-04-01T00:00:00Z"))).isEmpty();
        assertThat(ReportPeriod.between(at("2026-02-01T00:00:00Z"), at("2026-05-01T00:00:00Z"))).isEmpty();
        assertThat(ReportPeriod.between(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"))).isEmpty();
        assertThat(ReportPeriod.between(null, at("2026-03-01T00:00:00Z"))).isEmpty();
    }

    @Test
    void aPeriodHasEndedAtItsEnd() {
        ReportPeriod march = ReportPeriod.parse("2026-03").orElseThrow();
        assertThat(march.endedBy(at("2026-03-31T23:59:59.999Z"))).isFalse();
        assertThat(march.endedBy(at("2026-04-01T00:00:00Z"))).isTrue();
    }

    @Test
    void theLastEndedMonthAndQuarter() {
        assertThat(ReportPeriod.lastEndedMonth(at("2026-04-01T00:00:00Z")).name()).isEqualTo("2026-03");
        assertThat(ReportPeriod.lastEndedMonth(at("2026-01-15T10:00:00Z")).name()).isEqualTo("2025-12");
        assertThat(ReportPeriod.lastEndedQuarter(at("2026-03-31T23:00:00Z")).name()).isEqualTo("2025-Q4");
        assertThat(ReportPeriod.lastEndedQuarter(at("2026-04-01T00:00:00Z")).name()).isEqualTo("2026-Q1");
        assertThat(ReportPeriod.lastEndedQuarter(at("2026-12-31T00:00:00Z")).name()).isEqualTo("2026-Q3");
    }
}
