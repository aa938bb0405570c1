package org.safeguarding.hub.audit;

/**
 * Every kind of step the hub records. {@link #CHECKPOINT} and {@link #RETENTION_PURGED}
 * are written by the trail itself and cannot be appended by callers.
 */
public enum AuditEventType {
    SUBMISSION_RECEIVED,
    SUBMISSION_REJECTED,
    SUBMISSION_ACCEPTED,
    SUBMISSION_DUPLICATE,
    SUBMISSION_OPENED,
    DECISION,
    REDACTED,
    PACKAGE_DELIVERED,
    SUBMISSION_ROUTED,
    SUBMISSION_UNROUTED,
    SUBMISSION_QUARANTINED,
    PACKAGE_FETCHED,
    PACKAGE_ACKNOWLEDGED,
    PACKAGE_ACCESS_DENIED,
    PACKAGE_EXPIRED,
    ACCESS_REFUSED,
    CONFIG_CHANGED,
    CONFIG_REJECTED,
    AUDIT_QUERIED,
    CHECKPOINT,
    RETENTION_PURGED,
    /** A contextual alert raised or its link set grown: the alert id and rule id only, never a token. */
    ALERT_RAISED,
    /** An IG lead's subject trace: who asked, the case reference and the reason, never the identifiers. */
    SUBJECT_TRACED,
    /** A partner withdrew one of its routed submissions: the reason code and the withdrawal's receipt. */
    SUBMISSION_WITHDRAWN,
    /** A recall package sent to a recipient that held a package of a withdrawn submission. */
    RECALL_SENT,
    /** A withdrawal refused: not the caller's submission, not yet routed, or not a valid withdrawal. */
    WITHDRAWAL_REJECTED,
    /** A partner corrected one of its routed submissions: the revision, the reason code and what was sent. */
    SUBMISSION_CORRECTED,
    /** An update package sent to a recipient whose visible groups a correction changed; the groups' names only. */
    UPDATE_SENT,
    /** A correction refused: not the caller's submission, not routed, an old revision, or not a valid correction. */
    CORRECTION_REJECTED,
    /** An urgent package unacknowledged past its deadline, escalated: to whom, at which level; ids and codes only. */
    PACKAGE_ESCALATED,
    /** A recipient registered, replaced or removed its webhook: who, and the URL's host only. */
    WEBHOOK_CHANGED,
    /** An urgent-package notice posted to a recipient's webhook, or given up after the last attempt. */
    WEBHOOK_NOTIFIED,
    HUB_STARTED,
    HUB_STOPPED;

    /** True for the types only the trail itself writes. */
    public boolean reservedForTrail() {
        return this == CHECKPOINT || this == RETENTION_PURGED;
    }
}
