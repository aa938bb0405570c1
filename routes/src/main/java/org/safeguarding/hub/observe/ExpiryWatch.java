package org.safeguarding.hub.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What will stop sharing if nobody acts, seen ahead of time: the hub's certificate and each participant's expiring
 * (the last of its current ones), a CRL's nextUpdate passing (then no certificate can be checked), an agreement's end
 * (then sharing under it stops without a word). Each date within {@code warnAhead}, or already past, is a warning:
 * logged once when it first appears (WARN ahead, ERROR once past, again when it gets worse), shown in health as
 * WARNING (with counts, never a participant's name), in metrics (seconds left, per kind; the soonest for participants,
 * never their names), and listed by name in the IG lead's flow report.
 */
public final class ExpiryWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryWatch.class);

    public enum Kind {
        HUB_CERTIFICATE("the hub's certificate", "expires"),
        PARTICIPANT_CERTIFICATE("certificate", "expires"),
        CRL("CRL", "is due for renewal (nextUpdate)"),
        AGREEMENT("agreement", "ends");

        private final String what;
        private final String verb;

        Kind(String what, String verb) {
            this.what = what;
            this.verb = verb;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** A date that matters: {@code at} is the first moment it no longer holds (null: there is none now, e.g. no certificate). */
    public record Dated(Kind kind, String subject, Instant at) {
    }

    /** A dated thing within the warning window or past it. */
    public record Warning(Kind kind, String subject, Instant at, long daysLeft) {
        public boolean past() {
            return daysLeft < 0;
        }

        /** {@code certificate of lancs-police expires 2027-01-01T00:00:00Z (in 12 days)}: for the log and the IG lead. */
        public String describe() {
            String who = switch (kind) {
                case HUB_CERTIFICATE -> kind.what;
                case PARTICIPANT_CERTIFICATE -> kind.what + " of " + subject;
                default -> kind.what + " " + subject;
            };
            if (at == null) {
                return who + ": none is current";
            }
            return who + " " + (past() ? kind.verb.replace("expires", "expired").replace("ends", "ended")
                    .replace("is due", "was due") : kind.verb) + " " + at
                    + (past() ? " (" + days(-daysLeft) + " ago)" : " (in " + days(daysLeft) + ")");
        }

        private static String days(long n) {
            return n == 1 ? "1 day" : n + " days";
        }
    }

    private final Supplier<List<Dated>> dates;
    private final Duration warnAhead;
    private final Clock clock;
    /** The state last logged per thing: false ahead, true past. */
    private final Map<String, Boolean> logged = new HashMap<>();

    public ExpiryWatch(Supplier<List<Dated>> dates, Duration warnAhead, Clock clock) {
        this.dates = dates;
        this.warnAhead = warnAhead;
        this.clock = clock;
    }

    public Duration warnAhead() {
        return warnAhead;
    }

    /** Every date the watch knows, soonest first (one that has none now last). */
    public List<Dated> dates() {
        List<Dated> all = new ArrayList<>(dates.get());
        all.sort(Comparator.comparing((Dated d) -> d.at() == null ? Instant.MAX : d.at()));
        return all;
    }

    /** Every date within the window or past, soonest first. Agreements that ended longer ago than the window are history. */
    public List<Warning> warnings() {
        Instant now = clock.instant();
        List<Warning> out = new ArrayList<>();
        for (Dated d : dates.get()) {
            if (d.at() == null) {
                out.add(new Warning(d.kind(), d.subject(), null, -1));
                continue;
            }
            Duration left = Duration.between(now, d.at());
            boolean within = left.compareTo(warnAhead) <= 0;
            boolean history = d.kind() == Kind.AGREEMENT && left.negated().compareTo(warnAhead) > 0;
            if (within && !history) {
                long days = left.isNegative() ? -Math.max(1, left.negated().toDays()) : left.toDays();
                out.add(new Warning(d.kind(), d.subject(), d.at(), days));
            }
        }
        out.sort(Comparator.comparing((Warning w) -> w.at() == null ? Instant.MIN : w.at()));
        return out;
    }

    /**
     * Logs each warning once when it appears and once more when it passes; a thing renewed to another date is a new
     * warning if that date is still within the window, and forgotten otherwise. Returns the lines it logged.
     */
    public synchronized List<String> check() {
        List<String> lines = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (Warning w : warnings()) {
            String key = w.kind() + " " + w.subject() + " " + w.at(); // a new date is a new warning
            boolean past = w.past();
            seen.put(key, past);
            Boolean before = logged.get(key);
            if (before == null || (past && !before)) {
                String line = w.describe() + (past ? ": renew it now" + (w.kind() == Kind.AGREEMENT
                        ? " (sharing under it has stopped)" : "") : ": renew it before then");
                if (past) {
                    LOG.error("{}", line);
                } else {
                    LOG.warn("{}", line);
                }
                lines.add(line);
            }
        }
        logged.keySet().retainAll(seen.keySet());
        logged.putAll(seen);
        return lines;
    }

    /** The health component: "UP", or "WARNING" with how many of each kind (no names). */
    public Map<String, String> health() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        warnings().forEach(w -> counts.merge(w.kind(), 1, Integer::sum));
        Map<String, String> h = new java.util.LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            Integer n = counts.get(k);
            h.put("expiry:" + k.label(), n == null ? "UP" : "WARNING");
        }
        return h;
    }

    /**
     * Gauges of seconds left (negative: past): {@code hub_expiry_seconds{kind="hub-certificate"}}, the soonest of each
     * other kind, and {@code hub_expiry_warnings{kind}} how many are within the window.
     */
    public ExpiryWatch bind(MeterRegistry registry) {
        for (Kind k : Kind.values()) {
            Gauge.builder("hub.expiry", () -> soonestSeconds(k)).baseUnit("seconds").tag("kind", k.label())
                    .description("seconds until the soonest of its kind expires or ends (negative: past)")
                    .register(registry);
            Gauge.builder("hub.expiry.warnings", () -> warnings().stream().filter(w -> w.kind() == k).count())
                    .tag("kind", k.label()).description("how many are within the warning window or past")
                    .register(registry);
        }
        return this;
    }

    private double soonestSeconds(Kind k) {
        Instant now = clock.instant();
        return dates.get().stream().filter(d -> d.kind() == k)
                .mapToDouble(d -> d.at() == null ? Double.NEGATIVE_INFINITY : Duration.between(now, d.at()).toSeconds())
                .min().orElse(Double.NaN);
    }
}
