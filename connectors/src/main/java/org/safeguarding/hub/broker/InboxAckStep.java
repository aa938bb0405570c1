package org.safeguarding.hub.broker;

/**
 * What runs inside the broker transaction that takes a package out of its inbox, before it commits: recording the
 * acknowledgement. {@code session} is that transacted session, so a message sent on it (an audit event) commits or
 * rolls back with the consume. If the step throws, the transaction rolls back and the package stays.
 */
@FunctionalInterface
public interface InboxAckStep {
    void run(InboxEntry entry, jakarta.jms.Session session) throws jakarta.jms.JMSException;
}
