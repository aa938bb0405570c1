package org.safeguarding.hub.partnership;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The partnership's rules for urgency and escalation: which submissions are urgent when their partner does not say
 * ({@link Rule}s, the most urgent match wins), the deadline each urgency gives (IMMEDIATE: {@code immediateWithin};
 * PRIORITY: the start of the next working day of the calendar, in {@code zone}, skipping {@code holidays}), and where
 * an unacknowledged package is escalated, in order ({@link Step}): the recipient's named duty inbox, then the MASH of
 * the submission's area. Each step waits one more deadline of the package's urgency.
 */
public record UrgencyPolicy(ZoneId zone, Set<DayOfWeek> workingDays, LocalTime dayStarts, Set<LocalDate> holidays,
                            Duration immediateWithin, List<Rule> rules, List<Step> escalateTo,
                            Map<String, String> dutyInboxes, Map<Area, String> areaMash) {
    /** No urgency: every package is ROUTINE, nothing escalates. */
    public static final UrgencyPolicy NONE = new UrgencyPolicy(ZoneId.of("UTC"), EnumSet.allOf(DayOfWeek.class),
            LocalTime.MIDNIGHT, Set.of(), Duration.ofHours(1), List.of(), List.of(), Map.of(), Map.of());

    /** What makes a submission urgent when its partner gives no urgency. */
    public enum Condition {
        /** A MISSING episode with no {@code to}: the child is still missing. */
        MISSING_OPEN,
        /** A child at risk under 13 at {@code submittedAt}. */
        CHILD_UNDER_13,
        /** Handling code C. */
        HANDLING_C
    }

    /** Where an unacknowledged package is escalated. */
    public enum Step {
        /** The recipient's own duty inbox, when {@code dutyInboxes} names one. */
        DUTY_INBOX,
        /** The MASH of the submission's area ({@code areaMash}), unless that is the recipient itself. */
        AREA_MASH
    }

    /** A submission meeting {@code when} is at least {@code urgency}. */
    public record Rule(Condition when, Urgency urgency) {
    }

    public UrgencyPolicy {
        Objects.requireNonNull(zone, "zone");
        workingDays = workingDays.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(workingDays));
        Objects.requireNonNull(dayStarts, "dayStarts");
        holidays = Set.copyOf(holidays);
        if (immediateWithin.isNegative() || immediateWithin.isZero()) {
            throw new IllegalArgumentException("immediateWithin must be positive");
        }
        rules = List.copyOf(rules);
        escalateTo = List.copyOf(escalateTo);
        dutyInboxes = Map.copyOf(dutyInboxes);
        areaMash = Map.copyOf(areaMash);
        if (workingDays.isEmpty()) {
            throw new IllegalArgumentException("a calendar needs at least one working day");
        }
    }

    /**
     * The submission's urgency: {@code given} (its {@code urgency} field) when present, else the most urgent rule it
     * meets, else ROUTINE.
     */
    public Urgency classify(String given, boolean missingOpen, Integer youngestChildAge, boolean handlingC) {
        if (given != null) {
            return Urgency.valueOf(given);
        }
        Urgency u = Urgency.ROUTINE;
        for (Rule r : rules) {
            boolean meets = switch (r.when()) {
                case MISSING_OPEN -> missingOpen;
                case CHILD_UNDER_13 -> youngestChildAge != null && youngestChildAge < 13;
                case HANDLING_C -> handlingC;
            };
            if (meets && r.urgency().compareTo(u) > 0) {
                u = r.urgency();
            }
        }
        return u;
    }

    /** When a package of {@code urgency} delivered (or last escalated) at {@code from} must be acknowledged. */
    public Optional<Instant> deadline(Urgency urgency, Instant from) {
        return switch (urgency) {
            case ROUTINE -> Optional.empty();
            case IMMEDIATE -> Optional.of(from.plus(immediateWithin));
            case PRIORITY -> Optional.of(nextWorkingDayStart(from));
        };
    }

    /** The first start of a working day, in the calendar's zone, strictly after {@code from}. */
    public Instant nextWorkingDayStart(Instant from) {
        ZonedDateTime at = from.atZone(zone);
        LocalDate day = at.toLocalDate();
        for (int i = 0; i < 400; i++) {
            LocalDate d = day.plusDays(i);
            if (workingDays.contains(d.getDayOfWeek()) && !holidays.contains(d)) {
                Instant start = ZonedDateTime.of(d, dayStarts, zone).toInstant();
                if (start.isAfter(from)) {
                    return start;
                }
            }
        }
        throw new IllegalStateException("no working day in the next 400 days: the calendar's holidays cover them all");
    }

    /**
     * Who the package is escalated to at escalation {@code level} (1 for the first), or empty when the steps are
     * used up. Steps that name nobody for this recipient (no duty inbox, the area's MASH unknown or the recipient
     * itself) are passed over.
     */
    public Optional<String> escalationTarget(int level, String recipient, Area area) {
        int n = 0;
        for (Step s : escalateTo) {
            String target = switch (s) {
                case DUTY_INBOX -> dutyInboxes.get(recipient);
                case AREA_MASH -> area == null ? null : areaMash.get(area);
            };
            if (target != null && !target.equals(recipient) && ++n == level) {
                return Optional.of(target);
            }
        }
        return Optional.empty();
    }
}
