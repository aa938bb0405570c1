package org.safeguarding.hub.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditRecord;
import org.safeguarding.hub.audit.AuditTrail;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an edited partnership file into force while the hub runs. It reads the file, and when its
 * SHA-256 differs from the one last seen it checks it exactly as at start-up
 * ({@link PartnershipLoader#parse}): a valid file replaces the running configuration at once (after
 * {@link Preparation} has made the hub ready for it, e.g. new recipients' inboxes) and is audited
 * {@code CONFIG_CHANGED} with its digest; an invalid one is refused, the running configuration
 * stays, the problems are logged with file and path, and {@code CONFIG_REJECTED} is audited with a
 * code and counts only. A file is judged once per distinct content, so a refused file is not
 * reported again until it changes.
 *
 * <p>The content digest decides, not the modification time or size (timestamps can be coarse and
 * editors can keep them). On the timer a new content must also have stayed the same since the
 * previous poll before it is judged, so a file caught half-written is not taken for an edit;
 * {@link #checkNow()} judges what is there at once.
 */
public final class PartnershipWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartnershipWatcher.class);
    private static final String UNREADABLE = "unreadable";

    /** What one look at the file came to. */
    public enum Outcome {
        /** The file is as last seen (whether that was applied or refused). */
        UNCHANGED,
        /** On the timer only: a new content, judged at the next poll if it stays the same. */
        SETTLING,
        /** The new configuration is in force. */
        APPLIED,
        /** The file is invalid or unreadable; the running configuration stays. */
        REFUSED,
        /** Valid, but the hub could not get ready for it or not audit it; tried again at the next look. */
        RETRY
    }

    /** Makes the running hub ready for a new partnership before it takes effect; throws if it cannot. */
    @FunctionalInterface
    public interface Preparation {
        void prepare(Partnership next);
    }

    /** When the file was last looked at and what is in force. */
    public record Status(Instant lastCheckedAt, Instant lastAppliedAt, String digestInForce, String lastRefusedDigest) {
    }

    private final Path file;
    private final LivePartnership live;
    private final AuditTrail audit;
    private final Preparation preparation;
    private final Clock clock;
    private String lastSeen;
    private String settling;
    private String lastReported;
    private Instant lastCheckedAt;
    private Instant lastAppliedAt;
    private String lastRefused;
    private ScheduledExecutorService timer;

    public PartnershipWatcher(Path file, LivePartnership live, AuditRecorder audit, Preparation preparation,
                              Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.live = Objects.requireNonNull(live, "live");
        this.audit = Objects.requireNonNull(audit, "audit").trail();
        this.preparation = Objects.requireNonNull(preparation, "preparation");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastSeen = live.partnership().digest();
    }

    /**
     * Looks at the file every {@code interval} on a daemon thread; a zero interval looks never
     * (only {@link #checkNow()} does).
     */
    public synchronized void start(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("the interval must not be negative");
        }
        if (timer != null || interval.isZero()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "partnership-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
        LOG.info("watching {} for changes every {}", file, interval);
    }

    /** Judges the file as it is now, and applies or refuses it. */
    public synchronized Outcome checkNow() {
        return check(false);
    }

    public synchronized Status status() {
        return new Status(lastCheckedAt, lastAppliedAt, live.partnership().digest(), lastRefused);
    }

    /**
     * One scheduled look, as the timer of {@link #start} and the hub's {@code partnership-reload} route take it: a
     * changed file is applied only once two looks in a row saw the same bytes (an editor's save has settled). Never
     * throws: the next look tries again.
     */
    public void poll() {
        try {
            synchronized (this) {
                check(true);
            }
        } catch (RuntimeException e) {
            // The timer must keep running: the next poll tries again.
            LOG.error("looking at {} failed: {}", file, e.toString());
        }
    }

    private Outcome check(boolean waitToSettle) {
        lastCheckedAt = clock.instant();
        byte[] bytes;
        String digest;
        try {
            bytes = Files.readAllBytes(file);
            digest = sha256(bytes);
        } catch (IOException e) {
            bytes = null;
            digest = UNREADABLE;
        }
        if (digest.equals(lastSeen)) {
            settling = null;
            return Outcome.UNCHANGED;
        }
        if (waitToSettle && !digest.equals(settling)) {
            settling = digest;
            return Outcome.SETTLING;
        }
        settling = null;
        if (bytes == null) {
            return refuse(digest, "the file cannot be read", 1);
        }
        Partnership next;
        try {
            next = PartnershipLoader.parse(bytes, file.toString());
        } catch (HubException e) {
            return refuse(digest, e.detail(), Math.max(1, e.errors().size()));
        }
        return apply(next);
    }

    private Outcome apply(Partnership next) {
        Partnership running = live.partnership();
        if (next.digest().equals(running.digest())) {
            // Back to what is in force (e.g. after a refused edit was undone): nothing changes.
            lastSeen = next.digest();
            lastReported = null;
            return Outcome.UNCHANGED;
        }
        try {
            preparation.prepare(next);
        } catch (RuntimeException e) {
            LOG.error("{}: valid, but the hub could not get ready for it ({}); partnership {} stays in force,"
                    + " trying again at the next look", file, e.getMessage(), running.digest());
            reportOnce(next.digest(), ErrorCode.UNAVAILABLE, "digest=" + next.digest());
            return Outcome.RETRY;
        }
        try {
            audit.append(AuditRecord.builder(AuditEventType.CONFIG_CHANGED, AuditRecorder.HUB)
                    .decision("APPLIED")
                    .detail("digest=" + next.digest() + ",previous=" + running.digest())
                    .build());
        } catch (RuntimeException e) {
            LOG.error("{}: valid, but the change could not be audited ({}); partnership {} stays in force,"
                    + " trying again at the next look", file, e.toString(), running.digest());
            return Outcome.RETRY;
        }
        live.replace(next);
        lastSeen = next.digest();
        lastReported = null;
        lastAppliedAt = clock.instant();
        LOG.info("{}: new partnership in force, digest {} (was {}); {} participants, {} agreements{}", file,
                next.digest(), running.digest(), next.participants().size(), next.agreements().size(),
                describeRecipientChanges(running, next));
        return Outcome.APPLIED;
    }

    private Outcome refuse(String digest, String reason, int problems) {
        LOG.warn("{}: change refused, partnership {} stays in force. Correct the file; it is read again when it"
                + " changes.{}{}", file, live.partnership().digest(), System.lineSeparator(), reason);
        boolean unreadable = UNREADABLE.equals(digest);
        String detail = unreadable ? "unreadable" : "problems=" + problems + ",digest=" + digest;
        if (!reportOnce(digest, ErrorCode.INVALID_CONFIGURATION, detail)) {
            return Outcome.RETRY;
        }
        lastSeen = digest;
        lastRefused = unreadable ? null : digest;
        return Outcome.REFUSED;
    }

    /** Audits a refusal once per content; false when the audit could not be written. */
    private boolean reportOnce(String digest, ErrorCode code, String detail) {
        if (digest.equals(lastReported)) {
            return true;
        }
        try {
            audit.append(AuditRecord.builder(AuditEventType.CONFIG_REJECTED, AuditRecorder.HUB)
                    .decision("REJECTED")
                    .reasonCode(code.name())
                    .detail(detail)
                    .build());
            lastReported = digest;
            return true;
        } catch (RuntimeException e) {
            LOG.error("the refusal of {} could not be audited: {}", file, e.toString());
            return false;
        }
    }

    private static String describeRecipientChanges(Partnership before, Partnership after) {
        Set<String> was = ids(before.recipients());
        Set<String> now = ids(after.recipients());
        List<String> added = now.stream().filter(id -> !was.contains(id)).sorted().toList();
        List<String> removed = was.stream().filter(id -> !now.contains(id)).sorted().toList();
        return (added.isEmpty() ? "" : "; recipients added " + added)
                + (removed.isEmpty() ? "" : "; recipients removed " + removed);
    }

    private static Set<String> ids(List<Participant> participants) {
        return participants.stream().map(Participant::id).collect(Collectors.toSet());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the timer and waits for a look in progress to finish. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t == null) {
            return;
        }
        // Not shutdownNow: an interrupted read would look like an unreadable file.
        t.shutdown();
        try {
            if (!t.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the partnership watcher did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
