package org.safeguarding.hub.registry;

/**
 * Where a submission is in its life. RECEIVING is internal: reserved, not yet durably queued. WITHDRAWN: its partner
 * withdrew it after routing ended (ROUTED, UNROUTED or FAILED).
 */
public enum SubmissionStatus {
    RECEIVING, ACCEPTED, ROUTED, UNROUTED, FAILED, WITHDRAWN
}
