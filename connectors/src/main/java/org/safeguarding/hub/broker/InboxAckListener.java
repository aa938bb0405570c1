package org.safeguarding.hub.broker;

/**
 * Told when a recipient's own consumer (AMQP or CORE over TLS, not the hub's in-VM HTTPS inbox)
 * consumes a package from its {@code intel.<id>} inbox, inside the broker transaction that removes the
 * package. What it answers is the step record of that acknowledgement: the broker puts it on the audit
 * queue in that same transaction, so the consume and its record commit together or not at all. If it throws,
 * the consume fails and the package stays in the inbox.
 */
@FunctionalInterface
public interface InboxAckListener {
    /**
     * @param protocol {@code amqp} or {@code core}
     * @return the record to commit with the acknowledgement, or {@code null} to record nothing
     */
    AckRecord acknowledged(String recipientId, String packageId, String submissionId, String protocol);

    /** A step record as the audit queue carries it: its id (the {@link QueueNames#STEP_ID} property) and its body. */
    record AckRecord(String stepId, byte[] body) {
        public AckRecord {
            java.util.Objects.requireNonNull(stepId, "stepId");
            java.util.Objects.requireNonNull(body, "body");
        }
    }

    InboxAckListener NONE = (recipient, packageId, submissionId, protocol) -> null;
}
