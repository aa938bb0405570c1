package org.safeguarding.hub.intake;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
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
import org.safeguarding.hub.http.RequestBody;
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
    private final EnvelopeOpener opener;
    private final TrustValidator trust;
    private final LivePartnership partnership;
    private final SubmissionRegistry registry;
    private final AuditRecorder audit;
    private final Clock clock;
    private final long maxBytes;
    private final ContentBudget budget;
    private final java.time.Duration budgetWait;

    /**
     * @param budget     the memory opened content may take, shared with routing
     * @param budgetWait how long a submission waits for its share before the partner is asked to retry (503)
     */
    public SubmissionIntake(EnvelopeOpener opener, TrustValidator trust, LivePartnership partnership,
                            SubmissionRegistry registry, AuditRecorder audit, Clock clock, long maxBytes,
                            ContentBudget budget, java.time.Duration budgetWait) {
        this.budget = budget;
        this.budgetWait = budgetWait;
        this.opener = opener;
        this.trust = trust;
        this.partnership = partnership;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
        this.maxBytes = maxBytes;
    }

    /** Size, envelope, signature, trust, identity, role, area and fields. */
    public IntakeContext open(IntakeRequest request) {
        // milliseconds: what the registry keeps, so a repeat answers the first receipt to the letter
        Instant receivedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        RequestBody body = request.body();
        IntakeContext ctx = new IntakeContext(request, receivedAt, digest(body));
        audit.received(request.channelParticipant(), ctx.envelopeDigest(), body.size());
        try {
            if (body.size() > maxBytes) {
                throw new HubException(ErrorCode.TOO_LARGE, "The body is over " + maxBytes + " bytes.");
            }
            if (body.size() == 0) {
                throw new HubException(ErrorCode.UNDECRYPTABLE, "The body is empty.");
            }
            // the content's memory is reserved first, and given back as soon as the checks are done (or fail)
            ctx.holdContent(reserveContent(body.size()));
            // streamed: the sealed body is read once, and the content is held once, in memory only
            ContentBuffer content = new ContentBuffer(body.size());
            StreamedMessage opened;
            try (InputStream in = body.open()) {
                opened = opener.open(in, content);
            } catch (IOException e) {
                throw new HubException(ErrorCode.UNAVAILABLE, "The hub could not read the body it received.", e);
            }
            trust.validate(opened.signer(), opened.certificates(), receivedAt);
            String signer = Certificates.commonName(opened.signer());
            if (signer == null || !signer.equals(request.channelParticipant())) {
                throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                        "The signer certificate does not name the participant of the connection.");
            }
            String claimed = PartnerIdReader.partnerId(content.array(), content.length());
            if (claimed != null && !claimed.equals(signer)) {
                throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                        "partnerId does not name the participant that signed and sent the submission.");
            }
            var version = partnership.current();
            Participant partner = version.partnership().participant(signer)
                    .filter(p -> p.hasRole(Role.PARTNER) && !p.suspended())
                    .orElseThrow(() -> new HubException(ErrorCode.NOT_A_PARTNER,
                            "The participant is not an active partner."));
            ValidSubmission submission = version.validator().validate(content.array(), content.length(), partner);
            if (!submission.partnerId().equals(signer)) {
                throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                        "partnerId does not name the participant that signed and sent the submission.");
            }
            ctx.opened(submission, opened.contentSha256Hex());
            return ctx;
        } catch (CryptoException e) {
            ctx.releaseContent();
            HubException he = new HubException(Failures.code(e.failure()), e.getMessage());
            audit.rejected(request.channelParticipant(), null, he.code(), ctx.envelopeDigest());
            throw he;
        } catch (HubException e) {
            ctx.releaseContent();
            audit.rejected(request.channelParticipant(), ctx.submissionId(), e.code(), ctx.envelopeDigest());
            throw e;
        } catch (RuntimeException | Error e) {
            ctx.releaseContent();
            throw e;
        }
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

    private static String digest(RequestBody body) {
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
            audit.rejected(s.partnerId(), s.submissionId(), e.code(), ctx.envelopeDigest());
            throw e;
        }
    }

    private IntakeContext repeatOrConflict(IntakeContext ctx, SubmissionRecord existing) {
        if (existing.receipt().contentDigest().equals(ctx.contentDigest())) {
            ctx.receipt(existing.receipt(), true);
            ctx.checked();
            audit.repeated(ctx.partnerId(), ctx.submissionId(), ctx.envelopeDigest());
            return ctx;
        }
        throw new HubException(ErrorCode.DUPLICATE_CONFLICT,
                "This submissionId was already received from this partner with different content.");
    }

    /** The submission is durably on the intake queue: it is the hub's now. */
    public IntakeAnswer accepted(IntakeContext ctx) {
        Receipt r = ctx.receipt();
        registry.setStatus(r.partnerId(), r.submissionId(), SubmissionStatus.ACCEPTED);
        audit.accepted(r.partnerId(), r.submissionId(), r.receiptId(), ctx.envelopeDigest());
        LOG.info("accepted submission {} from {}, receipt {}", r.submissionId(), r.partnerId(), r.receiptId());
        return new IntakeAnswer(r, false);
    }

    public IntakeAnswer repeat(IntakeContext ctx) {
        return new IntakeAnswer(ctx.receipt(), true);
    }

    /** The broker did not take the submission: forget the reservation so that the partner can retry. */
    public void notQueued(IntakeContext ctx) {
        if (ctx.receipt() != null && !ctx.isRepeat()) {
            registry.release(ctx.receipt().partnerId(), ctx.receipt().submissionId());
            audit.rejected(ctx.partnerId(), ctx.submissionId(), ErrorCode.UNAVAILABLE, ctx.envelopeDigest());
        }
    }
}
