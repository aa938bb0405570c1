package org.safeguarding.hub.expiry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionRegistry.OpenDelivery;
import org.safeguarding.hub.scheduling.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires packages nobody collected: {@link #runOnce()} takes every package still DELIVERED more than
 * {@code expiry} ago out of its recipient's inbox and, inside that consume's broker transaction, marks it
 * EXPIRED in the registry (so the submitting partner's status shows it) and records PACKAGE_EXPIRED (so the IG
 * lead's reports and the trail show it). If recording fails, the package stays and the next run tries again.
 * A package no longer in the queue (its recipient took it meanwhile) is left as it is. Only identifiers are
 * logged. {@link #start} runs it on a schedule; {@link #close} stops that.
 */
public final class PackageExpiry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PackageExpiry.class);

    private final SubmissionRegistry registry;
    private final BrokerInbox inbox;
    private final AuditRecorder audit;
    private final Duration expiry;
    private final Clock clock;
    private PeriodicTask task;

    public PackageExpiry(SubmissionRegistry registry, BrokerInbox inbox, AuditRecorder audit, Duration expiry,
                         Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.expiry = Objects.requireNonNull(expiry, "expiry");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (expiry.isNegative() || expiry.isZero()) {
            throw new IllegalArgumentException("the package expiry must be positive");
        }
    }

    /** What one run did. */
    public record Run(Instant cutoff, int expired, int gone, int failed) {
    }

    /** Expires what is overdue at the clock's now. */
    public Run runOnce() {
        return runOnce(clock.instant());
    }

    /** Expires every package delivered before {@code now} minus the expiry and not acknowledged since. */
    public synchronized Run runOnce(Instant now) {
        Instant cutoff = now.minus(expiry);
        int expired = 0;
        int gone = 0;
        int failed = 0;
        for (OpenDelivery d : registry.deliveredBefore(cutoff)) {
            switch (expire(d)) {
                case EXPIRED -> expired++;
                case GONE -> gone++;
                case FAILED -> failed++;
            }
        }
        if (expired + gone + failed > 0) {
            LOG.info("package expiry (limit {}, cutoff {}): {} expired, {} already gone, {} failed", expiry, cutoff,
                    expired, gone, failed);
        }
        return new Run(cutoff, expired, gone, failed);
    }

    private enum Outcome { EXPIRED, GONE, FAILED }

    private Outcome expire(OpenDelivery d) {
        boolean[] moved = {false};
        try {
            boolean taken = inbox.acknowledge(d.recipient(), d.packageId(), (entry, session) -> {
                if (!registry.moveDeliveryState(d.packageId(), DeliveryState.DELIVERED, DeliveryState.EXPIRED)) {
                    throw new HubException(ErrorCode.INTERNAL, "The package is no longer recorded as delivered.");
                }
                moved[0] = true;
                audit.expired(d.recipient(), d.submissionId(), d.packageId(), d.partnerId(), expiry);
            }).isPresent();
            if (!taken) {
                LOG.debug("package {} for {} was no longer in the inbox; left as it is", d.packageId(), d.recipient());
                return Outcome.GONE;
            }
            LOG.info("package {} of submission {} for {} expired unacknowledged", d.packageId(), d.submissionId(),
                    d.recipient());
            return Outcome.EXPIRED;
        } catch (RuntimeException e) {
            if (moved[0]) {
                undo(d);
            }
            LOG.warn("package {} for {} could not be expired now ({}); the next run tries again", d.packageId(),
                    d.recipient(), e instanceof HubException h ? h.code() : e.getClass().getSimpleName());
            return Outcome.FAILED;
        }
    }

    /** The consume rolled back after the registry said EXPIRED: the package is still there, so it is DELIVERED again. */
    private void undo(OpenDelivery d) {
        try {
            registry.moveDeliveryState(d.packageId(), DeliveryState.EXPIRED, DeliveryState.DELIVERED);
        } catch (RuntimeException e) {
            LOG.error("package {} for {} is still in the inbox but recorded as EXPIRED ({})", d.packageId(),
                    d.recipient(), e.getClass().getSimpleName());
        }
    }

    /** Runs {@link #runOnce()} every {@code interval} on its own thread, the first time one interval from now. */
    public synchronized PackageExpiry start(Duration interval) {
        if (task == null) {
            task = PeriodicTask.start("package-expiry", interval, interval, this::runOnce, LOG);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.close();
            task = null;
        }
    }
}
