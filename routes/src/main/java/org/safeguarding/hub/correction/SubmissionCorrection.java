package org.safeguarding.hub.correction;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.safeguarding.hub.alerts.SubmissionLinks;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.intake.ContentBuffer;
import org.safeguarding.hub.intake.OwnSubmissionStep;
import org.safeguarding.hub.intake.SubmissionOpener;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.notices.HubNotices;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.registry.DeliveryRecord;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.routing.OutgoingPackage;
import org.safeguarding.hub.routing.SealedPackage;
import org.safeguarding.hub.routing.SubmissionRouter;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.sharing.RecipientPackage;
import org.safeguarding.hub.sharing.SharingPlan;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partner corrects one of its own routed submissions with the whole new content and a rising revision. The hub keeps
 * no content, so it decides the corrected submission afresh under the agreements in force at the correction's receipt,
 * and for each recipient compares keyed digests of the groups it was last shown ({@link GroupDigests}, recorded with
 * every package) with what it would be shown now:
 * <ul>
 *   <li>it holds a package and still qualifies, and a visible group changed: an <b>update</b>, the whole new package
 *   for it with {@code kind: update}, the names of the changed groups and the packages it replaces;</li>
 *   <li>it holds a package and still qualifies, and nothing it can see changed: nothing at all, so that a change to
 *   what was withheld from it cannot show;</li>
 *   <li>it holds a package and no longer qualifies: a <b>recall</b> (destroy it);</li>
 *   <li>it holds none and qualifies now: the package, as routing would send it.</li>
 * </ul>
 * Pending originals replaced or recalled leave the inbox. All of it, the record ({@code SUBMISSION_CORRECTED},
 * {@code UPDATE_SENT}, {@code RECALL_SENT}, the packages UPDATED or RECALLED, the new revision, the submission's links
 * replaced) and the answer follow one broker transaction, as a withdrawal's do. A repeat of the applied revision with
 * the same content (whenever it was sent) gets the same receipt (200); an older or equal revision with other content is
 * a 409.
 */
public final class SubmissionCorrection {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionCorrection.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SubmissionOpener opener;
    private final LivePartnership partnership;
    private final SubmissionRegistry registry;
    private final BrokerInbox inbox;
    private final SubmissionRouter router;
    private final HubNotices notices;
    private final GroupDigests views;
    private final SubmissionLinks links;
    private final AuditRecorder audit;
    private final AuditFeed feed;
    private final Clock clock;
    private final long maxBytes;
    private final OwnSubmissionStep steps;

    /**
     * @param router seals each package as routing does (the same builder, signer and encryption)
     * @param links  replaces the submission's link tokens (null: no linking)
     */
    public SubmissionCorrection(SubmissionOpener opener, LivePartnership partnership, SubmissionRegistry registry,
                                BrokerInbox inbox, SubmissionRouter router, HubNotices notices, GroupDigests views,
                                SubmissionLinks links, AuditRecorder audit, AuditFeed feed, Clock clock,
                                long maxBytes) {
        this.opener = opener;
        this.partnership = partnership;
        this.registry = registry;
        this.inbox = inbox;
        this.router = router;
        this.notices = notices;
        this.views = views;
        this.links = links;
        this.audit = audit;
        this.feed = feed;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.steps = new OwnSubmissionStep(registry, "correct",
                "Another correction of this submission is being taken in now; send this one again shortly.",
                audit::correctionRejected);
    }

