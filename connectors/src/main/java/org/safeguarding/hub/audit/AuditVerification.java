package org.safeguarding.hub.audit;

/**
 * The outcome of checking a whole trail.
 *
 * @param ok            true when every event, link, checkpoint and the purge anchor check out
 * @param events        how many stored events were examined
 * @param head          the hash of the last event examined (the chain head), or the start hash of an empty trail
 * @param firstBadEvent id of the first event that fails, or null (also null when the failure is not tied to an event)
 * @param reason        null when ok; otherwise a short explanation naming the sequence number
 */
public record AuditVerification(boolean ok, long events, String head, String firstBadEvent, String reason) {

    static AuditVerification ok(long events, String head) {
        return new AuditVerification(true, events, head, null, null);
    }

    static AuditVerification bad(long events, String head, String firstBadEvent, String reason) {
        return new AuditVerification(false, events, head, firstBadEvent, reason);
    }
}
