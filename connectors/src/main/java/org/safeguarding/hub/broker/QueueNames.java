package org.safeguarding.hub.broker;

/** The broker addresses and message properties the hub and its recipients rely on. */
public final class QueueNames {
    /** Accepted submissions, still sealed, waiting to be routed. */
    public static final String INTAKE = "hub.intake";
    /**
     * What each step of the flow records (audit events and registry changes), sent in the step's own broker
     * transaction and applied to the audit store and the registry by one feed; never dead-lettered.
     */
    public static final String AUDIT = "hub.audit";
    /** Submissions that cannot be routed for a lasting reason, still sealed. */
    public static final String QUARANTINE = "hub.quarantine";
    /** Messages that failed every delivery attempt. */
    public static final String DEAD_LETTER = "hub.dlq";
    /** Messages whose broker expiry passed. */
    public static final String EXPIRY = "hub.expired";
    /** Urgent-package notices waiting to be posted to their recipients' webhooks (ids only). */
    public static final String WEBHOOK = "hub.webhook";
    /** Multicast: the step ids a node's audit feed applied, for the other nodes' waiting answers (never persisted). */
    public static final String APPLIED = "hub.applied";

    /**
     * On an external broker pair: a recipient's own AMQP/CORE consume of a package, as a content-free notice (the
     * {@link #RECIPIENT}, {@link #PACKAGE_ID}, {@link #SUBMISSION_ID}, {@link #PROTOCOL} and {@link #ACKED_AT}
     * properties, no body) routed by {@link AckNoticePlugin} in the consume's own transaction; a hub node's
     * {@link AckNoticeFeed} turns each into the acknowledgement's step record.
     */
    public static final String ACKS = "hub.acks";
    /**
     * On an external broker pair: the partnership's participant ids as the hub last published them, one durable
     * last-value message ({@link #PARTICIPANT_IDS}, comma-separated), read by the brokers' security manager and sweep.
     */
    public static final String PARTICIPANTS = "hub.participants";

    public static final String INBOX_PREFIX = "intel.";

    /** Message properties. */
    public static final String PACKAGE_ID = "packageId";
    public static final String SUBMISSION_ID = "submissionId";
    public static final String PARTNER_ID = "partnerId";
    public static final String RECEIPT_ID = "receiptId";
    public static final String RECEIVED_AT = "receivedAt";
    public static final String ROUTED_AT = "routedAt";
    public static final String CATEGORIES = "categories";
    /**
     * What an inbox message is, as the HTTPS inbox lists it: {@code package}, {@code alert}, {@code recall},
     * {@code update} or {@code escalation} (absent on messages of an older hub: {@code package}).
     */
    public static final String KIND = "kind";
    public static final String RECIPIENT = "recipient";
    public static final String CONTENT_DIGEST = "contentDigest";
    /** SHA-256 of the sealed bytes as received, as intake recorded it. */
    public static final String ENVELOPE_DIGEST = "envelopeDigest";
    /**
     * On an intake message: the verified content sealed by intake for routing under a key that only the running hub
     * holds in memory, and that key's id (a replay after a restart meets another key and opens the envelope).
     */
    public static final String HAND_OFF = "hubHandOff";
    public static final String HAND_OFF_KEY = "hubHandOffKey";
    public static final String QUARANTINE_REASON = "quarantineReason";
    /** How a recipient took a package: {@code amqp} or {@code core}. */
    public static final String PROTOCOL = "protocol";
    /** When the broker took an acknowledgement, epoch milliseconds. */
    public static final String ACKED_AT = "ackedAt";
    /** The participant ids on {@link #PARTICIPANTS}, comma-separated. */
    public static final String PARTICIPANT_IDS = "participantIds";
    /** Artemis's last-value key property, and the key of the one participants message. */
    public static final String LAST_VALUE_KEY = "_AMQ_LVQ_NAME";
    public static final String PARTICIPANTS_KEY = "participants";
    /** The id of the step record an audit-queue message carries. */
    public static final String STEP_ID = "stepId";
    /** Artemis's duplicate-detection property. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private QueueNames() {
    }

    public static String inbox(String recipientId) {
        return INBOX_PREFIX + recipientId;
    }

    /** The duplicate-detection key of one recipient's package for one submission. */
    public static String packageDuplicateId(String partnerId, String submissionId, String recipientId) {
        return "pkg|" + partnerId + "|" + submissionId + "|" + recipientId;
    }

    /** The duplicate-detection key of an accepted submission on the intake queue. */
    public static String intakeDuplicateId(String partnerId, String submissionId) {
        return "sub|" + partnerId + "|" + submissionId;
    }
}
