package org.safeguarding.hub.app;

import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.broker.InboxAckListener;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.registry.RegistryChange;

/**
 * A package consumed by its recipient's own AMQP or CORE consumer is acknowledged exactly as by
 * the HTTPS {@code ack}: its state becomes ACKNOWLEDGED and a PACKAGE_ACKNOWLEDGED event is
 * audited, with the protocol ({@code amqp} or {@code core}) as detail.
 */
final class RecordedInboxAcks implements InboxAckListener {
    private final AuditRecorder audit;
    private final java.util.concurrent.CompletableFuture<AuditOutbox> outbox = new java.util.concurrent.CompletableFuture<>();

    RecordedInboxAcks(AuditRecorder audit) {
        this.audit = audit;
    }

    /** The outbox exists once the broker runs; acknowledgements come only after that. */
    void recordThrough(AuditOutbox outbox) {
        this.outbox.complete(outbox);
    }

    /**
     * Recorded through the audit queue, behind the routing step that delivered the package (so the registry never sees
     * the acknowledgement before the delivery), durably before this returns.
     */
    @Override
    public void acknowledged(String recipientId, String packageId, String submissionId, String protocol) {
        AuditOutbox out;
        try {
            // a consumer reconnecting at start may acknowledge while the hub is still assembling its outbox
            out = outbox.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the hub's audit outbox did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording an acknowledgement", e);
        }
        out.commit(new StepRecord().audit(audit.acknowledgedRecord(recipientId, submissionId, packageId, protocol))
                .change(new RegistryChange.PackageState(packageId, DeliveryState.ACKNOWLEDGED)), java.time.Duration.ZERO);
    }
}
