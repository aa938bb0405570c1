package org.safeguarding.hub.partnership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A rule of the partnership's {@code alertRules}: when submissions linked by one of its {@link #kinds} reach
 * {@link #atLeast} distinct {@link #distinct} within {@link #window}, its {@link #notifyRecipients} are alerted.
 * Checked at load (see {@link PartnershipLoader}); the constructor only copies.
 *
 * @param id             unique among the partnership's rules
 * @param kinds          the link kinds the rule follows: all subject kinds or all context kinds, never both
 * @param distinct       what is counted among the linked submissions
 * @param atLeast        how many distinct ones raise the alert (2 to 50)
 * @param window         the linked submissions' receipt times lie within this of the newest ({@code withinDays})
 * @param categories     only submissions with at least one of these count; "ALL" in the file is the full set, as in
 *                       {@link Clause}
 * @param requireEach    for each set, the linked submissions must include one with a category of it; empty when the
 *                       rule requires nothing of the kind
 * @param notifyRecipients the recipients alerted (the file's {@code notify}; a record component cannot be called
 *                       notify), in file order (a suspended one is named but skipped at runtime)
 * @param countsBySector the recipients of {@link #notifyRecipients} that may be told the count of linked
 *                       submissions by sector
 */
public record AlertRule(String id, String description, Set<LinkKind> kinds, Distinct distinct, int atLeast,
                        Duration window, Set<Category> categories, List<Set<Category>> requireEach,
                        List<String> notifyRecipients, Set<String> countsBySector) {

    /** What is counted among the linked submissions. */
    public enum Distinct {
        /** The sectors of the partners that submitted them. */
        SECTORS,
        /** The partners that submitted them. */
        PARTNERS,
        /** The submissions themselves. */
        SUBMISSIONS
    }

    public AlertRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(distinct, "distinct");
        Objects.requireNonNull(window, "window");
        kinds = Collections.unmodifiableSet(copyOf(LinkKind.class, kinds));
        categories = Collections.unmodifiableSet(copyOf(Category.class, categories));
        List<Set<Category>> each = new ArrayList<>();
        for (Set<Category> required : requireEach) {
            each.add(Collections.unmodifiableSet(copyOf(Category.class, required)));
        }
        requireEach = List.copyOf(each);
        notifyRecipients = List.copyOf(notifyRecipients);
        countsBySector = Collections.unmodifiableSet(new LinkedHashSet<>(countsBySector));
    }

    /** Whether a submission with these categories counts for the rule (has at least one of {@link #categories}). */
    public boolean counts(Set<Category> submissionCategories) {
        return submissionCategories.stream().anyMatch(categories::contains);
    }

    /**
     * Whether linked submissions, given by their categories, meet {@link #requireEach}: for each required set, one of
     * them has a category of it (one submission may meet several). Always true for a rule without requireEach.
     */
    public boolean satisfiedBy(List<Set<Category>> linkedSubmissionCategories) {
        return requireEach.stream().allMatch(required -> linkedSubmissionCategories.stream()
                .anyMatch(s -> s.stream().anyMatch(required::contains)));
    }

    /** Whether the rule links subjects (people) rather than contexts. */
    public boolean linksSubjects() {
        return kinds.stream().anyMatch(LinkKind::subject);
    }

    /** Whether the recipient may be told the count of linked submissions by sector. */
    public boolean tellsCountsBySector(String recipientId) {
        return countsBySector.contains(recipientId);
    }

    private static <E extends Enum<E>> Set<E> copyOf(Class<E> type, Set<E> values) {
        Set<E> out = EnumSet.noneOf(type);
        out.addAll(values);
        return out;
    }
}
