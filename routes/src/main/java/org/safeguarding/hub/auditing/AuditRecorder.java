package org.safeguarding.hub.auditing;

import java.util.ArrayList;
import java.util.List;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditRecord;
import org.safeguarding.hub.audit.AuditTrail;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.sharing.RecipientDecision;

/**
 * The hub's steps say what happened here, in their own terms; this turns each into an audit
 * record. Only identifiers, codes, paths and digests go in: never content. Keys make every
 * event of the routing flow idempotent, so a replayed submission adds no duplicate events.
 */
public final class AuditRecorder {
    public static final String HUB = "hub";
    private final AuditTrail trail;

    public AuditRecorder(AuditTrail trail) {
        this.trail = trail;
    }

    public AuditTrail trail() {
        return trail;
    }

    /** A sealed submission arrived; its outcome (accepted, repeated or rejected) follows with the same digest. */
    public AuditRecord receivedRecord(String channelParticipant, String envelopeDigest, long bytes) {
        return record(null, AuditEventType.SUBMISSION_RECEIVED, channelParticipant, HUB, null, null, null, null,
                null, null, List.of(), envelopeDigest, null, "bytes=" + bytes);
    }

    public AuditRecord rejectedRecord(String channelParticipant, String submissionId, ErrorCode code,
                                      String envelopeDigest) {
        return record(null, AuditEventType.SUBMISSION_REJECTED, channelParticipant, null, uuidOrNull(submissionId),
                null, null, null, null, code.name(), List.of(), envelopeDigest, null, null);
    }

    /** A refusal before anything was read (no arrival to pair it with), straight to the trail. */
    public void rejected(String channelParticipant, String submissionId, ErrorCode code, String envelopeDigest) {
        trail.append(rejectedRecord(channelParticipant, submissionId, code, envelopeDigest));
    }

    /** Keyed by the receipt: however often the step that accepted it is replayed, there is one. */
    public AuditRecord acceptedRecord(String partnerId, String submissionId, String receiptId, String envelopeDigest) {
        return record("accepted:" + receiptId, AuditEventType.SUBMISSION_ACCEPTED, partnerId, HUB,
                submissionId, null, null, null, null, null, List.of(), envelopeDigest, null, "receipt=" + receiptId);
    }

    public AuditRecord repeatedRecord(String partnerId, String submissionId, String envelopeDigest) {
        return record(null, AuditEventType.SUBMISSION_DUPLICATE, partnerId, HUB, submissionId, null,
                null, null, null, null, List.of(), envelopeDigest, null, "same-content-first-receipt-answered");
    }

    /** Appends records straight to the trail (durable when this returns), for what no broker step carries. */
    public void append(List<AuditRecord> records) {
        trail.appendAll(records);
    }

    /**
     * Every event of routing one submission, written together. Each DECISION carries, as codes in its
     * detail, the partner and the submission's categories and area (for the flow reports); the outcome
     * event carries the categories and area too. Codes only: never content.
     */
    public List<AuditRecord> routedRecords(String partnerId, String submissionId, String receiptId,
                                           String envelopeDigest, SubmissionFacts facts,
                                           List<RecipientDecision> decisions, List<DeliveredPackage> delivered) {
        String factTokens = facts.tokens();
        List<AuditRecord> records = new ArrayList<>();
        String k = receiptId + ":";
        records.add(record(k + "opened", AuditEventType.SUBMISSION_OPENED, HUB, partnerId, submissionId, null,
                null, null, null, null, List.of(), envelopeDigest, null, null));
        for (RecipientDecision d : decisions) {
            records.add(record(k + "decision:" + d.recipientId(), AuditEventType.DECISION, HUB, d.recipientId(),
                    submissionId, null, d.agreementId(), d.agreementVersion(), d.decision().name(),
                    d.reason() == null ? null : d.reason().name(), List.copyOf(d.withheld()), envelopeDigest, null,
                    join("partner=" + partnerId, factTokens)));
        }
        for (DeliveredPackage p : delivered) {
            records.add(record(k + "redacted:" + p.recipient(), AuditEventType.REDACTED, HUB, p.recipient(),
                    submissionId, p.packageId(), p.agreementId(), p.agreementVersion(), null, null,
                    p.withheld(), envelopeDigest, null, null));
            records.add(record(k + "delivered:" + p.recipient(), AuditEventType.PACKAGE_DELIVERED, HUB, p.recipient(),
                    submissionId, p.packageId(), p.agreementId(), p.agreementVersion(), null, null, List.of(),
                    envelopeDigest, p.packageDigest(), "queue=" + p.queue()
                            + (facts.urgency() == null ? "" : ";urgency=" + facts.urgency())));
        }
        boolean unrouted = delivered.isEmpty();
        records.add(record(k + "outcome", unrouted ? AuditEventType.SUBMISSION_UNROUTED : AuditEventType.SUBMISSION_ROUTED,
                HUB, partnerId, submissionId, null, null, null, unrouted ? "UNROUTED" : "ROUTED", null, List.of(),
                envelopeDigest, null, join("packages=" + delivered.size(), factTokens)));
        return records;
    }

