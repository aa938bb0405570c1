package org.safeguarding.hub.reports;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole calendar month ({@code 2026-03}) or quarter ({@code 2026-Q1}) in UTC, the zone in which the hub
 * stamps its audit events and counts its reports' months: the only windows the board's report covers, so
 * that two of its reports never differ by a few submissions. {@code from} is inclusive, {@code to}
 * exclusive.
 */
public record ReportPeriod(String name, Instant from, Instant to) {
    public static final ZoneOffset ZONE = ZoneOffset.UTC;
    private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
    private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");

    public static ReportPeriod month(YearMonth m) {
        return new ReportPeriod(m.toString(), start(m), start(m.plusMonths(1)));
    }

    public static ReportPeriod quarter(int year, int quarter) {
        if (quarter < 1 || quarter > 4) {
            throw new IllegalArgumentException("a quarter is 1 to 4");
        }
        YearMonth first = YearMonth.of(year, 3 * quarter - 2);
        return new ReportPeriod(year + "-Q" + quarter, start(first), start(first.plusMonths(3)));
    }

    /** {@code 2026-03} or {@code 2026-Q1}; empty for anything else. */
    public static Optional<ReportPeriod> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher q = QUARTER.matcher(text);
        if (q.matches()) {
            return Optional.of(quarter(Integer.parseInt(q.group(1)), Integer.parseInt(q.group(2))));
        }
        if (MONTH.matcher(text).matches()) {
            try {
                return Optional.of(month(YearMonth.parse(text)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The month or quarter that runs exactly from {@code from} to {@code to}, if there is one. */
    public static Optional<ReportPeriod> between(Instant from, Instant to) {
        if (from == null || to == null) {
            return Optional.empty();
        }
        YearMonth first = YearMonth.from(from.atOffset(ZONE));
        if (!start(first).equals(from)) {
            return Optional.empty();
        }
        if (start(first.plusMonths(1)).equals(to)) {
            return Optional.of(month(first));
        }
        if ((first.getMonthValue() - 1) % 3 == 0 && start(first.plusMonths(3)).equals(to)) {
            return Optional.of(quarter(first.getYear(), (first.getMonthValue() + 2) / 3));
        }
        return Optional.empty();
    }

    /** The latest month that is over at {@code now}. */
    public static ReportPeriod lastEndedMonth(Instant now) {
        return month(YearMonth.from(now.atOffset(ZONE)).minusMonths(1));
    }

    /** The latest quarter that is over at {@code now}. */
    public static ReportPeriod lastEndedQuarter(Instant now) {
        YearMonth m = YearMonth.from(now.atOffset(ZONE));
        YearMonth firstOfThis = m.minusMonths((m.getMonthValue() - 1) % 3);
        YearMonth firstOfLast = firstOfThis.minusMonths(3);
        return quarter(firstOfLast.getYear(), (firstOfLast.getMonthValue() + 2) / 3);
    }

    /** Whether the period is over at {@code now}, so that nothing more can be counted in it. */
    public boolean endedBy(Instant now) {
        return !to.isAfter(now);
    }

    private static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay(ZONE).toInstant();
    }
}
