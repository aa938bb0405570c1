package org.safeguarding.hub.registry;

/** Where a submission is in its life. RECEIVING is internal: reserved, not yet durably queued. */
public enum SubmissionStatus {
    RECEIVING, ACCEPTED, ROUTED, UNROUTED, FAILED
}