    /**
     * An alert raised (revision 1) or grown, with the packages it sent: the alert and rule ids, the triggering
     * submission and each alert package's digest. Never a token or a value: the chained trail outlives the link store.
     */
    public List<AuditRecord> alertRecords(String alertId, String ruleId, int revision, String triggeringPartner,
                                          String triggeringSubmission, List<DeliveredPackage> alertPackages) {
        List<AuditRecord> records = new ArrayList<>();
        String k = "alert:" + alertId + ":" + revision + ":";
        records.add(record(k + "raised", AuditEventType.ALERT_RAISED, HUB, triggeringPartner, triggeringSubmission,
                null, null, null, revision == 1 ? "RAISED" : "UPDATED", null, List.of(), null, null,
                "alert=" + alertId + ";rule=" + ruleId + ";revision=" + revision + ";packages=" + alertPackages.size()));
        for (DeliveredPackage p : alertPackages) {
            records.add(record(k + "delivered:" + p.recipient(), AuditEventType.PACKAGE_DELIVERED, HUB, p.recipient(),
                    null, p.packageId(), null, null, null, null, List.of(), null, p.packageDigest(),
                    "kind=alert;alert=" + alertId + ";queue=" + p.queue()));
        }
        return records;
    }

    /** A subject trace asked by an IG lead: who, the case reference and reason as given (tokenised), what it found. */
    public void subjectTraced(String caller, String caseReference, String reasonCode, int submissions) {
        trail.append(record(null, AuditEventType.SUBJECT_TRACED, caller, caller, null, null, null, null, null,
                reasonCode, List.of(), null, null, "case=" + caseReference + ";submissions=" + submissions));
    }

    /** Keyed by the queued message, so that a replayed quarantine adds nothing. */
    public AuditRecord quarantinedRecord(String partnerId, String submissionId, String key, String reasonCode,
                                         String envelopeDigest) {
        return record(key + ":quarantined", AuditEventType.SUBMISSION_QUARANTINED, HUB, partnerId, submissionId, null,
                null, null, null, reasonCode, List.of(), envelopeDigest, null, null);
    }

    /** A message the broker gave up on after its last delivery attempt, moved to quarantine. */
    public AuditRecord deadLetteredRecord(String partnerId, String submissionId, String packageId, String key,
                                          String reasonCode, String envelopeDigest) {
        return record(key + ":dead-letter", AuditEventType.SUBMISSION_QUARANTINED, HUB,
                partnerId, submissionId, packageId, null, null, null, reasonCode, List.of(), envelopeDigest, null,
                packageId == null ? "submission" : "package");
    }

