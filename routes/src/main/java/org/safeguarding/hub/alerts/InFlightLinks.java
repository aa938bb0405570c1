package org.safeguarding.hub.alerts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.safeguarding.hub.linkstore.LinkStore.LinkedSubmission;
import org.safeguarding.hub.registry.RegistryChange;

/**
 * The links and alerts of routing steps that are decided but not yet in the link store: sent and not yet committed, or
 * committed and not yet applied by the audit feed. Alert evaluation reads the store first, then these, and decides one
 * evaluation at a time, so that two linked submissions routed at once see each other (whichever is decided second
 * raises the alert) and no alert revision is raised twice. A step's entry stays {@link #GRACE} after the feed has
 * applied its record (an evaluation that read the store just before the record went in still finds it here), and
 * leaves at once when its transaction rolls back (the broker redelivers and the step is decided again).
 */
public final class InFlightLinks {
    /** How long an applied step's entry stays: far longer than any evaluation takes from its store read to its decision. */
    public static final java.time.Duration GRACE = java.time.Duration.ofSeconds(10);
    private final ReentrantLock deciding = new ReentrantLock();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    /** The entries by token, newest last: what an evaluation asks for, without a scan of every entry. */
    private final java.util.Map<String, java.util.Deque<Entry>> byToken = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Entry, java.time.Instant> appliedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.time.Clock clock;

    public InFlightLinks(java.time.Clock clock) {
        this.clock = clock;
    }

    /** One step's links and the alert revisions it raises. */
    public record Entry(LinkedSubmission submission, Set<String> tokens, List<RegistryChange.Alert> alerts) {
        public Entry {
            tokens = Set.copyOf(tokens);
            alerts = List.copyOf(alerts);
        }
    }

    /** A registered step: applied (its entry stays {@link #GRACE} more), or rolled back (it goes at once). */
    public interface Registration {
        Registration NONE = new Registration() {
            @Override
            public void applied() {
            }

            @Override
            public void remove() {
            }
        };

        /** The feed has put the step's record in the link store. */
        void applied();

        /** The step's transaction rolled back, or it never sent anything. */
        void remove();
    }

    /**
     * Runs one decision alone ({@code decide} reads the store and {@link #linked}/{@link #latestAlert}) and registers
     * the entry it returns (none when it returns null).
     */
    public Decided decide(Supplier<Entry> decide) {
        deciding.lock();
        try {
            purge();
            Entry e = decide.get();
            if (e == null) {
                return new Decided(null, Registration.NONE);
            }
            add(e);
            return new Decided(e, new Registration() {
                @Override
                public void applied() {
                    appliedAt.putIfAbsent(e, clock.instant());
                }

                @Override
                public void remove() {
                    drop(e);
                }
            });
        } finally {
            deciding.unlock();
        }
    }

    /** What {@link #decide} registered. */
    public record Decided(Entry entry, Registration registration) {
    }

    private void add(Entry e) {
        entries.add(e);
        for (String t : e.tokens()) {
            byToken.computeIfAbsent(t, k -> new java.util.concurrent.ConcurrentLinkedDeque<>()).addLast(e);
        }
    }

    private void drop(Entry e) {
        entries.remove(e);
        appliedAt.remove(e);
        for (String t : e.tokens()) {
            java.util.Deque<Entry> d = byToken.get(t);
            if (d != null) {
                d.remove(e);
                if (d.isEmpty()) {
                    byToken.remove(t, d);
                }
            }
        }
    }

    /**
     * In-flight submissions that gave any of these tokens, at most the newest {@code AlertEvaluator.MAX_LINKED_PER_TOKEN}
     * per token (as the store is read), the calling step's own excluded by the caller.
     */
    public List<LinkedSubmission> linked(Collection<String> tokens) {
        List<LinkedSubmission> list = new ArrayList<>();
        for (String t : tokens) {
            java.util.Deque<Entry> d = byToken.get(t);
            if (d == null) {
                continue;
            }
            int n = 0;
            for (java.util.Iterator<Entry> it = d.descendingIterator(); it.hasNext()
                    && n < AlertEvaluator.MAX_LINKED_PER_TOKEN; n++) {
                list.add(it.next().submission());
            }
        }
        return list;
    }

    /** The newest in-flight revision of an alert of {@code ruleId} that links by any of these tokens. */
    public Optional<RegistryChange.Alert> latestAlert(String ruleId, Collection<String> tokens) {
        RegistryChange.Alert best = null;
        for (Entry e : entries) {
            for (RegistryChange.Alert a : e.alerts()) {
                if (a.ruleId().equals(ruleId) && a.tokens().stream().anyMatch(tokens::contains)
                        && (best == null || a.revision() > best.revision())) {
                    best = a;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The newest in-flight revision of this alert. */
    public Optional<RegistryChange.Alert> latestRevision(String alertId) {
        RegistryChange.Alert best = null;
        for (Entry e : entries) {
            for (RegistryChange.Alert a : e.alerts()) {
                if (a.alertId().equals(alertId) && (best == null || a.revision() > best.revision())) {
                    best = a;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Drops the entries applied more than {@link #GRACE} ago. */
    private void purge() {
        java.time.Instant cutoff = clock.instant().minus(GRACE);
        appliedAt.forEach((e, at) -> {
            if (at.isBefore(cutoff)) {
                drop(e);
            }
        });
    }

    /** How many steps are in flight (a gauge). */
    public int size() {
        return entries.size();
    }
}
