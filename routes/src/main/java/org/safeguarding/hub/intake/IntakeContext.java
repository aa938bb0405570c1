package org.safeguarding.hub.intake;

import java.time.Instant;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * A submission being taken in: the sealed bytes (what is queued), what was learnt by opening
 * them (kept in memory only, and only until the checks are done), and the receipt once one is made.
 */
public final class IntakeContext {
    private final IntakeRequest request;
    private final Instant receivedAt;
    private final String envelopeDigest;
    private ValidSubmission submission;
    private String partnerId;
    private String submissionId;
    private String contentDigest;
    private SubmissionOpener.HandedOff handedOff = SubmissionOpener.HandedOff.NONE;
    private Receipt receipt;
    private boolean repeat;
    private ContentBudget.Permit content;
    private IntakeAdmission.Permit admitted;
    private InFlight.Claim claim;
    private org.safeguarding.hub.audit.AuditRecord received;

    IntakeContext(IntakeRequest request, Instant receivedAt, String envelopeDigest) {
        this.request = request;
        this.receivedAt = receivedAt;
        this.envelopeDigest = envelopeDigest;
    }

    public IntakeRequest request() {
        return request;
    }

    public SealedBody sealed() {
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

    void opened(ValidSubmission submission, String contentDigest, SubmissionOpener.HandedOff handedOff) {
        this.handedOff = handedOff;
        this.submission = submission;
        this.partnerId = submission.partnerId();
        this.submissionId = submission.submissionId();
        this.contentDigest = contentDigest;
    }

    /** The checks are done: the opened content is let go, so that only the sealed body remains while it is queued. */
    void checked() {
        releaseContent();
    }

    /** The share of the content budget that the opened content takes, given back by {@link #releaseContent()}. */
    void holdContent(ContentBudget.Permit permit) {
        this.content = permit;
    }

    /** Lets the opened content go and gives its memory back to the budget; harmless when repeated. */
    public void releaseContent() {
        this.submission = null;
        if (content != null) {
            content.close();
        }
    }

    /** The arrival's audit record, written with the outcome. */
    void received(org.safeguarding.hub.audit.AuditRecord record) {
        this.received = record;
    }

    public org.safeguarding.hub.audit.AuditRecord receivedRecord() {
        return received;
    }

    void admitted(IntakeAdmission.Permit permit) {
        this.admitted = permit;
    }

    /** Holds the claim on this partner's submission id (null: none was had in time); false if none. */
    boolean claim(InFlight.Claim claim) {
        this.claim = claim;
        return claim != null;
    }

    /** The submission is counted on the intake queue (or refused): its place in the bound is the queue's now. */
    void releaseAdmission() {
        if (admitted != null) {
            admitted.close();
            admitted = null;
        }
    }

    /**
     * Intake is done with this submission (queued, refused or answered as a repeat): its content's memory, its place in
     * the admission bound and its claim on the submission id are given back. Harmless when repeated.
     */
    public void done() {
        releaseContent();
        releaseAdmission();
        if (claim != null) {
            claim.close();
            claim = null;
        }
    }

    public String contentDigest() {
        return contentDigest;
    }

    /** The content sealed for routing in this run (never content itself). */
    public SubmissionOpener.HandedOff handedOff() {
        return handedOff;
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
        return partnerId == null ? request.channelParticipant() : partnerId;
    }

    public String submissionId() {
        return submissionId;
    }
}
