package org.safeguarding.hub.withdrawal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.MessageProducer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.intake.ContentBuffer;
import org.safeguarding.hub.intake.OwnSubmissionStep;
import org.safeguarding.hub.intake.SubmissionOpener;
import org.safeguarding.hub.notices.HubNotices;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.registry.DeliveryRecord;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.spool.SealedBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partner withdraws one of its own submissions after its routing ended. The sealed withdrawal is opened and its
 * signer checked as a submission's is ({@link SubmissionOpener#openSigned}); then, in one broker transaction: every package of the submission still pending
 * leaves its recipient's inbox, every recipient that holds or held one is sent a recall package (sealed to it, signed
 * by the hub, content-free: ids, the reason code and what to do), and the step's record goes with them
 * ({@code SUBMISSION_WITHDRAWN}, {@code RECALL_SENT}, the submission WITHDRAWN, its packages RECALLED, its links and
 * alert memberships retracted). Only after that commit is the partner answered 202; a crash before it leaves
 * everything as it was, and the partner's retry does it; a retry after it finds the submission withdrawn (or the
 * broker refuses the recall packages as ones it holds) and is answered 200 with the same receipt.
 *
 * <p>A withdrawal of a submission still being routed is answered 503 (send again shortly): routing has not ended, so
 * the packages it is sending are not yet known, and a withdrawal must reach all of them. Another partner's submission,
 * or an unknown one, is a 404 and audited.
 */