    /** A package of {@code recipient} fetched by {@code actor}: its system, or a person acting for it. */
    public void fetched(String actor, String recipient, String submissionId, String packageId) {
        trail.append(record(null, AuditEventType.PACKAGE_FETCHED, actor, recipient, submissionId, packageId,
                null, null, null, null, List.of(), null, null, null));
    }

    public AuditRecord acknowledgedRecord(String recipient, String submissionId, String packageId, String how) {
        return record("ack:" + packageId, AuditEventType.PACKAGE_ACKNOWLEDGED, recipient, recipient,
                submissionId, packageId, null, null, null, null, List.of(), null, null, how);
    }

    /**
     * A package its recipient did not acknowledge within {@code limit} left the inbox unread. The detail names the
     * submitting partner and the limit; keyed by the package, so that a replayed or retried expiry adds nothing.
     */
    public AuditRecord expiredRecord(String recipient, String submissionId, String packageId, String partnerId,
                                     java.time.Duration limit) {
        return record("expired:" + packageId, AuditEventType.PACKAGE_EXPIRED, HUB, recipient, submissionId,
                packageId, null, null, null, null, List.of(), null, null,
                "partner=" + partnerId + ";limit=" + limit);
    }

    /**
     * A partner withdrew its submission: the reason code, the withdrawal's receipt and how many recalls went out.
     * Keyed by that receipt, so that a replayed withdrawal adds nothing.
     */
    public AuditRecord withdrawnRecord(String partnerId, String submissionId, String withdrawalReceiptId,
                                       String reason, String envelopeDigest, int recalls, int removedPending) {
        return record("withdrawn:" + withdrawalReceiptId, AuditEventType.SUBMISSION_WITHDRAWN, partnerId, HUB,
                submissionId, null, null, null, "WITHDRAWN", reason, List.of(), envelopeDigest, null,
                "receipt=" + withdrawalReceiptId + ";recalls=" + recalls + ";pending-removed=" + removedPending);
    }

    /** A recall package sent to {@code recipient}, naming the package ids it recalls (ids only). */
    public AuditRecord recallSentRecord(String recipient, String submissionId, String recallPackageId,
                                        String packageDigest, List<String> recalled, String reason) {
        return record("recall:" + recallPackageId, AuditEventType.RECALL_SENT, HUB, recipient, submissionId,
                recallPackageId, null, null, "RECALLED", reason, List.of(), null, packageDigest,
                "recalls=" + String.join("+", recalled));
    }

    /**
     * A correction applied: the revision, the reason code, the correction's receipt and how many recipients got an
     * update, a recall, a first package, or nothing (their visible groups unchanged). Codes and counts only.
     */
    public AuditRecord correctedRecord(String partnerId, String submissionId, String correctionReceiptId, int revision,
                                       String reason, String envelopeDigest, int updates, int recalls, int added,
                                       int unchanged, int removedPending) {
        return record("corrected:" + correctionReceiptId, AuditEventType.SUBMISSION_CORRECTED, partnerId, HUB,
                submissionId, null, null, null, "CORRECTED", reason, List.of(), envelopeDigest, null,
                "receipt=" + correctionReceiptId + ";revision=" + revision + ";updates=" + updates + ";recalls="
                        + recalls + ";new=" + added + ";unchanged=" + unchanged + ";pending-removed=" + removedPending);
    }

    /**
     * An update sent: what was withheld from it, under which agreement, the package's digest, the names of the groups
     * that changed for this recipient and the packages it replaces.
     */
    public List<AuditRecord> updateSentRecords(String correctionReceiptId, String submissionId, DeliveredPackage p,
                                               String envelopeDigest, List<String> changedGroups,
                                               List<String> supersedes) {
        String k = correctionReceiptId + ":";
        return List.of(
                record(k + "redacted:" + p.recipient(), AuditEventType.REDACTED, HUB, p.recipient(), submissionId,
                        p.packageId(), p.agreementId(), p.agreementVersion(), null, null, p.withheld(), envelopeDigest,
                        null, null),
                record(k + "update:" + p.recipient(), AuditEventType.UPDATE_SENT, HUB, p.recipient(), submissionId,
                        p.packageId(), p.agreementId(), p.agreementVersion(), "UPDATED", null, List.of(),
                        envelopeDigest, p.packageDigest(), "changed=" + String.join("+", changedGroups)
                                + ";supersedes=" + String.join("+", supersedes)));
    }

