package org.safeguarding.hub.intake;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.StreamedMessage;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * The checks a sealed submission passes before the hub takes responsibility for it, in the
 * scenario's order: size, envelope, signature, signer trust, identity, role, area, fields,
 * duplicate, time window. The content is opened in memory only; only the still-sealed body is kept.
 * The HTTPS API and the SFTP drop both come through here.
 */
public final class SubmissionIntake {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SubmissionIntake.class);
    private final SubmissionOpener opener;
    private final SubmissionRegistry registry;
    private final AuditRecorder audit;
    private final Clock clock;
    private final long maxBytes;
    private final ContentBudget budget;
    private final java.time.Duration budgetWait;
    private final IntakeAdmission admission;
    private final InFlight inFlight = new InFlight();
    /** How long a copy of a submission waits for another copy being taken in now. */
    private static final java.time.Duration IN_FLIGHT_WAIT = java.time.Duration.ofSeconds(20);

    /**
     * @param budget     the memory opened content may take, shared with routing
     * @param budgetWait how long a submission waits for its share before the partner is asked to retry (503)
     * @param admission  the bound on submissions accepted but not yet routed
     */
    public SubmissionIntake(SubmissionOpener opener, SubmissionRegistry registry, AuditRecorder audit, Clock clock, long maxBytes,
                            ContentBudget budget, java.time.Duration budgetWait, IntakeAdmission admission) {
        this.admission = admission;
        this.budget = budget;
        this.budgetWait = budgetWait;
        this.opener = opener;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
        this.maxBytes = maxBytes;
    }

    /**
     * Admission (a bounded backlog), then size, envelope, signature, trust, identity, role, area and fields. The
     * arrival is recorded with the outcome: in the broker step that queues an accepted submission, or straight in the
     * trail for a refusal or a repeat.
     */
    public IntakeContext open(IntakeRequest request) {
        // milliseconds: what the registry keeps, so a repeat answers the first receipt to the letter
        Instant receivedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        SealedBody body = request.body();
        IntakeContext ctx = new IntakeContext(request, receivedAt, digest(body));
        ctx.received(audit.receivedRecord(request.channelParticipant(), ctx.envelopeDigest(), body.size()));
        try {
            ctx.admitted(admission.admit());
            if (body.size() > maxBytes) {
                throw new HubException(ErrorCode.TOO_LARGE, "The body is over " + maxBytes + " bytes.");
            }
            if (body.size() == 0) {
                throw new HubException(ErrorCode.UNDECRYPTABLE, "The body is empty.");
            }
            // the content's memory is reserved first, and given back as soon as the checks are done (or fail)
            ctx.holdContent(reserveContent(body.size()));
            SubmissionOpener.Opened opened = opener.open(body, request.channelParticipant(), receivedAt);
            ctx.opened(opened.submission(), opened.contentDigest(), opened.handedOff());
            return ctx;
        } catch (HubException e) {
            ctx.done();
            refused(ctx, ctx.submissionId(), e.code());
            throw e;
        } catch (RuntimeException | Error e) {
            ctx.done();
            throw e;
        }
    }

    /** The arrival and its refusal, durably in the trail before the partner is answered. */
    private void refused(IntakeContext ctx, String submissionId, ErrorCode code) {
        audit.append(List.of(ctx.receivedRecord(),
                audit.rejectedRecord(ctx.request().channelParticipant(), submissionId, code, ctx.envelopeDigest())));
    }

    private ContentBudget.Permit reserveContent(long size) {
        try {
            return budget.tryReserve(size, budgetWait).orElseThrow(() -> new HubException(ErrorCode.UNAVAILABLE,
                    "The hub is opening other large submissions now; send this one again shortly."));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(ErrorCode.UNAVAILABLE, "The hub is stopping; send the submission again shortly.");
        }
    }

    private static String digest(SealedBody body) {
        try (InputStream in = body.open()) {
            return Digests.sha256Hex(in);
        } catch (IOException e) {
            throw new HubException(ErrorCode.UNAVAILABLE, "The hub could not read the body it received.", e);
        }
    }

    /**
     * Duplicate (same partner and submission id: the first receipt again if the content is the
     * same, a conflict if not), then the time window, then a reservation of the receipt.
     */
    public IntakeContext reserve(IntakeContext ctx) {
        try {
            // one copy of a submission at a time: a racing copy waits for the first to be answered, then is a repeat
            ValidSubmission s = ctx.submission();
            if (!ctx.claim(inFlight.claim(s.partnerId() + "|" + s.submissionId(), IN_FLIGHT_WAIT))) {
                refused(ctx, s.submissionId(), ErrorCode.UNAVAILABLE);
                throw new HubException(ErrorCode.UNAVAILABLE,
                        "Another copy of this submission is being taken in now; send it again shortly.");
            }
            return reserveChecked(ctx);
        } finally {
            // whatever the outcome, the opened content is not needed past this step
            ctx.releaseContent();
        }
    }

    private IntakeContext reserveChecked(IntakeContext ctx) {
        ValidSubmission s = ctx.submission();
        try {
            Optional<SubmissionRecord> existing = registry.find(s.partnerId(), s.submissionId());
            if (existing.isPresent() && existing.get().status() != SubmissionStatus.RECEIVING) {
                return repeatOrConflict(ctx, existing.get());
            }
            SubmissionValidator.checkTimeWindow(s, ctx.receivedAt());
            Receipt receipt = existing.map(SubmissionRecord::receipt).orElseGet(() -> new Receipt(s.partnerId(),
                    s.submissionId(), UUID.randomUUID().toString(), ctx.receivedAt(), ctx.contentDigest()));
            if (!receipt.contentDigest().equals(ctx.contentDigest())) {
                return repeatOrConflict(ctx, existing.get());
            }
            SubmissionRegistry.Reservation r = registry.reserve(receipt);
            if (!r.created() && (r.record().status() != SubmissionStatus.RECEIVING
                    || !r.record().receipt().contentDigest().equals(ctx.contentDigest()))) {
                // another request with this id got there first: the same content is a repeat, other content a conflict
                return repeatOrConflict(ctx, r.record());
            }
            ctx.receipt(r.record().receipt(), false);
            ctx.checked();
            return ctx;
        } catch (HubException e) {
            ctx.done();
            refused(ctx, s.submissionId(), e.code());
            throw e;
        }
    }

    /** The first receipt again for the same content (recorded as a repeat), a conflict for other content. */
    IntakeContext repeatOrConflict(IntakeContext ctx, SubmissionRecord existing) {
        if (existing.receipt().contentDigest().equals(ctx.contentDigest())) {
            ctx.receipt(existing.receipt(), true);
            ctx.checked();
            audit.append(List.of(ctx.receivedRecord(),
                    audit.repeatedRecord(ctx.partnerId(), ctx.submissionId(), ctx.envelopeDigest())));
            return ctx;
        }
        throw new HubException(ErrorCode.DUPLICATE_CONFLICT,
                "This submissionId was already received from this partner with different content.");
    }

    public IntakeAnswer repeat(IntakeContext ctx) {
        ctx.done();
        return new IntakeAnswer(ctx.receipt(), true);
    }

    /**
     * The broker refused the submission as one it already holds (its duplicate id): another attempt, before a crash or
     * racing this one, queued it. Once the registry shows that attempt's receipt, it is answered as a repeat; until
     * then the partner is asked to send again shortly.
     */
    public IntakeAnswer queuedBefore(IntakeContext ctx, java.time.Duration wait) {
        Receipt mine = ctx.receipt();
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
        while (true) {
            Optional<SubmissionRecord> first = registry.find(mine.partnerId(), mine.submissionId());
            if (first.isPresent() && first.get().status() != SubmissionStatus.RECEIVING) {
                try {
                    repeatOrConflict(ctx, first.get());
                } catch (HubException e) {
                    refused(ctx, ctx.submissionId(), e.code());
                    throw e;
                }
                return repeat(ctx);
            }
            if (System.nanoTime() - deadline > 0) {
                refused(ctx, ctx.submissionId(), ErrorCode.UNAVAILABLE);
                throw new HubException(ErrorCode.UNAVAILABLE,
                        "The hub is still recording an earlier copy of this submission; send it again shortly.");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The broker did not take the submission: forget the reservation so that the partner can retry. */
    public void notQueued(IntakeContext ctx) {
        ctx.done();
        if (ctx.receipt() != null && !ctx.isRepeat()) {
            registry.release(ctx.receipt().partnerId(), ctx.receipt().submissionId());
            refused(ctx, ctx.submissionId(), ErrorCode.UNAVAILABLE);
        }
    }
}