    /** The answer: 202 for a correction applied now, 200 for the applied one sent again, with the same receipt. */
    public record Answer(int httpStatus, String submissionId, String receiptId, int revision, Counts counts) {
        public byte[] json() {
            ObjectNode r = JSON.createObjectNode();
            r.put("submissionId", submissionId);
            r.put("receiptId", receiptId);
            r.put("revision", revision);
            if (counts != null) {
                r.put("updates", counts.updates());
                r.put("recalls", counts.recalls());
                r.put("newRecipients", counts.added());
                r.put("unchanged", counts.unchanged());
            }
            return r.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** What a correction sent: how many updates, recalls and first packages, and how many holders got nothing. */
    public record Counts(int updates, int recalls, int added, int unchanged) {
    }

    /**
     * The opened correction: the corrected submission, its revision and reason, the partner, and the digest that tells
     * a repeat of it ({@link Correction#contentDigest}).
     */
    record Opened(Correction correction, ValidSubmission submission, Participant partner, String contentDigest) {
    }

    /**
     * Corrects {@code pathSubmissionId} as {@code channelParticipant} asks in {@code body}; a {@link HubException}
     * (audited as {@code CORRECTION_REJECTED}) for anything refused.
     */
    public Answer correct(String channelParticipant, String pathSubmissionId, SealedBody body) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String envelopeDigest = SubmissionOpener.envelopeDigest(body);
        return steps.run(channelParticipant, pathSubmissionId, envelopeDigest, attempt -> {
            Opened o = open(body, channelParticipant, pathSubmissionId, receivedAt);
            String sid = o.submission().submissionId();
            attempt.opened(sid);
            SubmissionRecord record = attempt.ownRecord(sid);
            if (record.status() == SubmissionStatus.WITHDRAWN || record.status() == SubmissionStatus.FAILED) {
                throw new HubException(ErrorCode.NOT_CORRECTABLE, "The submission is " + record.status()
                        + "; it cannot be corrected.");
            }
            if (record.status() == SubmissionStatus.ACCEPTED) {
                throw new HubException(ErrorCode.UNAVAILABLE, "The submission is still being routed; send the"
                        + " correction again after the Retry-After interval.");
            }
            int revision = o.correction().revision();
            String receiptId = correctionReceiptId(record.receipt().receiptId(), revision);
            SubmissionRegistry.AppliedRevision applied = registry.revision(channelParticipant, sid);
            if (revision == applied.revision() && o.contentDigest().equals(applied.contentDigest())) {
                return new Answer(200, sid, receiptId, revision, null);
            }
            if (revision <= applied.revision()) {
                throw new HubException(ErrorCode.REVISION_CONFLICT, "Revision " + revision + " is not newer than"
                        + " revision " + applied.revision() + ", the last correction applied.",
                        List.of(new FieldError("revision", "must be higher than " + applied.revision())));
            }
            return attempt.alone(sid, () -> carryOut(o, record, receiptId, receivedAt, envelopeDigest, body.size()));
        });
    }

    /** Envelope, signature, signer trust at receipt, identity, role, the correction's fields, the submission's rules. */
    Opened open(SealedBody body, String channelParticipant, String pathSubmissionId, Instant receivedAt) {
        SubmissionOpener.FromPartner from = opener.openFromPartner(body, channelParticipant, receivedAt, maxBytes,
                true, "corrections");
        SubmissionOpener.Signed signed = from.signed();
        Participant partner = from.partner();
        var version = partnership.current();
        ContentBuffer content = signed.content();
        Correction c = Correction.parse(content.array(), content.length());
        ValidSubmission s = version.validator().validate(c.submissionJson(), partner);
        if (!s.partnerId().equals(signed.signer())) {
            throw new HubException(ErrorCode.IDENTITY_MISMATCH,
                    "partnerId does not name the participant that signed and sent the correction.");
        }
        // over SFTP there is no URL: the body names the submission
        if (pathSubmissionId != null && !s.submissionId().equalsIgnoreCase(pathSubmissionId)) {
            throw new HubException(ErrorCode.INVALID_SUBMISSION, "The correction names another submissionId than"
                    + " its URL; send it to /api/v1/submissions/{its submissionId}/correction.",
                    List.of(new FieldError("submissionId", "must be the URL's id")));
        }
        SubmissionValidator.checkTimeWindow(s, receivedAt);
        return new Opened(c, s, partner, c.contentDigest());
    }