    /** A correction brought a recipient into the submission's scope: its first package, as routing records one. */
    public List<AuditRecord> correctionDeliveredRecords(String correctionReceiptId, String submissionId,
                                                        DeliveredPackage p, String envelopeDigest, int revision) {
        String k = correctionReceiptId + ":";
        return List.of(
                record(k + "redacted:" + p.recipient(), AuditEventType.REDACTED, HUB, p.recipient(), submissionId,
                        p.packageId(), p.agreementId(), p.agreementVersion(), null, null, p.withheld(), envelopeDigest,
                        null, null),
                record(k + "delivered:" + p.recipient(), AuditEventType.PACKAGE_DELIVERED, HUB, p.recipient(),
                        submissionId, p.packageId(), p.agreementId(), p.agreementVersion(), null, null, List.of(),
                        envelopeDigest, p.packageDigest(), "queue=" + p.queue() + ";revision=" + revision));
    }

    /** An urgent package escalated to {@code target}: the package, its recipient, the level and the notice sent. */
    public AuditRecord escalatedRecord(String target, String submissionId, String packageId, String recipient,
                                       int level, String urgency, String noticeId, String noticeDigest) {
        return record("escalated:" + packageId + ":" + level, AuditEventType.PACKAGE_ESCALATED, HUB, target,
                submissionId, packageId, null, null, "ESCALATED", urgency, List.of(), null, noticeDigest,
                "recipient=" + recipient + ";level=" + level + ";notice=" + noticeId);
    }

    /** A correction refused with {@code code}: straight to the trail, durable before the partner is answered. */
    public void correctionRejected(String caller, String owner, String submissionId, ErrorCode code,
                                   String envelopeDigest, String why) {
        trail.append(record(null, AuditEventType.CORRECTION_REJECTED, caller, owner, uuidOrNull(submissionId), null,
                null, null, "REFUSED", code.name(), List.of(), envelopeDigest, null, why));
    }

    /** A withdrawal refused with {@code code}: straight to the trail, durable before the partner is answered. */
    public void withdrawalRejected(String caller, String owner, String submissionId, ErrorCode code,
                                   String envelopeDigest, String why) {
        trail.append(record(null, AuditEventType.WITHDRAWAL_REJECTED, caller, owner, uuidOrNull(submissionId), null,
                null, null, "REFUSED", code.name(), List.of(), envelopeDigest, null, why));
    }

    public void accessDenied(String caller, String owner, String packageId) {
        trail.append(record(null, AuditEventType.PACKAGE_ACCESS_DENIED, caller, owner, null, packageId, null, null,
                "DENIED", ErrorCode.NOT_FOUND.name(), List.of(), null, null, "not-own-package"));
    }

    /** A partner asked for the status of a submission that another partner sent (answered 404, as an unknown one). */
    public void statusAccessDenied(String caller, String owner, String submissionId) {
        trail.append(record(null, AuditEventType.ACCESS_REFUSED, caller, owner, submissionId, null, null, null,
                "DENIED", ErrorCode.NOT_FOUND.name(), List.of(), null, null, "not-own-submission"));
    }

    public void refused(String caller, String operation) {
        trail.append(record(null, AuditEventType.ACCESS_REFUSED, caller, null, null, null, null, null, "DENIED",
                ErrorCode.FORBIDDEN.name(), List.of(), null, null, operation));
    }

    public void queried(String caller, String what) {
        trail.append(record(null, AuditEventType.AUDIT_QUERIED, caller, null, null, null, null, null, null, null,
                List.of(), null, null, what));
    }

