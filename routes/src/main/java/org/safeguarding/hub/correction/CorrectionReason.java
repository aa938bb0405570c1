package org.safeguarding.hub.correction;

/** Why a partner corrected a submission: a code the recipients and the trail see, never free text. */
public enum CorrectionReason {
    /** A subject was named or identified wrongly. */
    WRONG_SUBJECT,
    /** A fact in the content was wrong. */
    FACTUAL_ERROR,
    /** The police re-graded the intelligence. */
    REGRADED,
    /** The handling code or its conditions changed. */
    HANDLING_CHANGED,
    /** A missing episode changed: the child was found or returned. */
    EPISODE_UPDATED,
    /** More is known now. */
    FURTHER_INFORMATION
}
