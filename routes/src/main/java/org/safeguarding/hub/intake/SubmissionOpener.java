package org.safeguarding.hub.intake;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
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
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * Opens a sealed submission, the one way every path does: intake {@link #open opens and verifies} what a partner
 * sent (envelope, signature, the signer's trust at receipt, identity, role, fields), and routing {@link #reopen
 * reopens} what intake verified, decrypting it once more but neither checking its signature nor its certificate path
 * again, and comparing the content's digest with the one intake recorded. Content is held in memory only, once.
 * Within one run of the hub routing does not decrypt the envelope again either: intake hands the content it verified
 * over ({@link ContentHandOff}, under a key only this opener holds) and routing takes it, checked against the digest.
 */
public final class SubmissionOpener {
    private final EnvelopeOpener envelopes;
    private final EnvelopeOpener rsaPkcs1Envelopes;
    private final TrustValidator trust;
    private final LivePartnership partnership;
    private final ContentHandOff handOff = new ContentHandOff(new java.security.SecureRandom());

    /** One opener for every partner: its policy decides alone whether RSA PKCS#1 v1.5 key transport is accepted. */
    public SubmissionOpener(EnvelopeOpener envelopes, TrustValidator trust, LivePartnership partnership) {
        this(envelopes, envelopes, trust, partnership);
    }

    /**
     * @param envelopes         the opener for what partners seal to the hub (its policy refuses RSA PKCS#1 v1.5 key
     *                          transport)
     * @param rsaPkcs1Envelopes the same keys under a policy that accepts it: for a partner whose partnership entry says
     *                          {@code allowRsaPkcs1v15: true} (chosen by the connection's participant, before anything is
     *                          decrypted), and for reopening what intake accepted
     */
    public SubmissionOpener(EnvelopeOpener envelopes, EnvelopeOpener rsaPkcs1Envelopes, TrustValidator trust,
                            LivePartnership partnership) {
        this.envelopes = envelopes;
        this.rsaPkcs1Envelopes = rsaPkcs1Envelopes;
        this.trust = trust;
        this.partnership = partnership;
    }

    /** The opener for what {@code channelParticipant} sealed: RSA PKCS#1 v1.5 key transport only if it is allowed it. */
    private EnvelopeOpener openerFor(String channelParticipant) {
        boolean allowed = channelParticipant != null && partnership.current().partnership().participant(channelParticipant)
                .map(Participant::rsaPkcs1Allowed).orElse(false);
        return allowed ? rsaPkcs1Envelopes : envelopes;
    }

    /**
     * What intake learnt: the valid submission, the SHA-256 of its content, and the content sealed for routing in this
     * run ({@link HandedOff#NONE} when it is too large to hand off).
     */
    public record Opened(ValidSubmission submission, String contentDigest, HandedOff handedOff) {
    }

    /** The content sealed for routing under this run's key ({@link ContentHandOff}): the key's id and the ciphertext. */
    public record HandedOff(String keyId, String sealed) {
        public static final HandedOff NONE = new HandedOff(null, null);

        @Override
        public String toString() {
            return "HandedOff[keyId=" + keyId + "]";
        }
    }

    /**
     * Opens and verifies, in the scenario's order, what {@code channelParticipant} sent; a {@link HubException} with
     * the scenario's code otherwise (a {@link CryptoException} is translated).
     */
    public Opened open(SealedBody body, String channelParticipant, Instant receivedAt) {
        try {
            Signed signed = openSigned(body, channelParticipant, receivedAt);
            ContentBuffer content = signed.content();
            String signer = signed.signer();
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
            HandedOff handedOff = handOff.seal(content.array(), content.length(), signed.contentDigest(), body.size())
                    .map(sealed -> new HandedOff(handOff.keyId(), sealed)).orElse(HandedOff.NONE);
            return new Opened(submission, signed.contentDigest(), handedOff);
        } catch (CryptoException e) {
            throw Failures.hubException(e);
        }
    }

    /** What a participant signed and sent, opened: the content (in memory), the signer's id and the content's digest. */
    public record Signed(ContentBuffer content, String signer, String contentDigest) {
    }

    /**
     * The first checks of anything a partner seals to the hub (a submission, a withdrawal): the envelope, the
     * signature, the signer's trust at {@code receivedAt}, and that the signer is the connection's participant.
     */
    public Signed openSigned(SealedBody body, String channelParticipant, Instant receivedAt) throws CryptoException {
        ContentBuffer content = new ContentBuffer(body.size());
        StreamedMessage opened;
        try (InputStream in = body.open()) {
            opened = openerFor(channelParticipant).open(in, content);
        } catch (IOException e) {
            throw new HubException(ErrorCode.UNAVAILABLE, "The hub could not read the body it received.", e);
        }
        trust.validateSigner(opened.signer(), opened.certificates(), receivedAt);
        String signer = Certificates.commonName(opened.signer());
        if (signer == null || !signer.equals(channelParticipant)) {
            throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                    "The signer certificate does not name the participant of the connection.");
        }
        return new Signed(content, signer, opened.contentSha256Hex());
    }

    /** What a partner sealed to the hub about one of its submissions, opened: the content and the partner. */
    public record FromPartner(Signed signed, Participant partner) {
    }

    /**
     * A withdrawal's or a correction's first checks: the size ({@code maxBytes}, not empty), {@link #openSigned}, and
     * that the signer is a partner ({@code active}: and not suspended); a {@link HubException} otherwise, naming
     * {@code what} the partner sent.
     */
    public FromPartner openFromPartner(SealedBody body, String channelParticipant, Instant receivedAt, long maxBytes,
                                       boolean active, String what) {
        if (body.size() > maxBytes) {
            throw new HubException(ErrorCode.TOO_LARGE, "The body is over " + maxBytes + " bytes.");
        }
        if (body.size() == 0) {
            throw new HubException(ErrorCode.UNDECRYPTABLE, "The body is empty.");
        }
        try {
            Signed signed = openSigned(body, channelParticipant, receivedAt);
            Participant partner = partnership.current().partnership().participant(signed.signer())
                    .filter(p -> p.hasRole(Role.PARTNER) && (!active || !p.suspended()))
                    .orElseThrow(() -> new HubException(ErrorCode.NOT_A_PARTNER, "Only " + (active ? "an active"
                            : "a") + " partner sends " + what + "."));
            return new FromPartner(signed, partner);
        } catch (CryptoException e) {
            throw Failures.hubException(e);
        }
    }

    /** The SHA-256 of a received body, as the trail records it; UNAVAILABLE if the hub cannot read it back. */
    public static String envelopeDigest(SealedBody body) {
        try (InputStream in = body.open()) {
            return Digests.sha256Hex(in);
        } catch (IOException e) {
            throw new HubException(ErrorCode.UNAVAILABLE, "The hub could not read the body it received.", e);
        }
    }

    /**
     * Reopens a submission that intake verified ({@code expectedDigest}: the content digest intake recorded; null
     * for a message queued by an older hub, which is then verified in full, its signer's trust at {@code receivedAt})
     * and validates it against the partnership version in force; lasting {@link HubException}s for anything wrong.
     * What intake {@code handedOff} in this run is taken instead of decrypting the envelope, once its digest is the
     * expected one; anything else (another run's key, nothing handed off) opens the envelope.
     */
    public ValidSubmission reopen(SealedBody body, Participant partner, String expectedDigest, Instant receivedAt,
                                  SubmissionValidator validator, HandedOff handedOff) {
        if (expectedDigest != null && handedOff != null) {
            java.util.Optional<byte[]> content = handOff.open(handedOff.keyId(), handedOff.sealed(), expectedDigest);
            if (content.isPresent() && expectedDigest.equals(Digests.sha256Hex(content.get()))) {
                return validator.validate(content.get(), content.get().length, partner);
            }
        }
        return reopen(body, partner, expectedDigest, receivedAt, validator);
    }

    /** {@link #reopen(SealedBody, Participant, String, Instant, SubmissionValidator, HandedOff)}, the envelope opened. */
    public ValidSubmission reopen(SealedBody body, Participant partner, String expectedDigest, Instant receivedAt,
                                  SubmissionValidator validator) {
        try {
            ContentBuffer content = new ContentBuffer(body.size());
            StreamedMessage opened;
            try (InputStream in = body.open()) {
                // what intake accepted, under the policy it was accepted by: a PKCS#1 v1.5 envelope from an allowed partner
                // reopens even if the allowance was withdrawn since (it is the hub's own queue, not a partner's query)
                opened = expectedDigest == null ? openerFor(partner.id()).open(in, content)
                        : rsaPkcs1Envelopes.reopen(in, content);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("the queued submission could not be read", e);
            }
            if (expectedDigest == null) {
                trust.validateSigner(opened.signer(), opened.certificates(), receivedAt);
                if (!partner.id().equals(Certificates.commonName(opened.signer()))) {
                    throw new HubException(ErrorCode.IDENTITY_MISMATCH, "The queued submission's signer is not its partner.");
                }
            } else if (!expectedDigest.equals(opened.contentSha256Hex())) {
                throw new HubException(ErrorCode.UNDECRYPTABLE,
                        "The queued submission's content is not what intake verified.");
            }
            return validator.validate(content.array(), content.length(), partner);
        } catch (CryptoException e) {
            throw Failures.hubException(e);
        }
    }
}