    /** A recipient's webhook registered ({@code host} its URL's host), replaced or removed ({@code host} null). */
    public void webhookChanged(String recipient, String host) {
        trail.append(record(null, AuditEventType.WEBHOOK_CHANGED, recipient, recipient, null, null, null, null,
                host == null ? "REMOVED" : "REGISTERED", null, List.of(), null, null,
                host == null ? null : "host=" + host));
    }

    /** An urgent-package notice posted ({@code outcome} NOTIFIED) or given up (GAVE_UP) after {@code attempts}. */
    public void webhookNotified(String recipient, String submissionId, String packageId, String outcome, int attempts,
                                String noticeDigest) {
        trail.append(record("webhook:" + packageId + ":" + outcome, AuditEventType.WEBHOOK_NOTIFIED, HUB, recipient,
                uuidOrNull(submissionId), packageId, null, null, outcome, null, List.of(), null, noticeDigest,
                "attempts=" + attempts));
    }

    public void lifecycle(AuditEventType type, String detail) {
        trail.append(record(null, type, HUB, null, null, null, null, null, null, null, List.of(), null, null, detail));
    }

    private static AuditRecord record(String key, AuditEventType type, String actor, String participant,
                                      String submissionId, String packageId, String agreementId,
                                      Integer agreementVersion, String decision, String reasonCode,
                                      List<String> withheld, String receivedDigest, String packageDigest,
                                      String detail) {
        // every record is keyed, so that whatever carries it (a replayed broker step, a retried append) adds it once
        String k = key != null ? key : type.name().toLowerCase(java.util.Locale.ROOT) + ":" + java.util.UUID.randomUUID();
        return new AuditRecord(k, type, actor, participant, submissionId, packageId, agreementId, agreementVersion,
                decision, reasonCode, withheld, receivedDigest, packageDigest, token(detail));
    }

    private static final java.util.regex.Pattern UUID_SHAPE =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** A submission id from an unvalidated submission is recorded only if it has the shape of one. */
    static String uuidOrNull(String id) {
        return id != null && UUID_SHAPE.matcher(id).matches() ? id : null;
    }

    /** Details are short machine-safe tokens ({@code key=value;key=value}): anything else is folded into dashes. */
    static String token(String detail) {
        if (detail == null) {
            return null;
        }
        String t = detail.replaceAll("[^A-Za-z0-9._:=/+,;-]+", "-");
        return t.length() > MAX_DETAIL ? t.substring(0, MAX_DETAIL) : t;
    }

    private static final int MAX_DETAIL = 200;

    private static String join(String first, String more) {
        return more.isEmpty() ? first : first + ";" + more;
    }

    /**
     * What the flow reports need to know of a submission beyond ids: its category codes and area code.
     * Anything that is not a plain upper-case code is left out, so no content can travel this way.
     */
    public record SubmissionFacts(List<String> categories, String area, String urgency) {
        public static final SubmissionFacts UNKNOWN = new SubmissionFacts(List.of(), null);

        public SubmissionFacts(List<String> categories, String area) {
            this(categories, area, null);
        }
        private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

        public SubmissionFacts {
            categories = categories == null ? List.of()
                    : categories.stream().filter(c -> c != null && CODE.matcher(c).matches()).distinct().sorted()
                            .toList();
            area = area != null && CODE.matcher(area).matches() ? area : null;
            urgency = urgency != null && CODE.matcher(urgency).matches() ? urgency : null;
        }

        /** {@code categories=CCE+CSE;area=BPL}, or the part that is known, or empty. */
        String tokens() {
            List<String> parts = new ArrayList<>();
            if (!categories.isEmpty()) {
                parts.add("categories=" + String.join("+", categories));
            }
            if (area != null) {
                parts.add("area=" + area);
            }
            return String.join(";", parts);
        }
    }

    /** What the recorder needs to know of one delivered package. */
    public record DeliveredPackage(String recipient, String packageId, String agreementId, Integer agreementVersion,
                                   List<String> withheld, String packageDigest, String queue) {
    }
}
