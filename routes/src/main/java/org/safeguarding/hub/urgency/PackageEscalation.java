package org.safeguarding.hub.urgency;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.MessageProducer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.notices.HubNotices;
import org.safeguarding.hub.notices.NonDeliveryReports;
import org.safeguarding.hub.partnership.Area;
import org.safeguarding.hub.partnership.Urgency;
import org.safeguarding.hub.partnership.UrgencyPolicy;
import org.safeguarding.hub.registry.DeliveryRecord;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionRegistry.Overdue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Escalates urgent packages nobody acknowledged by their deadline, as the partnership's {@link UrgencyPolicy} says:
 * {@link #runOnce()} finds every pending package past its deadline and sends the next contact the policy names (the
 * recipient's duty inbox, then the MASH of the area) an escalation notice: a package sealed to it and signed by the
 * hub with ids and codes only (whose package, which recipient, the urgency and the deadline missed; never the
 * content, which the hub does not keep and the contact may not be entitled to). In the same broker transaction go the
 * step's record: {@code PACKAGE_ESCALATED}, the package's escalation level and next deadline, and a non-delivery
 * report for the submitting partner. A package whose steps are used up is not escalated again. The package itself
 * stays in its recipient's inbox. Time comes from the clock given; the hub runs it as its
 * cluster-once {@code package-escalation} route.
 */
public final class PackageEscalation {
    private static final Logger LOG = LoggerFactory.getLogger(PackageEscalation.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The event of a non-delivery report for an escalated package. */
    public static final String ESCALATED = "ESCALATED";

    private final SubmissionRegistry registry;
    private final LivePartnership partnership;
    private final BrokerInbox inbox;
    private final HubNotices notices;
    private final AuditRecorder audit;
    private final AuditFeed feed;
    private final Clock clock;

    public PackageEscalation(SubmissionRegistry registry, LivePartnership partnership, BrokerInbox inbox,
                             HubNotices notices, AuditRecorder audit, AuditFeed feed, Clock clock) {
        this.registry = registry;
        this.partnership = partnership;
        this.inbox = inbox;
        this.notices = notices;
        this.audit = audit;
        this.feed = feed;
        this.clock = clock;
    }

    /** What one run did. */
    public record Run(int escalated, int exhausted, int failed) {
    }

    public Run runOnce() {
        return runOnce(clock.instant());
    }

    /** Escalates every package overdue at {@code now}; waits (bounded) for the feed to record what it committed. */
    public synchronized Run runOnce(Instant now) {
        int escalated = 0;
        int exhausted = 0;
        int failed = 0;
        UrgencyPolicy policy = partnership.current().partnership().urgency();
        for (Overdue o : registry.overdue(now, 500)) {
            try {
                if (escalate(o, policy, now)) {
                    escalated++;
                } else {
                    exhausted++;
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.warn("package {} for {} could not be escalated now ({}); the next run tries again", o.packageId(),
                        o.recipient(), e instanceof HubException h ? h.code() : e.getClass().getSimpleName());
            }
        }
        if (escalated + exhausted + failed > 0) {
            LOG.info("package escalation: {} escalated, {} with no step left, {} failed", escalated, exhausted, failed);
        }
        return new Run(escalated, exhausted, failed);
    }

    private boolean escalate(Overdue o, UrgencyPolicy policy, Instant now) {
        int level = o.escalations() + 1;
        Area area = o.area() == null ? null : Area.valueOf(o.area());
        Optional<String> target = policy.escalationTarget(level, o.recipient(), area);
        StepRecord step = new StepRecord();
        AuditFeed.Applied applied = feed.expect(step.id());
        try {
            if (target.isEmpty()) {
                // no one left to tell: the deadline is cleared, so that it is not looked at again
                step.change(new RegistryChange.Escalated(o.packageId(), o.escalations(), null));
                inbox.transacted((session, taker) -> {
                    AuditOutbox.send(session, step);
                    return null;
                });
                applied.await(AuditFeed.ANSWER_WAIT);
                return false;
            }
            String to = target.get();
            Urgency urgency = o.urgency() == null ? Urgency.IMMEDIATE : Urgency.valueOf(o.urgency());
            Instant next = policy.escalationTarget(level + 1, o.recipient(), area).isPresent()
                    ? policy.deadline(urgency, now).orElse(null) : null;
            String noticeId = noticeId(o.packageId(), level);
            HubNotices.Sealed sealed = notices.seal(notice(o, to, noticeId, level, now), to,
                    notices.sealableCertificates(to, now, "escalation notice"));
            inbox.transacted((session, taker) -> {
                try (MessageProducer producer = session.createProducer(null)) {
                    HubNotices.send(session, producer, to, noticeId, o.submissionId(), now, List.of(),
                            DeliveryRecord.ESCALATION, sealed.body());
                    step.audit(audit.escalatedRecord(to, o.submissionId(), o.packageId(), o.recipient(), level,
                            urgency.name(), noticeId, sealed.digest()));
                    step.change(new RegistryChange.Delivered(HubNotices.SENDER, o.submissionId(), to, noticeId, now,
                            List.of(), sealed.body().length, DeliveryRecord.ESCALATION));
                    step.change(new RegistryChange.Escalated(o.packageId(), level, next));
                    if (!HubNotices.SENDER.equals(o.partnerId())) {
                        step.change(new RegistryChange.NonDelivery(
                                NonDeliveryReports.reportId(o.packageId(), ESCALATED + "-" + level), o.partnerId(),
                                o.submissionId(), o.recipient(), o.packageId(), ESCALATED, now));
                    }
                    AuditOutbox.send(session, producer, step);
                }
                return null;
            });
            applied.await(AuditFeed.ANSWER_WAIT);
            LOG.info("escalated package {} for {} (level {}) to {}", o.packageId(), o.recipient(), level, to);
            return true;
        } catch (RuntimeException e) {
            applied.cancel();
            throw e;
        }
    }

    /** The notice: ids and codes, and what to do; nothing of the content. */
    private static ObjectNode notice(Overdue o, String to, String noticeId, int level, Instant now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", DeliveryRecord.ESCALATION);
        n.put("packageId", noticeId);
        n.put("recipient", to);
        n.put("submissionId", o.submissionId());
        n.put("escalatedPackageId", o.packageId());
        n.put("escalatedPackageKind", o.kind());
        n.put("unacknowledgedBy", o.recipient());
        n.put("urgency", o.urgency());
        n.put("deadline", o.deadline().toString());
        n.put("level", level);
        n.put("escalatedAt", now.toString());
        n.put("action", "An urgent package for " + o.recipient() + " has not been acknowledged by its deadline."
                + " Contact " + o.recipient() + " now so that it is read and acted on; this notice holds none of"
                + " its content.");
        return n;
    }

    /** Stable for the package and the level, so that a replayed step sends one notice. */
    static String noticeId(String packageId, int level) {
        return UUID.nameUUIDFromBytes(("escalation|" + packageId + "|" + level).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
