package org.safeguarding.hub.expiry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.notices.NonDeliveryReports;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionRegistry.OpenDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires packages nobody collected: {@link #runOnce()} takes every package still DELIVERED more than
 * {@code expiry} ago out of its recipient's inbox. The consume and the step's record (PACKAGE_EXPIRED, so that the IG
 * lead's reports and the trail show it, and the package EXPIRED in the registry, so that the submitting partner's
 * status shows it) commit in one broker transaction on the consume's session, as every step of the flow does;
 * {@link AuditFeed} writes the trail and the registry from it. A crash before that commit leaves the package in the
 * inbox and nothing recorded; after it, both are recorded, once (the record is keyed by the package, the registry
 * change only moves a package that is still DELIVERED). If the step fails, the package stays and the next run tries
 * again. A package no longer in the queue (its recipient took it meanwhile) is left as it is. Only identifiers are
 * logged. The hub runs it as its cluster-once {@code package-expiry} route (one node of all at a time).
 */
public final class PackageExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(PackageExpiry.class);
    /** The event of a non-delivery report for an expired package. */
    public static final String EXPIRED = "EXPIRED";

    private final SubmissionRegistry registry;
    private final BrokerInbox inbox;
    private final AuditRecorder audit;
    private final AuditFeed feed;
    private final Duration expiry;
    private final Clock clock;

    /**
     * @param registry read for what is overdue; written only by {@code feed}
     * @param feed     the writer that applies what a run commits; a run waits (bounded) for it before it returns
     */
    public PackageExpiry(SubmissionRegistry registry, BrokerInbox inbox, AuditRecorder audit, AuditFeed feed,
                         Duration expiry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.expiry = Objects.requireNonNull(expiry, "expiry");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("the package expiry must be positive");
        }
    }

    /** What one run did: {@code expired} counts the packages whose consume and record committed. */
    public record Run(Instant cutoff, int expired, int gone, int failed) {
    }

    /** Expires what is overdue at the clock's now. */
    public Run runOnce() {
        return runOnce(clock.instant());
    }

    /**
     * Expires every package delivered before {@code now} minus the expiry and not acknowledged since, then waits (at
     * most {@link AuditFeed#ANSWER_WAIT} in all, not at all while the feed cannot write) for the feed to apply what it
     * committed, so that the registry's next answer shows it and the next run does not look for those packages again.
     */
    public synchronized Run runOnce(Instant now) {
        Instant cutoff = now.minus(expiry);
        int expired = 0;
        int gone = 0;
        int failed = 0;
        List<AuditFeed.Applied> committed = new ArrayList<>();
        for (OpenDelivery d : registry.deliveredBefore(cutoff)) {
            switch (expire(d, committed)) {
                case EXPIRED -> expired++;
                case GONE -> gone++;
                case FAILED -> failed++;
            }
        }
        awaitApplied(committed);
        if (expired + gone + failed > 0) {
            LOG.info("package expiry (limit {}, cutoff {}): {} expired, {} already gone, {} failed", expiry, cutoff,
                    expired, gone, failed);
        }
        return new Run(cutoff, expired, gone, failed);
    }

    private enum Outcome { EXPIRED, GONE, FAILED }

    private Outcome expire(OpenDelivery d, List<AuditFeed.Applied> committed) {
        StepRecord step = new StepRecord()
                .audit(audit.expiredRecord(d.recipient(), d.submissionId(), d.packageId(), d.partnerId(), expiry))
                .change(new RegistryChange.PackageState(d.packageId(), DeliveryState.EXPIRED));
        if (!org.safeguarding.hub.notices.HubNotices.SENDER.equals(d.partnerId())) {
            // the submitting partner learns it without polling: a non-delivery report, committed with the expiry
            step.change(new RegistryChange.NonDelivery(NonDeliveryReports.reportId(d.packageId(), EXPIRED),
                    d.partnerId(), d.submissionId(), d.recipient(), d.packageId(), EXPIRED, clock.instant()));
        }
        AuditFeed.Applied applied = feed.expect(step.id());
        try {
            // the record goes on the consume's own session: both commit, or neither
            boolean taken = inbox.acknowledge(d.recipient(), d.packageId(),
                    (entry, session) -> AuditOutbox.send(session, step)).isPresent();
            if (!taken) {
                applied.cancel();
                LOG.debug("package {} for {} was no longer in the inbox; left as it is", d.packageId(), d.recipient());
                return Outcome.GONE;
            }
            committed.add(applied);
            LOG.info("package {} of submission {} for {} expired unacknowledged", d.packageId(), d.submissionId(),
                    d.recipient());
            return Outcome.EXPIRED;
        } catch (RuntimeException e) {
            applied.cancel();
            LOG.warn("package {} for {} could not be expired now ({}); the next run tries again", d.packageId(),
                    d.recipient(), e instanceof HubException h ? h.code() : e.getClass().getSimpleName());
            return Outcome.FAILED;
        }
    }

    /** Waits for the feed to apply the run's records, in all at most {@link AuditFeed#ANSWER_WAIT}. */
    private static void awaitApplied(List<AuditFeed.Applied> committed) {
        long deadline = System.nanoTime() + AuditFeed.ANSWER_WAIT.toNanos();
        boolean waiting = true;
        for (AuditFeed.Applied applied : committed) {
            long left = deadline - System.nanoTime();
            if (waiting && left > 0) {
                waiting = applied.await(Duration.ofNanos(left));
            } else {
                applied.cancel(); // durable on the broker: the feed records it when it can, unwatched
            }
        }
    }
}
