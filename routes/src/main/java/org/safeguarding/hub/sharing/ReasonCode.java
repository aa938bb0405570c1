package org.safeguarding.hub.sharing;

/**
 * Why a recipient does not get a submission. The scenario's codes, in the order in which they
 * are tried (first match wins), then {@link #RECIPIENT_SUSPENDED}, which the hub adds.
 */
public enum ReasonCode {
    /** Only an expired, suspended or not-yet-valid agreement names the recipient. */
    AGREEMENT_EXPIRED,
    /** No agreement names the recipient. */
    NO_AGREEMENT,
    OUT_OF_AREA,
    CATEGORY_NOT_COVERED,
    PURPOSE_NOT_PERMITTED,
    OUT_OF_AGE_SCOPE,
    /** The agreement's own further condition (such as CS-PLACED's) is not met. */
    CONDITION_NOT_MET,
    CLASSIFICATION,
    /** Handling code C and the recipient's sector may not receive conditional material. */
    HANDLING_CONDITIONS,
    /** The recipient is suspended in the partnership configuration: it receives nothing. Checked first. */
    RECIPIENT_SUSPENDED
}
