package org.safeguarding.hub.registry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One package the hub delivered to a recipient's inbox, as the registry indexes it: identifiers, when it was routed,
 * the submission's category codes, the size in bytes of the sealed package, its kind ({@code package}; later
 * {@code alert}, {@code recall}, {@code update}), and, as the inbox lists it, the submission's area and the package's
 * urgency class when it has one (null otherwise). No content.
 */
public record DeliveryRecord(String partnerId, String submissionId, String recipient, String packageId,
                             Instant routedAt, List<String> categories, long size, String kind, String area,
                             String urgency) {
    /** As the registry records a delivery: its area and urgency are added when the inbox lists it. */
    public DeliveryRecord(String partnerId, String submissionId, String recipient, String packageId, Instant routedAt,
                          List<String> categories, long size, String kind) {
        this(partnerId, submissionId, recipient, packageId, routedAt, categories, size, kind, null, null);
    }

    /** The kind of an ordinary package. */
    public static final String PACKAGE = "package";
    /** The kind of a contextual alert. */
    public static final String ALERT = "alert";
    /** The kind of a recall: the partner withdrew the submission; destroy its package, and acknowledge. */
    public static final String RECALL = "recall";
    /** The kind of an update: the partner corrected the submission; this package replaces the ones it names. */
    public static final String UPDATE = "update";
    /** The kind of an escalation notice: another recipient's urgent package is unacknowledged past its deadline. */
    public static final String ESCALATION = "escalation";

    public DeliveryRecord {
        Objects.requireNonNull(partnerId, "partnerId");
        Objects.requireNonNull(submissionId, "submissionId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(packageId, "packageId");
        Objects.requireNonNull(routedAt, "routedAt");
        categories = categories == null ? List.of() : List.copyOf(categories);
        for (String c : categories) {
            if (c.isEmpty() || c.indexOf(',') >= 0) {
                throw new IllegalArgumentException("a category code is not empty and has no comma");
            }
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        kind = kind == null || kind.isBlank() ? PACKAGE : kind;
    }
}
