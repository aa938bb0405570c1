package org.safeguarding.hub.registry;

import java.time.Instant;
import java.util.List;

/**
 * One change to the submission registry, made by a step of the flow and committed with that step's broker transaction;
 * {@link RegistryProjection} applies it afterwards. Every change can be applied again without effect, so a replayed
 * step changes nothing twice. Identifiers, codes and digests only.
 */
public sealed interface RegistryChange {
    /** The submission is durably queued with this receipt: the first receipt, answered again to every repeat. */
    record Accepted(Receipt receipt) implements RegistryChange {
    }

    /** The submission's routing ended (ROUTED, UNROUTED or FAILED); an earlier status never overwrites a later one. */
    record Status(String partnerId, String submissionId, SubmissionStatus status) implements RegistryChange {
    }

    /**
     * One recipient's package is on its inbox queue; {@code area} is its submission's area (where a recall of it
     * escalates), null when unknown.
     */
    record Delivered(String partnerId, String submissionId, String recipient, String packageId, Instant routedAt,
                     List<String> categories, long size, String kind, String area) implements RegistryChange {
        public Delivered {
            categories = List.copyOf(categories);
            kind = kind == null ? DeliveryRecord.PACKAGE : kind;
        }

        public Delivered(String partnerId, String submissionId, String recipient, String packageId, Instant routedAt,
                         List<String> categories, long size, String kind) {
            this(partnerId, submissionId, recipient, packageId, routedAt, categories, size, kind, null);
        }

        public Delivered(String partnerId, String submissionId, String recipient, String packageId, Instant routedAt,
                         List<String> categories, long size) {
            this(partnerId, submissionId, recipient, packageId, routedAt, categories, size, DeliveryRecord.PACKAGE);
        }
    }

    /**
     * The link tokens a routed submission gave, with the facts an alert rule or a subject trace turns on: who sent it,
     * its sector, area, categories and handling code, when the hub received it, and which recipients were SHARED it.
     * Never a value: a token is a keyed HMAC of one.
     */
    record Linked(String partnerId, String submissionId, String receiptId, String sector, String area,
                  List<String> categories, String handlingCode, Instant receivedAt, List<String> sharedWith,
                  List<Token> tokens) implements RegistryChange {
        public Linked {
            categories = List.copyOf(categories);
            sharedWith = List.copyOf(sharedWith);
            tokens = List.copyOf(tokens);
        }
    }

    /**
     * A submission's links withdrawn (its partner withdrew it, or a correction replaces them): its tokens and its
     * membership of alerts go; an alert left without members goes too. Applying it twice changes nothing.
     */
    record Unlinked(String partnerId, String submissionId) implements RegistryChange {
    }

    /**
     * A submission's link tokens replaced by a correction: its tokens and link facts go (a {@link Linked} of the
     * corrected content follows in the same step), its alert memberships stay.
     */
    record Retokened(String partnerId, String submissionId) implements RegistryChange {
    }

    /**
     * The content-free facts a routed submission's decisions turned on ({@code facts}: JSON, see
     * {@code whatif.DecisionFacts}), kept for the IG lead's what-if under the links' retention. Applied once.
     */
    record Facts(String partnerId, String submissionId, Instant receivedAt, String facts) implements RegistryChange {
    }

    /** One link token of a submission: its kind, the id of the linking key that made it, the token. */
    record Token(String kind, String keyId, String token) {
    }

    /**
     * An alert raised, or its link set grown ({@code revision} rises): the rule, the tokens it links by and every
     * submission it links now. A revision applies once; an older one never replaces a newer.
     */
    record Alert(String alertId, String ruleId, int revision, String kind, Instant raisedAt, List<String> tokens,
                 List<Member> members) implements RegistryChange {
        public Alert {
            tokens = List.copyOf(tokens);
            members = List.copyOf(members);
        }
    }

    /** A submission an alert links. */
    record Member(String partnerId, String submissionId) {
    }

    /**
     * A correction applied: the submission's revision rises to {@code revision} (never falls), with the digest of the
     * corrected content, so that the same correction sent again is told from a different one of the same revision.
     */
    record Revised(String partnerId, String submissionId, int revision, String contentDigest)
            implements RegistryChange {
    }

    /**
     * What one package showed its recipient, as keyed digests of each group it held visible (group name to digest),
     * at the submission's revision; compared when a correction decides whether that recipient needs an update.
     */
    record Shown(String partnerId, String submissionId, String recipient, String packageId, int revision,
                 java.util.Map<String, String> groups) implements RegistryChange {
        public Shown {
            groups = java.util.Map.copyOf(groups);
        }
    }

    /**
     * A non-delivery report for the submitting partner: its package to {@code recipient} expired (or was escalated) at
     * {@code occurredAt}. Ids and a code only; recorded once per report id.
     */
    record NonDelivery(String reportId, String partnerId, String submissionId, String recipient, String packageId,
                       String event, Instant occurredAt) implements RegistryChange {
    }

    /**
     * A package's urgency and the instant by which its recipient must acknowledge it; {@code area} is the submission's
     * area (the MASH an escalation may reach), null when unknown. Set once, before any escalation.
     */
    record Deadline(String packageId, String urgency, Instant deadline, String area) implements RegistryChange {
    }

    /**
     * A package escalated for the {@code level}-th time (it only rises), and the next deadline (null: no step is
     * left, it is not escalated again).
     */
    record Escalated(String packageId, int level, Instant nextDeadline) implements RegistryChange {
    }

    /** A package left its inbox: acknowledged or expired. */
    record PackageState(String packageId, DeliveryState state) implements RegistryChange {
    }
}
