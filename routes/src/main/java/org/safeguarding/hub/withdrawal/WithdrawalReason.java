package org.safeguarding.hub.withdrawal;

/** Why a partner withdraws a submission: a code, never a narrative. */
public enum WithdrawalReason {
    /** The submission is about the wrong child or person. */
    WRONG_SUBJECT,
    /** Sent in error, or to be sent again as a new submission. */
    SENT_IN_ERROR,
    /** The same intelligence was sent twice. */
    DUPLICATE,
    /** The basis for sharing it no longer holds (consent withdrawn, legal advice). */
    NO_LONGER_SHAREABLE,
    /** The intelligence was found to be untrue. */
    NOT_SUBSTANTIATED
}
