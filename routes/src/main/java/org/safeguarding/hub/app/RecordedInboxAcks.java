package org.safeguarding.hub.app;

import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.InboxAckListener;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.RegistryChange;

/**
 * A package consumed by its recipient's own AMQP or CORE consumer is acknowledged exactly as by
 * the HTTPS {@code ack}: its state becomes ACKNOWLEDGED and a PACKAGE_ACKNOWLEDGED event is
 * audited, with the protocol ({@code amqp} or {@code core}) as detail. The record commits with the consume, in the
 * broker's transaction, behind the routing step that delivered the package on the audit queue (so the registry never
 * sees the acknowledgement before the delivery).
 */
final class RecordedInboxAcks implements InboxAckListener {
    private final AuditRecorder audit;

    RecordedInboxAcks(AuditRecorder audit) {
        this.audit = audit;
    }

    @Override
    public AckRecord acknowledged(String recipientId, String packageId, String submissionId, String protocol) {
        // the same id however often the acknowledgement is replayed (a notice after a crash, another hub node)
        StepRecord step = StepRecord.keyed("ack:" + packageId)
                .audit(audit.acknowledgedRecord(recipientId, submissionId, packageId, protocol))
                .change(new RegistryChange.PackageState(packageId, DeliveryState.ACKNOWLEDGED));
        return new AckRecord(step.id(), AuditOutbox.body(step));
    }
}
