package org.safeguarding.hub.app;

import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.broker.InboxAckListener;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.SubmissionRegistry;

/**
 * A package consumed by its recipient's own AMQP or CORE consumer is acknowledged exactly as by
 * the HTTPS {@code ack}: its state becomes ACKNOWLEDGED and a PACKAGE_ACKNOWLEDGED event is
 * audited, with the protocol ({@code amqp} or {@code core}) as detail.
 */
final class RecordedInboxAcks implements InboxAckListener {
    private final SubmissionRegistry registry;
    private final AuditRecorder audit;

    RecordedInboxAcks(SubmissionRegistry registry, AuditRecorder audit) {
        this.registry = registry;
        this.audit = audit;
    }

    @Override
    public void acknowledged(String recipientId, String packageId, String submissionId, String protocol) {
        registry.setDeliveryState(packageId, DeliveryState.ACKNOWLEDGED);
        audit.acknowledged(recipientId, submissionId, packageId, protocol);
    }
}