    private enum Kind { UPDATE, RECALL, ADDED }

    /** One recipient's part in the correction, decided before anything is taken or sent. */
    private record Action(Kind kind, String recipient, String packageId, List<SubmissionRecord.Delivery> held,
                          RecipientPackage content, RecipientDecision decision, Map<String, String> shown,
                          List<String> changed, List<X509Certificate> certificates) {
    }

    private Answer carryOut(Opened o, SubmissionRecord record, String receiptId, Instant receivedAt,
                            String envelopeDigest, long sealedSize) {
        ValidSubmission s = o.submission();
        String partnerId = o.partner().id();
        int revision = o.correction().revision();
        Instant now = clock.instant();
        SharingPlan plan = partnership.current().planner().plan(s, receivedAt);
        Map<String, List<SubmissionRecord.Delivery>> held = new LinkedHashMap<>();
        for (SubmissionRecord.Delivery d : record.deliveries()) {
            if (d.state() == DeliveryState.DELIVERED || d.state() == DeliveryState.ACKNOWLEDGED) {
                held.computeIfAbsent(d.recipient(), r -> new ArrayList<>()).add(d);
            }
        }
        Map<String, SubmissionRegistry.ShownView> before = registry.shownViews(partnerId, s.submissionId());
        // every decision and lasting failure before anything is taken or sent
        List<Action> actions = new ArrayList<>();
        int unchanged = 0;
        Set<String> recipients = new LinkedHashSet<>(held.keySet());
        plan.packages().forEach(p -> recipients.add(p.recipientId()));
        for (String r : recipients) {
            RecipientPackage p = plan.packageFor(r).orElse(null);
            List<SubmissionRecord.Delivery> holds = held.getOrDefault(r, List.of());
            if (p == null) {
                actions.add(new Action(Kind.RECALL, r, derivedId("recall", receiptId, r), holds, null,
                        plan.decisionFor(r).orElse(null), null, List.of(),
                        notices.sealableCertificates(r, now, "recall")));
                continue;
            }
            Map<String, String> shown = views.of(p.redactedSubmission());
            if (holds.isEmpty()) {
                actions.add(new Action(Kind.ADDED, r, SubmissionRouter.packageId(receiptId, r), holds, p,
                        p.decision(), shown, List.of(), notices.sealableCertificates(r, now, "package")));
                continue;
            }
            SubmissionRegistry.ShownView last = before.get(r);
            // a package recorded without digests (an older hub's) is taken as changed in every group it shows
            List<String> changed = GroupDigests.changed(last == null ? Map.of() : last.groups(), shown);
            if (changed.isEmpty()) {
                unchanged++;
                continue;
            }
            actions.add(new Action(Kind.UPDATE, r, derivedId("update", receiptId, r), holds, p, p.decision(), shown,
                    changed, notices.sealableCertificates(r, now, "update")));
        }
        List<String> categories = new ArrayList<>();
        s.json().path("categories").forEach(c -> categories.add(c.asText()));
        Set<String> shared = new LinkedHashSet<>();
        plan.packages().forEach(p -> shared.add(p.recipientId()));
        // the last decision, every lasting failure behind it: its links are in flight from here
        SubmissionLinks.Linking linking = links == null ? null : links.link(partnership.current().partnership(),
                o.partner(), s, record.receipt().receiptId(), record.receipt().receivedAt(), shared, now);
        InFlightLinksHolder inFlight = new InFlightLinksHolder(linking);
        StepRecord step = new StepRecord();
        AuditFeed.Applied applied = feed.expect(step.id());
        int[] removed = {0};
        Counts counts = new Counts((int) actions.stream().filter(a -> a.kind() == Kind.UPDATE).count(),
                (int) actions.stream().filter(a -> a.kind() == Kind.RECALL).count(),
                (int) actions.stream().filter(a -> a.kind() == Kind.ADDED).count(), unchanged);
        try {
            inbox.transacted((session, taker) -> {
                try (MessageProducer producer = session.createProducer(null)) {
                    for (Action a : actions) {
                        List<String> replaced = new ArrayList<>();
                        for (SubmissionRecord.Delivery d : a.held()) {
                            replaced.add(d.packageId());
                            if (d.state() == DeliveryState.DELIVERED && taker.take(a.recipient(), d.packageId()).isPresent()) {
                                removed[0]++;
                            }
                            step.change(new RegistryChange.PackageState(d.packageId(),
                                    a.kind() == Kind.RECALL ? DeliveryState.RECALLED : DeliveryState.UPDATED));
                        }
                        if (a.kind() == Kind.RECALL) {
                            HubNotices.Sealed sealed = notices.seal(recall(a, s.submissionId(), replaced, revision, now),
                                    a.recipient(), a.certificates());
                            HubNotices.send(session, producer, a.recipient(), a.packageId(), s.submissionId(), now,
                                    List.of(), DeliveryRecord.RECALL, sealed.body());
                            step.audit(audit.recallSentRecord(a.recipient(), s.submissionId(), a.packageId(),
                                    sealed.digest(), replaced, recallReason(a)));
                            step.change(new RegistryChange.Delivered(HubNotices.SENDER, s.submissionId(),
                                    a.recipient(), a.packageId(), now, List.of(), sealed.body().length,
                                    DeliveryRecord.RECALL));
                            RegistryChange.Deadline due = org.safeguarding.hub.urgency.Urgencies.recallDeadline(
                                    partnership.current().partnership().urgency(), a.packageId(), now,
                                    s.area().name());
                            if (due != null) {
                                step.change(due);
                            }
                            continue;
                        }
                        ObjectNode amendment = org.safeguarding.hub.urgency.Urgencies.of(
                                partnership.current().partnership().urgency(), s, now).addTo(JSON.createObjectNode());
                        String kind = a.kind() == Kind.UPDATE ? DeliveryRecord.UPDATE : DeliveryRecord.PACKAGE;
                        amendment.put("kind", kind);
                        amendment.put("revision", revision);
                        if (a.kind() == Kind.UPDATE) {
                            amendment.put("correctionReason", o.correction().reason().name());
                            a.changed().forEach(amendment.putArray("changedGroups")::add);
                            replaced.forEach(amendment.putArray("supersedes")::add);
                        }
                        OutgoingPackage out = new OutgoingPackage(a.recipient(), a.packageId(), s.submissionId(),
                                o.partner(), now.toString(), categories, a.content(), kind + "|" + a.packageId(),
                                a.certificates(), amendment);
                        try (SealedPackage sealed = router.seal(out, sealedSize)) {
                            HubNotices.send(session, producer, a.recipient(), a.packageId(), s.submissionId(), now,
                                    categories, kind, sealed.body());
                            AuditRecorder.DeliveredPackage sent = new AuditRecorder.DeliveredPackage(a.recipient(),
                                    a.packageId(), a.decision().agreementId(), a.decision().agreementVersion(),
                                    List.copyOf(a.content().redactions()), sealed.digest(),
                                    QueueNames.inbox(a.recipient()));
                            step.audit(a.kind() == Kind.UPDATE
                                    ? audit.updateSentRecords(receiptId, s.submissionId(), sent, envelopeDigest,
                                            a.changed(), replaced)
                                    : audit.correctionDeliveredRecords(receiptId, s.submissionId(), sent,
                                            envelopeDigest, revision));
                            step.change(new RegistryChange.Delivered(partnerId, s.submissionId(), a.recipient(),
                                    a.packageId(), now, categories, sealed.body().size(), kind, s.area().name()));
                            SubmissionRouter.deadline(step, out, s.area().name());
                            step.change(new RegistryChange.Shown(partnerId, s.submissionId(), a.recipient(),
                                    a.packageId(), revision, a.shown()));
                        }
                    }
                    step.audit(audit.correctedRecord(partnerId, s.submissionId(), receiptId, revision,
                            o.correction().reason().name(), envelopeDigest, counts.updates(), counts.recalls(),
                            counts.added(), counts.unchanged(), removed[0]));
                    step.change(new RegistryChange.Revised(partnerId, s.submissionId(), revision, o.contentDigest()));
                    if (record.status() == SubmissionStatus.UNROUTED && counts.added() > 0) {
                        step.change(new RegistryChange.Status(partnerId, s.submissionId(), SubmissionStatus.ROUTED));
                    }
                    if (linking != null) {
                        // the corrected content's tokens replace the old; the alerts they raise or grow go out now
                        step.change(new RegistryChange.Retokened(partnerId, s.submissionId()));
                        if (linking.change() != null) {
                            step.change(linking.change());
                            router.sendAlertsOf(session, producer, linking, plan, partnerId, s.submissionId(), step,
                                    now);
                        }
                    }
                    AuditOutbox.send(session, producer, step);
                }
                return null;
            });
        } catch (HubException e) {
            applied.cancel();
            inFlight.remove();
            // the broker refuses package ids it already holds: an earlier attempt committed; its record follows shortly
            if (e.code() == ErrorCode.UNAVAILABLE && AuditFeed.awaitSeen(() -> registry.revision(partnerId,
                    s.submissionId()).revision() >= revision)) {
                return new Answer(200, s.submissionId(), receiptId, revision, null);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            applied.cancel();
            inFlight.remove();
            throw e;
        }
        applied.whenDone(inFlight::applied);
        applied.await(AuditFeed.ANSWER_WAIT);
        LOG.info("corrected submission {} from {} to revision {}: {} updates, {} recalls, {} new recipients,"
                        + " {} unchanged", s.submissionId(), partnerId, revision, counts.updates(), counts.recalls(),
                counts.added(), counts.unchanged());
        return new Answer(202, s.submissionId(), receiptId, revision, counts);
    }

    /** The correction's links in flight, ended when its step is applied or rolled back. */
    private record InFlightLinksHolder(SubmissionLinks.Linking linking) {
        void remove() {
            if (linking != null) {
                linking.outcome().registration().remove();
            }
        }

        void applied() {
            if (linking != null) {
                linking.outcome().registration().applied();
            }
        }
    }

    /** Why a recipient lost the submission: the new decision's reason code, or that it is no longer shared. */
    private static String recallReason(Action a) {
        return a.decision() != null && a.decision().reason() != null ? a.decision().reason().name() : "NOT_SHARED";
    }

    /** The recall of a correction: ids, the revision and what to do; not why the recipient no longer qualifies. */
    private static ObjectNode recall(Action a, String submissionId, List<String> recalled, int revision, Instant at) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", DeliveryRecord.RECALL);
        n.put("packageId", a.packageId());
        n.put("recipient", a.recipient());
        n.put("submissionId", submissionId);
        recalled.forEach(n.putArray("recalls")::add);
        n.put("reason", "NO_LONGER_SHARED");
        n.put("revision", revision);
        n.put("recalledAt", at.toString());
        n.put("action", "The submitting partner corrected this intelligence and it is no longer shared with you."
                + " Destroy the packages named in recalls and every copy or record made from them, then acknowledge"
                + " this recall.");
        return n;
    }

    /** Stable for the original receipt and the revision, so that every attempt of a correction answers one receipt. */
    static String correctionReceiptId(String submissionReceiptId, int revision) {
        return UUID.nameUUIDFromBytes(("correction|" + submissionReceiptId + "|" + revision)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Stable for a correction's receipt and a recipient, so that a replayed correction makes the same package. */
    static String derivedId(String kind, String correctionReceiptId, String recipient) {
        return UUID.nameUUIDFromBytes((kind + "|" + correctionReceiptId + "|" + recipient)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }


}
