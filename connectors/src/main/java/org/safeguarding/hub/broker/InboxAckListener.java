package org.safeguarding.hub.broker;

/**
 * Told when a recipient's own consumer (AMQP or CORE over TLS, not the hub's in-VM HTTPS inbox)
 * consumes a package from its {@code intel.<id>} inbox. Called inside the broker transaction
 * that removes the package, before it commits: if recording fails (throws), the consume fails
 * and the package stays in the inbox.
 */
@FunctionalInterface
public interface InboxAckListener {
    /**
     * @param protocol {@code amqp} or {@code core}
     */
    void acknowledged(String recipientId, String packageId, String submissionId, String protocol);

    InboxAckListener NONE = (recipient, packageId, submissionId, protocol) -> { };
}
