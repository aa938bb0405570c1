package org.safeguarding.hub.intake;

import java.time.Instant;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * A submission being taken in: the sealed bytes (what is queued), what was learnt by opening
 * them (kept in memory only), and the receipt once one is made.
 */
public final class IntakeContext {
    private final IntakeRequest request;
    private final Instant receivedAt;
    private final String envelopeDigest;
    private ValidSubmission submission;
    private String contentDigest;
    private Receipt receipt;
    private boolean repeat;

    IntakeContext(IntakeRequest request, Instant receivedAt, String envelopeDigest) {
        this.request = request;
        this.receivedAt = receivedAt;
        this.envelopeDigest = envelopeDigest;
    }

    public IntakeRequest request() {
        return request;
    }

    public byte[] sealed() {
        return request.body();
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public String envelopeDigest() {
        return envelopeDigest;
    }

    public ValidSubmission submission() {
        return submission;
    }

    void opened(ValidSubmission submission, String contentDigest) {
        this.submission = submission;
        this.contentDigest = contentDigest;
    }

    public String contentDigest() {
        return contentDigest;
    }

    public Receipt receipt() {
        return receipt;
    }

    void receipt(Receipt receipt, boolean repeat) {
        this.receipt = receipt;
        this.repeat = repeat;
    }

    public boolean isRepeat() {
        return repeat;
    }

    public String partnerId() {
        return submission == null ? request.channelParticipant() : submission.partnerId();
    }

    public String submissionId() {
        return submission == null ? null : submission.submissionId();
    }
}