public final class SubmissionWithdrawal {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionWithdrawal.class);
    /** The registry's sender of a recall package: the hub itself, so that the partner's status lists each recipient once. */
    public static final String RECALL_PARTNER = HubNotices.SENDER;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SubmissionOpener opener;
    private final LivePartnership partnership;
    private final SubmissionRegistry registry;
    private final BrokerInbox inbox;
    private final HubNotices notices;
    private final AuditRecorder audit;
    private final AuditFeed feed;
    private final Clock clock;
    private final long maxBytes;
    private final OwnSubmissionStep steps;

    public SubmissionWithdrawal(SubmissionOpener opener, LivePartnership partnership,
                                SubmissionRegistry registry, BrokerInbox inbox, CertificateDirectory certificates,
                                CmsSealer sealer, Identity hub, ContentEncryption encryption, AuditRecorder audit,
                                AuditFeed feed, Clock clock, long maxBytes) {
        this.opener = opener;
        this.partnership = partnership;
        this.registry = registry;
        this.inbox = inbox;
        this.notices = new HubNotices(certificates, new org.safeguarding.hub.sealing.RecipientSealer(sealer, encryption,
                hub, id -> partnership.partnership().participant(id)));
        this.audit = audit;
        this.feed = feed;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.steps = new OwnSubmissionStep(registry, "withdraw",
                "Another copy of this withdrawal is being taken in now; send it again shortly.",
                audit::withdrawalRejected);
    }

    /** The answer: 202 for a withdrawal done now, 200 for a repeat of one done before, with the same receipt. */
    public record Answer(int httpStatus, String submissionId, String receiptId, Instant withdrawnAt, int recalls) {
        public byte[] json() {
            ObjectNode r = JSON.createObjectNode();
            r.put("submissionId", submissionId);
            r.put("receiptId", receiptId);
            r.put("status", SubmissionStatus.WITHDRAWN.name());
            if (recalls >= 0) {
                r.put("recalls", recalls);
            }
            return r.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Withdraws {@code pathSubmissionId} as {@code channelParticipant} asks in {@code body}; a {@link HubException}
     * (audited as {@code WITHDRAWAL_REJECTED}) for anything refused.
     */
    public Answer withdraw(String channelParticipant, String pathSubmissionId, SealedBody body) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String envelopeDigest = SubmissionOpener.envelopeDigest(body);
        return steps.run(channelParticipant, pathSubmissionId, envelopeDigest, attempt -> {
            Withdrawal w = open(body, channelParticipant, pathSubmissionId, receivedAt);
            attempt.opened(w.submissionId());
            SubmissionRecord record = attempt.ownRecord(w.submissionId());
            String receiptId = withdrawalReceiptId(record.receipt().receiptId());
            if (record.status() == SubmissionStatus.WITHDRAWN) {
                return new Answer(200, w.submissionId(), receiptId, w.withdrawnAt(), -1);
            }
            if (record.status() == SubmissionStatus.ACCEPTED) {
                throw new HubException(ErrorCode.UNAVAILABLE, "The submission is still being routed; send the"
                        + " withdrawal again after the Retry-After interval.");
            }
            return attempt.alone(w.submissionId(), () -> carryOut(w, record, receiptId, envelopeDigest));
        });
    }

    /** Envelope, signature, signer trust at receipt, identity, role, fields, the URL's id, the time window. */
    Withdrawal open(SealedBody body, String channelParticipant, String pathSubmissionId, Instant receivedAt) {
        SubmissionOpener.Signed signed = opener.openFromPartner(body, channelParticipant, receivedAt, maxBytes, false,
                "withdrawals").signed();
        ContentBuffer content = signed.content();
        String signer = signed.signer();
        Withdrawal w = Withdrawal.parse(content.array(), content.length());
        if (!w.partnerId().equals(signer)) {
            throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                    "partnerId does not name the participant that signed and sent the withdrawal.");
        }
        // over SFTP there is no URL: the body names the submission
        if (pathSubmissionId != null && !w.submissionId().equalsIgnoreCase(pathSubmissionId)) {
            throw new HubException(ErrorCode.INVALID_SUBMISSION, "The withdrawal names another submissionId than"
                    + " its URL; send it to /api/v1/submissions/{its submissionId}/withdrawal.",
                    List.of(new org.safeguarding.hub.error.FieldError("submissionId", "must be the URL's id")));
        }
        w.checkTimeWindow(receivedAt);
        return w;
    }

    /** One broker transaction: pending originals out, recalls in, the record with them; then the answer. */
    private Answer carryOut(Withdrawal w, SubmissionRecord record, String receiptId, String envelopeDigest) {
        Instant now = clock.instant();
        Map<String, List<SubmissionRecord.Delivery>> held = new LinkedHashMap<>();
        for (SubmissionRecord.Delivery d : record.deliveries()) {
            // an original a correction replaced is held too, if its recipient had taken it before the update came
            if (d.state() == DeliveryState.DELIVERED || d.state() == DeliveryState.ACKNOWLEDGED
                    || d.state() == DeliveryState.UPDATED) {
                held.computeIfAbsent(d.recipient(), r -> new ArrayList<>()).add(d);
            }
        }
        // every lasting failure before anything is taken or sent
        Map<String, List<X509Certificate>> sealTo = new LinkedHashMap<>();
        for (String recipient : held.keySet()) {
            sealTo.put(recipient, notices.sealableCertificates(recipient, now, "recall"));
        }
        // where a recall nobody acknowledges escalates: the MASH of the submission's area, as its packages recorded it
        String area = registry.areaOf(w.partnerId(), w.submissionId()).orElse(null);
        StepRecord step = new StepRecord();
        AuditFeed.Applied applied = feed.expect(step.id());
        int[] removed = {0};
        try {
            inbox.transacted((session, taker) -> {
                try (MessageProducer producer = session.createProducer(null)) {
                    for (Map.Entry<String, List<SubmissionRecord.Delivery>> e : held.entrySet()) {
                        String recipient = e.getKey();
                        List<String> recalled = new ArrayList<>();
                        for (SubmissionRecord.Delivery d : e.getValue()) {
                            recalled.add(d.packageId());
                            if (d.state() == DeliveryState.DELIVERED
                                    && taker.take(recipient, d.packageId()).isPresent()) {
                                removed[0]++;
                            }
                            step.change(new RegistryChange.PackageState(d.packageId(), DeliveryState.RECALLED));
                        }
                        String recallId = recallPackageId(recalled.get(0));
                        HubNotices.Sealed sealed = notices.seal(recall(recallId, recipient, w, recalled, now),
                                recipient, sealTo.get(recipient));
                        HubNotices.send(session, producer, recipient, recallId, w.submissionId(), now, List.of(),
                                DeliveryRecord.RECALL, sealed.body());
                        step.audit(audit.recallSentRecord(recipient, w.submissionId(), recallId, sealed.digest(),
                                recalled, w.reason().name()));
                        step.change(new RegistryChange.Delivered(RECALL_PARTNER, w.submissionId(), recipient, recallId,
                                now, List.of(), sealed.body().length, DeliveryRecord.RECALL));
                        RegistryChange.Deadline due = org.safeguarding.hub.urgency.Urgencies.recallDeadline(
                                partnership.current().partnership().urgency(), recallId, now, area);
                        if (due != null) {
                            step.change(due);
                        }
                    }
                    step.audit(audit.withdrawnRecord(w.partnerId(), w.submissionId(), receiptId, w.reason().name(),
                            envelopeDigest, held.size(), removed[0]));
                    step.change(new RegistryChange.Status(w.partnerId(), w.submissionId(), SubmissionStatus.WITHDRAWN));
                    step.change(new RegistryChange.Unlinked(w.partnerId(), w.submissionId()));
                    AuditOutbox.send(session, producer, step);
                }
                return null;
            });
        } catch (HubException e) {
            applied.cancel();
            // the broker refuses recall ids it already holds: an earlier attempt committed; its record follows shortly
            if (e.code() == ErrorCode.UNAVAILABLE && awaitWithdrawn(w)) {
                return new Answer(200, w.submissionId(), receiptId, w.withdrawnAt(), -1);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            applied.cancel();
            throw e;
        }
        // durable on the broker now; the partner's status shows it once the feed applied it (bounded wait)
        applied.await(AuditFeed.ANSWER_WAIT);
        LOG.info("withdrew submission {} from {}: {} recalls, {} pending packages removed", w.submissionId(),
                w.partnerId(), held.size(), removed[0]);
        return new Answer(202, w.submissionId(), receiptId, w.withdrawnAt(), held.size());
    }

    private boolean awaitWithdrawn(Withdrawal w) {
        return AuditFeed.awaitSeen(() -> registry.find(w.partnerId(), w.submissionId())
                .filter(r -> r.status() == SubmissionStatus.WITHDRAWN).isPresent());
    }

    /** The recall package JSON: ids, the reason code and what to do. */
    private static ObjectNode recall(String recallId, String recipient, Withdrawal w, List<String> recalled,
                                     Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", DeliveryRecord.RECALL);
        n.put("packageId", recallId);
        n.put("recipient", recipient);
        n.put("submissionId", w.submissionId());
        recalled.forEach(n.putArray("recalls")::add);
        n.put("reason", w.reason().name());
        n.put("withdrawnAt", w.withdrawnAt().toString());
        n.put("recalledAt", at.toString());
        n.put("action", "The submitting partner withdrew this intelligence. Destroy the packages named in recalls and"
                + " every copy or record made from them, then acknowledge this recall.");
        return n;
    }

    /** Stable for a submission's receipt, so that every attempt at its withdrawal answers the same receipt. */
    static String withdrawalReceiptId(String submissionReceiptId) {
        return UUID.nameUUIDFromBytes(("withdrawal|" + submissionReceiptId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Stable for the first package recalled, so that a replayed withdrawal makes the same recall. */
    static String recallPackageId(String firstRecalledPackageId) {
        return UUID.nameUUIDFromBytes(("recall|" + firstRecalledPackageId).getBytes(StandardCharsets.UTF_8)).toString();
    }


}
