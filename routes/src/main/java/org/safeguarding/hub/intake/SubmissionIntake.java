package org.safeguarding.hub.intake;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.OpenedMessage;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
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
 * duplicate, time window. Everything is done in memory; only the still-sealed bytes are kept.
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

    public SubmissionIntake(EnvelopeOpener opener, TrustValidator trust, LivePartnership partnership,
                            SubmissionRegistry registry, AuditRecorder audit, Clock clock, long maxBytes) {
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
        IntakeContext ctx = new IntakeContext(request, receivedAt, Digests.sha256Hex(request.body()));
        audit.received(request.channelParticipant(), ctx.envelopeDigest(), request.body().length);
        try {
            if (request.body().length > maxBytes) {
                throw new HubException(ErrorCode.TOO_LARGE, "The body is over " + maxBytes + " bytes.");
            }
            if (request.body().length == 0) {
                throw new HubException(ErrorCode.UNDECRYPTABLE, "The body is empty.");
            }
            OpenedMessage opened = opener.open(request.body());
            trust.validate(opened.signer(), opened.certificates(), receivedAt);
            String signer = Certificates.commonName(opened.signer());
            if (signer == null || !signer.equals(request.channelParticipant())) {
                throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                        "The signer certificate does not name the participant of the connection.");
            }
            String claimed = PartnerIdReader.partnerId(opened.content());
            if (claimed != null && !claimed.equals(signer)) {
                throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                        "partnerId does not name the participant that signed and sent the submission.");
            }
            var version = partnership.current();
            Participant partner = version.partnership().participant(signer)
                    .filter(p -> p.hasRole(Role.PARTNER) && !p.suspended())
                    .orElseThrow(() -> new HubException(ErrorCode.NOT_A_PARTNER,
                            "The participant is not an active partner."));
            ValidSubmission submission = version.validator().validate(opened.content(), partner);
            if (!submission.partnerId().equals(signer)) {
                throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                        "partnerId does not name the participant that signed and sent the submission.");
            }
            ctx.opened(submission, opened.contentSha256Hex());
            return ctx;
        } catch (CryptoException e) {
            HubException he = new HubException(Failures.code(e.failure()), e.getMessage());
            audit.rejected(request.channelParticipant(), null, he.code(), ctx.envelopeDigest());
            throw he;
        } catch (HubException e) {
            audit.rejected(request.channelParticipant(), ctx.submissionId(), e.code(), ctx.envelopeDigest());
            throw e;
        }
    }

    /**
     * Duplicate (same partner and submission id: the first receipt again if the content is the
     * same, a conflict if not), then the time window, then a reservation of the receipt.
     */
    public IntakeContext reserve(IntakeContext ctx) {
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
            return ctx;
        } catch (HubException e) {
            audit.rejected(s.partnerId(), s.submissionId(), e.code(), ctx.envelopeDigest());
            throw e;
        }
    }

    private IntakeContext repeatOrConflict(IntakeContext ctx, SubmissionRecord existing) {
        if (existing.receipt().contentDigest().equals(ctx.contentDigest())) {
            ctx.receipt(existing.receipt(), true);
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
