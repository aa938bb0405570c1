package org.safeguarding.hub.routing;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;
import org.safeguarding.hub.alerts.AlertEvaluator;
import org.safeguarding.hub.alerts.InFlightLinks;
import org.safeguarding.hub.alerts.SubmissionLinks;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.registry.DeliveryRecord;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.AuditRecorder.DeliveredPackage;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.MessageBodies;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.intake.ContentBudget;
import org.safeguarding.hub.intake.Digests;
import org.safeguarding.hub.intake.SubmissionOpener;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.observe.FlowMetrics;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.sharing.RecipientPackage;
import org.safeguarding.hub.sharing.SharingPlan;
import org.safeguarding.hub.submission.ValidSubmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one accepted submission inside the broker transaction that consumed it: reopens it (plaintext lives only in
 * this call; intake verified its signer), judges the agreements at the hub's receipt time, seals each recipient's
 * package as the hub to every valid certificate of the recipient, and sends the packages and the step's record (audit
 * events and registry changes) in that same transaction, which the consumer commits when this returns. A lasting
 * failure, found before the first package is sent, sends the still-sealed submission to quarantine in the same
 * transaction instead. Anything else is passing: it propagates, the transaction rolls back and the broker redelivers.
 */
public final class SubmissionRouter {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionRouter.class);
    private static final jakarta.jms.Queue QUARANTINE = ActiveMQJMSClient.createQueue(QueueNames.QUARANTINE);
    /** Packages of submissions up to this size are sealed in memory; larger ones into a spool file. */
    static final long SEAL_IN_MEMORY_UP_TO = 1024 * 1024;

    private final SubmissionOpener opener;
    private final LivePartnership partnership;
    private final CertificateDirectory certificates;
    private final org.safeguarding.hub.sealing.RecipientSealer sealer;
    private final Identity hub;
    private final PackageBuilder packages;
    private final AuditRecorder audit;
    private final Clock clock;
    private final Path spool;
    private final MessageSpool messages;
    private final ContentBudget budget;
    private final Duration budgetWait;
    private final FlowMetrics metrics;
    private final SubmissionRegistry registry;
    private final SubmissionLinks links;
    private final AuditFeed feed;
    private final org.safeguarding.hub.correction.GroupDigests views;

    /**
     * @param sealer     the hub's sealer (policy and hub.yaml's options): each recipient is sealed to in its declared
     *                   package format through a {@link org.safeguarding.hub.sealing.RecipientSealer} over it
     * @param encryption the content encryption of a recipient that declared no package format
     * @param spool      where large sealed bodies wait, encrypted, between the broker and sealing
     * @param budget     the memory opened content may take, shared with intake
     * @param budgetWait how long routing waits for its share before the broker is asked to redeliver
     */
    public SubmissionRouter(SubmissionOpener opener, LivePartnership partnership, CertificateDirectory certificates,
                            CmsSealer sealer, Identity hub, PackageBuilder packages, AuditRecorder audit, Clock clock,
                            ContentEncryption encryption, Path spool, ContentBudget budget, Duration budgetWait,
                            FlowMetrics metrics, SubmissionRegistry registry) {
        this(opener, partnership, certificates, sealer, hub, packages, audit, clock, encryption, spool, budget,
                budgetWait, metrics, registry, null, null);
    }

    /**
     * @param links what links a routed submission to others and raises alerts (null: no linking)
     * @param feed  the audit feed, whose applying a step's record ends that step's links being in flight
     */
    public SubmissionRouter(SubmissionOpener opener, LivePartnership partnership, CertificateDirectory certificates,
                            CmsSealer sealer, Identity hub, PackageBuilder packages, AuditRecorder audit, Clock clock,
                            ContentEncryption encryption, Path spool, ContentBudget budget, Duration budgetWait,
                            FlowMetrics metrics, SubmissionRegistry registry, SubmissionLinks links, AuditFeed feed) {
        this(opener, partnership, certificates, sealer, hub, packages, audit, clock, encryption, spool, budget,
                budgetWait, metrics, registry, links, feed, null);
    }

    /**
     * @param views what records, as keyed group digests, what each package showed its recipient, so that a correction
     *              can decide who needs an update (null: nothing recorded; a correction then updates every holder)
     */
    public SubmissionRouter(SubmissionOpener opener, LivePartnership partnership, CertificateDirectory certificates,
                            CmsSealer sealer, Identity hub, PackageBuilder packages, AuditRecorder audit, Clock clock,
                            ContentEncryption encryption, Path spool, ContentBudget budget, Duration budgetWait,
                            FlowMetrics metrics, SubmissionRegistry registry, SubmissionLinks links, AuditFeed feed,
                            org.safeguarding.hub.correction.GroupDigests views) {
        this.views = views;
        this.links = links;
        this.feed = feed;
        this.registry = registry;
        this.opener = opener;
        this.partnership = partnership;
        this.certificates = certificates;
        this.sealer = new org.safeguarding.hub.sealing.RecipientSealer(sealer, encryption, hub,
                id -> partnership.partnership().participant(id));
        this.hub = hub;
        this.packages = packages;
        this.audit = audit;
        this.clock = clock;
        this.spool = spool;
        this.messages = new MessageSpool(spool);
        this.budget = budget;
        this.budgetWait = budgetWait;
        this.metrics = metrics;
    }

    /** Routes the consumed intake message; sends only on {@code session}, whose transaction the caller commits. */
    public RoutingStep.Completion route(BytesMessage message, Session session) throws JMSException {
        Queued q = Queued.of(message);
        if (alreadyRouted(q)) {
            // a second copy of a submission whose routing committed before: consumed, nothing sent again
            LOG.info("submission {} from {} was routed before; the copy is absorbed", q.submissionId(), q.partnerId());
            return RoutingStep.Completion.NONE;
        }
        try (MessageSpool.Spooled sealed = messages.take(message);
             ContentBudget.Permit permit = holdContent(sealed.body().size());
             MessageProducer producer = session.createProducer(null)) {
            RoutedSubmission routed;
            try {
                routed = decide(q, sealed.body());
            } catch (HubException e) {
                if (e.code().isPassing()) {
                    throw e;
                }
                quarantine(session, producer, q, sealed.body(), e.code().name());
                return RoutingStep.Completion.NONE;
            }
            InFlightLinks.Registration inFlight = routed.linking().outcome().registration();
            try {
                AuditFeed.Applied applied = send(session, producer, routed, sealed.body().size());
                metrics.routed(Duration.between(q.receivedAt(), clock.instant()));
                LOG.info("{} submission {} from {}: {} packages{}", routed.unrouted() ? "unrouted" : "routed",
                        routed.submissionId(), routed.partnerId(), routed.packages().size(),
                        routed.alerts().isEmpty() ? "" : ", " + routed.alerts().size() + " alert packages");
                return linksInFlightUntil(applied, inFlight);
            } catch (JMSException | RuntimeException | Error e) {
                inFlight.remove();
                throw e;
            }
        }
    }

    /**
     * A step's links stay in flight (seen by every alert evaluation) until the feed has put them in the link store, or
     * at once leave it if the step's transaction rolls back.
     */
    private static RoutingStep.Completion linksInFlightUntil(AuditFeed.Applied applied, InFlightLinks.Registration r) {
        if (applied == null) {
            r.remove();
            return RoutingStep.Completion.NONE;
        }
        return new RoutingStep.Completion() {
            @Override
            public void committed() {
                applied.whenDone(r::applied);
            }

            @Override
            public void rolledBack() {
                applied.cancel();
                r.remove();
            }
        };
    }

    /**
     * The registry shows this receipt's routing as ended. The registry follows the broker's commits a moment late: a
     * copy consumed in that moment sends packages the broker already holds, and their duplicate ids roll it back; the
     * redelivery then finds the routing recorded.
     */
    private boolean alreadyRouted(Queued q) {
        if (q.partnerId() == null || q.submissionId() == null) {
            return false;
        }
        return registry.find(q.partnerId(), q.submissionId())
                .filter(r -> r.receipt().receiptId().equals(q.receiptId()))
                .map(r -> r.status() == SubmissionStatus.ROUTED || r.status() == SubmissionStatus.UNROUTED
                        || r.status() == SubmissionStatus.FAILED || r.status() == SubmissionStatus.WITHDRAWN)
                .orElse(false);
    }

    /** Opens, decides and checks every recipient's certificates: every lasting failure comes before anything is sent. */
    RoutedSubmission decide(Queued q, SealedBody sealed) {
        String envelopeDigest = envelopeDigest(q, sealed);
        var version = partnership.current();
        Participant partner = version.partnership().participant(q.partnerId())
                .filter(p -> p.hasRole(org.safeguarding.hub.partnership.Role.PARTNER))
                .orElseThrow(() -> new HubException(ErrorCode.NOT_A_PARTNER, "The signer is no longer a partner."));
        ValidSubmission submission = opener.reopen(sealed, partner, q.contentDigest(), q.receivedAt(),
                version.validator(), q.handedOff());
        if (!submission.submissionId().equals(q.submissionId()) || !submission.partnerId().equals(q.partnerId())) {
            throw new HubException(ErrorCode.IDENTITY_MISMATCH, "The queued submission is not the one intake accepted.");
        }
        SharingPlan plan = version.planner().plan(submission, q.receivedAt());
        Instant routedAt = clock.instant();
        List<OutgoingPackage> out = new ArrayList<>();
        List<String> categories = categories(submission);
        org.safeguarding.hub.urgency.Urgencies.Due due = org.safeguarding.hub.urgency.Urgencies.of(
                version.partnership().urgency(), submission, routedAt);
        for (RecipientPackage p : plan.packages()) {
            String recipient = p.decision().recipientId();
            List<X509Certificate> certs = sealableCertificates(recipient, routedAt);
            out.add(new OutgoingPackage(recipient, packageId(q.receiptId(), recipient), submission.submissionId(),
                    partner, routedAt.toString(), categories, p,
                    QueueNames.packageDuplicateId(partner.id(), submission.submissionId(), recipient), certs,
                    due.deadline() == null ? null : due.addTo(null)));
        }
        SubmissionLinks.Linking linking = SubmissionLinks.Linking.NONE;
        List<OutgoingAlert> alerts = new ArrayList<>();
        if (links != null) {
            // the last step of the decision: every lasting failure is behind it, so its links may be seen in flight
            Set<String> shared = new LinkedHashSet<>();
            plan.packages().forEach(p -> shared.add(p.decision().recipientId()));
            linking = links.link(version.partnership(), partner, submission, q.receiptId(), q.receivedAt(), shared,
                    routedAt);
            try {
                alerts = alertPackages(linking, plan, routedAt);
            } catch (RuntimeException e) {
                linking.outcome().registration().remove();
                throw e;
            }
        }
        return new RoutedSubmission(partner.id(), submission.submissionId(), q.receiptId(), envelopeDigest,
                new AuditRecorder.SubmissionFacts(categories, submission.json().path("area").asText(null),
                        due.urgency().name()),
                plan.decisions(), out, new ArrayList<>(), linking, alerts,
                links == null ? null : decisionFacts(submission, q.receivedAt(), plan));
    }

    /**
     * What the what-if keeps of a routed submission; null (logged, ids only) if it cannot be made: the facts are an
     * aid to the IG lead, and never hold up a routing.
     */
    private static RegistryChange.Facts decisionFacts(ValidSubmission s, Instant receivedAt, SharingPlan plan) {
        try {
            return org.safeguarding.hub.whatif.DecisionFacts.of(s, receivedAt, plan.decisions()).change();
        } catch (RuntimeException e) {
            LOG.warn("the decision facts of {} from {} were not kept ({}); the what-if will not count it",
                    s.submissionId(), s.partnerId(), e.getClass().getSimpleName());
            return null;
        }
    }

    /**
     * One alert package per raised alert and notified recipient with a certificate the sealer accepts (a recipient
     * without one is passed over, logged: an alert never holds up the routing of the submission that raised it).
     */
    private List<OutgoingAlert> alertPackages(SubmissionLinks.Linking linking, SharingPlan plan, Instant routedAt) {
        List<OutgoingAlert> list = new ArrayList<>();
        for (AlertEvaluator.Raised r : linking.outcome().raised()) {
            for (AlertEvaluator.Notice n : r.notices()) {
                List<X509Certificate> certs;
                try {
                    certs = sealableCertificates(n.recipient(), routedAt);
                } catch (HubException e) {
                    LOG.warn("alert {} is not sent to {}: {}", r.alert().alertId(), n.recipient(), e.code());
                    continue;
                }
                JsonNode view = plan.packages().stream()
                        .filter(p -> p.decision().recipientId().equals(n.recipient())).findFirst()
                        .map(RecipientPackage::redactedSubmission).orElse(null);
                String packageId = alertPackageId(r.alert().alertId(), r.alert().revision(), n.recipient());
                list.add(new OutgoingAlert(r, n, packageId, links.shownValue(view, r.triggerTokens()), certs));
            }
        }
        return list;
    }

    /** One alert package to seal and send: for its recipient, with the certificates checked before anything was sent. */
    record OutgoingAlert(AlertEvaluator.Raised raised, AlertEvaluator.Notice notice, String packageId,
                         java.util.Optional<String> shown, List<X509Certificate> certificates) {
        String recipient() {
            return notice.recipient();
        }

        @Override
        public String toString() {
            return "OutgoingAlert[recipient=" + notice.recipient() + ", packageId=" + packageId + "]";
        }
    }

    /** Stable for an alert revision and a recipient, so that a replay makes the same package id. */
    static String alertPackageId(String alertId, int revision, String recipient) {
        return UUID.nameUUIDFromBytes(("alert-package|" + alertId + "|" + revision + "|" + recipient)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Seals and sends each package in turn, then the step's record, all in the session's transaction. */
    private AuditFeed.Applied send(Session session, MessageProducer producer, RoutedSubmission routed, long sealedSize)
            throws JMSException {
        StepRecord step = new StepRecord();
        for (OutgoingPackage p : routed.packages()) {
            try (SealedPackage sealed = seal(p, sealedSize)) {
                BytesMessage m = session.createBytesMessage();
                m.setStringProperty(QueueNames.PACKAGE_ID, p.packageId());
                m.setStringProperty(QueueNames.SUBMISSION_ID, p.submissionId());
                m.setStringProperty(QueueNames.RECIPIENT, p.recipient());
                m.setStringProperty(QueueNames.ROUTED_AT, p.routedAt());
                m.setStringProperty(QueueNames.CATEGORIES, String.join(",", p.categories()));
                m.setStringProperty(QueueNames.DUPLICATE_ID, p.duplicateId());
                m.setStringProperty(QueueNames.KIND, DeliveryRecord.PACKAGE);
                try (InputStream in = sealed.body().open()) {
                    MessageBodies.write(m, in, sealed.body().size());
                    producer.send(ActiveMQJMSClient.createQueue(QueueNames.inbox(p.recipient())), m);
                } catch (IOException e) {
                    throw new UncheckedIOException("the package for " + p.recipient() + " could not be read back", e);
                }
                RecipientDecision d = p.content().decision();
                routed.delivered().add(new DeliveredPackage(p.recipient(), p.packageId(), d.agreementId(),
                        d.agreementVersion(), List.copyOf(p.content().redactions()), sealed.digest(),
                        QueueNames.inbox(p.recipient())));
                step.change(new RegistryChange.Delivered(routed.partnerId(), routed.submissionId(), p.recipient(),
                        p.packageId(), Instant.parse(p.routedAt()), p.categories(), sealed.body().size(),
                        DeliveryRecord.PACKAGE, routed.facts().area()));
                deadline(step, p, routed.facts().area());
                if (p.amendment() != null && p.amendment().has("acknowledgeBy")) {
                    org.safeguarding.hub.webhooks.WebhookSender.queue(session, producer, registry, p.recipient(),
                            p.packageId(), p.submissionId(), p.amendment().path("urgency").asText(),
                            p.amendment().path("acknowledgeBy").asText());
                }
                if (views != null) {
                    step.change(new RegistryChange.Shown(routed.partnerId(), routed.submissionId(), p.recipient(),
                            p.packageId(), 0, views.of(p.content().redactedSubmission())));
                }
            }
        }
        step.audit(audit.routedRecords(routed.partnerId(), routed.submissionId(), routed.receiptId(),
                routed.envelopeDigest(), routed.facts(), routed.decisions(), routed.delivered()));
        step.change(new RegistryChange.Status(routed.partnerId(), routed.submissionId(),
                routed.unrouted() ? SubmissionStatus.UNROUTED : SubmissionStatus.ROUTED));
        if (routed.decisionFacts() != null) {
            step.change(routed.decisionFacts());
        }
        if (routed.linking().change() != null) {
            step.change(routed.linking().change());
            sendAlerts(session, producer, routed, step);
        }
        // registered before the record is sent, so that it cannot be applied unseen
        AuditFeed.Applied applied = feed != null && routed.linking().change() != null ? feed.expect(step.id()) : null;
        try {
            AuditOutbox.send(session, producer, step);
        } catch (JMSException | RuntimeException e) {
            if (applied != null) {
                applied.cancel();
            }
            throw e;
        }
        return applied;
    }

    /**
     * An urgent package's urgency and deadline, from the {@code acknowledgeBy} its JSON carries, recorded with its
     * delivery (a routine package has none; its delivery records the area a later recall of it escalates to).
     */
    public static void deadline(StepRecord step, OutgoingPackage p, String area) {
        if (p.amendment() != null && p.amendment().has("acknowledgeBy")) {
            step.change(new RegistryChange.Deadline(p.packageId(), p.amendment().path("urgency").asText(),
                    Instant.parse(p.amendment().path("acknowledgeBy").asText()), area));
        }
    }

    /**
     * A correction's alerts: the alerts the corrected submission's links raise or grow, sealed and sent on
     * {@code session} with their record in {@code step}, as routing sends them ({@code linking} from
     * {@link SubmissionLinks#link}; the caller ends its in-flight registration when the step commits or rolls back).
     */
    public void sendAlertsOf(Session session, MessageProducer producer, SubmissionLinks.Linking linking,
                             SharingPlan plan, String partnerId, String submissionId, StepRecord step, Instant at)
            throws JMSException {
        if (links == null || linking.change() == null) {
            return;
        }
        RoutedSubmission routed = new RoutedSubmission(partnerId, submissionId, null, null,
                AuditRecorder.SubmissionFacts.UNKNOWN, plan.decisions(), List.of(), new ArrayList<>(), linking,
                alertPackages(linking, plan, at), null);
        sendAlerts(session, producer, routed, step);
    }

    /** Seals and sends the alert packages, and records each alert revision and its packages in the step's record. */
    private void sendAlerts(Session session, MessageProducer producer, RoutedSubmission routed, StepRecord step)
            throws JMSException {
        java.util.Map<String, List<DeliveredPackage>> byAlert = new java.util.LinkedHashMap<>();
        for (AlertEvaluator.Raised r : routed.linking().outcome().raised()) {
            byAlert.put(r.alert().alertId(), new ArrayList<>());
        }
        for (OutgoingAlert a : routed.alerts()) {
            String alertId = a.raised().alert().alertId();
            MessageDigest digest = Digests.sha256();
            ByteArrayOutputStream memory = new ByteArrayOutputStream(8 * 1024);
            try (CountingDigestStream counted = new CountingDigestStream(memory, digest)) {
                try (OutputStream sealing = sealer.sealing(counted, a.recipient(), a.certificates())) {
                    links.writeAlert(sealing, a.packageId(), a.raised(), a.notice(), a.shown(),
                            s -> packageId(s.receiptId(), a.recipient()));
                }
            } catch (CryptoException e) {
                throw new IllegalStateException("the alert for " + a.recipient() + " could not be sealed: " + e.failure(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("the alert for " + a.recipient() + " could not be written", e);
            }
            byte[] body = memory.toByteArray();
            BytesMessage m = session.createBytesMessage();
            m.setStringProperty(QueueNames.PACKAGE_ID, a.packageId());
            m.setStringProperty(QueueNames.SUBMISSION_ID, alertId);
            m.setStringProperty(QueueNames.RECIPIENT, a.recipient());
            m.setStringProperty(QueueNames.ROUTED_AT, a.raised().alert().raisedAt().toString());
            m.setStringProperty(QueueNames.CATEGORIES, "");
            m.setStringProperty(QueueNames.DUPLICATE_ID, "alert|" + a.packageId());
            m.setStringProperty(QueueNames.KIND, DeliveryRecord.ALERT);
            m.writeBytes(body);
            producer.send(ActiveMQJMSClient.createQueue(QueueNames.inbox(a.recipient())), m);
            byAlert.get(alertId).add(new DeliveredPackage(a.recipient(), a.packageId(), null, null, List.of(),
                    HexFormat.of().formatHex(digest.digest()), QueueNames.inbox(a.recipient())));
            step.change(new RegistryChange.Delivered(ALERT_PARTNER, alertId, a.recipient(), a.packageId(),
                    a.raised().alert().raisedAt(), List.of(), body.length, DeliveryRecord.ALERT));
        }
        for (AlertEvaluator.Raised r : routed.linking().outcome().raised()) {
            step.change(r.alert());
            step.audit(audit.alertRecords(r.alert().alertId(), r.rule().id(), r.alert().revision(), routed.partnerId(),
                    routed.submissionId(), byAlert.get(r.alert().alertId())));
        }
    }

    /** The registry's sender of an alert package: the hub itself, so that no partner's status lists it. */
    public static final String ALERT_PARTNER = "hub";

    /**
     * Builds one recipient's package JSON and seals it as it is written: in memory for an ordinary submission, into a
     * spool file (encrypted to the recipient, deleted when closed) for a large one.
     */
    public SealedPackage seal(OutgoingPackage p, long sealedSize) {
        Instant routedAt = Instant.parse(p.routedAt());
        MessageDigest digest = Digests.sha256();
        Path file = sealedSize <= SEAL_IN_MEMORY_UP_TO ? null
                : spool.resolve("package-" + UUID.randomUUID() + ".sealed");
        ByteArrayOutputStream memory = file == null ? new ByteArrayOutputStream((int) sealedSize + 16 * 1024) : null;
        try (OutputStream target = file == null ? memory : new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
             CountingDigestStream counted = new CountingDigestStream(target, digest)) {
            try (OutputStream sealing = sealer.sealing(counted, p.recipient(), p.certificates())) {
                packages.write(sealing, p.packageId(), p.submissionId(), p.partner(), p.content(), routedAt,
                        p.amendment());
            }
            counted.flush();
            SealedBody body = file == null ? SealedBody.of(memory.toByteArray()) : SealedBody.spooled(file, counted.count());
            return new SealedPackage(p, body, HexFormat.of().formatHex(digest.digest()), file);
        } catch (CryptoException e) {
            MessageSpool.deleteQuietly(file);
            // checked in decide() before anything was sent: passing here, so the transaction rolls back and a replay decides
            throw new IllegalStateException("the package for " + p.recipient() + " could not be sealed: " + e.failure(), e);
        } catch (IOException e) {
            MessageSpool.deleteQuietly(file);
            throw new UncheckedIOException("the package for " + p.recipient() + " could not be spooled", e);
        }
    }

    /**
     * The recipient's valid certificates, once the sealer's policy accepts them: a lasting {@link HubException} when there
     * are none or the policy refuses them.
     */
    private List<X509Certificate> sealableCertificates(String recipient, Instant now) {
        List<X509Certificate> certs = certificates.validCertificates(recipient, now);
        if (certs.isEmpty()) {
            throw new HubException(ErrorCode.NO_RECIPIENT_CERTIFICATE,
                    "No valid certificate is installed for recipient " + recipient + ".");
        }
        try {
            // the policy's checks only, in the recipient's package format: nothing is sealed twice
            return sealer.choose(recipient, certs).certificates();
        } catch (CryptoException e) {
            throw new HubException(ErrorCode.NO_RECIPIENT_CERTIFICATE,
                    "The package for " + recipient + " could not be sealed: " + e.failure() + " (" + e.detail() + ").");
        }
    }

    /**
     * A lasting failure: the submission, still sealed, goes to quarantine with its record (FAILED, and why), in the
     * transaction that consumed it.
     */
    private void quarantine(Session session, MessageProducer producer, Queued q, SealedBody sealed, String code)
            throws JMSException {
        StepRecord step = new StepRecord()
                .audit(audit.quarantinedRecord(q.partnerId(), q.submissionId(), q.receiptId(), code, envelopeDigest(q, sealed)));
        if (q.partnerId() != null && q.submissionId() != null) {
            step.change(new RegistryChange.Status(q.partnerId(), q.submissionId(), SubmissionStatus.FAILED));
        }
        sendToQuarantine(session, producer, q, sealed, code, null);
        AuditOutbox.send(session, producer, step);
        LOG.warn("quarantined submission {} from {}: {}", q.submissionId(), q.partnerId(), code);
    }

    /**
     * A message the broker gave up on after its last delivery attempt: a submission (its receipt id is set) is FAILED;
     * a package (its package id is set) did not reach its recipient. Either way it goes to quarantine, recorded.
     */
    public RoutingStep.Completion deadLettered(BytesMessage message, Session session) throws JMSException {
        Queued q = Queued.of(message);
        String packageId = message.getStringProperty(QueueNames.PACKAGE_ID);
        try (MessageSpool.Spooled sealed = messages.take(message);
             MessageProducer producer = session.createProducer(null)) {
            String key = q.receiptId() != null ? q.receiptId() : packageId != null ? packageId : message.getJMSMessageID()
                    .replaceAll("[^A-Za-z0-9._:/+=-]", "-");
            StepRecord step = new StepRecord().audit(audit.deadLetteredRecord(q.partnerId(), q.submissionId(),
                    packageId, key, DeadLetterRoute.REASON, envelopeDigest(q, sealed.body())));
            if (packageId == null && q.partnerId() != null && q.submissionId() != null) {
                step.change(new RegistryChange.Status(q.partnerId(), q.submissionId(), SubmissionStatus.FAILED));
            }
            sendToQuarantine(session, producer, q, sealed.body(), DeadLetterRoute.REASON, packageId);
            AuditOutbox.send(session, producer, step);
            LOG.warn("dead letter quarantined: submission {} package {}", q.submissionId(), packageId);
        }
        return RoutingStep.Completion.NONE;
    }

    private static void sendToQuarantine(Session session, MessageProducer producer, Queued q, SealedBody sealed,
                                         String reason, String packageId) throws JMSException {
        BytesMessage m = session.createBytesMessage();
        setIfPresent(m, QueueNames.PARTNER_ID, q.partnerId());
        setIfPresent(m, QueueNames.SUBMISSION_ID, q.submissionId());
        setIfPresent(m, QueueNames.RECEIPT_ID, q.receiptId());
        setIfPresent(m, QueueNames.RECEIVED_AT, q.receivedAtText());
        setIfPresent(m, QueueNames.PACKAGE_ID, packageId);
        m.setStringProperty(QueueNames.QUARANTINE_REASON, reason);
        try (InputStream in = sealed.open()) {
            MessageBodies.write(m, in, sealed.size());
            producer.send(QUARANTINE, m);
        } catch (IOException e) {
            throw new UncheckedIOException("a spooled message could not be read", e);
        }
    }

    private static void setIfPresent(BytesMessage m, String name, String value) throws JMSException {
        if (value != null) {
            m.setStringProperty(name, value);
        }
    }

    /**
     * Reserves the content's memory for the call; if other submissions hold the budget for longer than the wait, a
     * passing failure: the broker redelivers later.
     */
    private ContentBudget.Permit holdContent(long size) {
        try {
            return budget.tryReserve(size, budgetWait).orElseThrow(() -> new HubException(ErrorCode.UNAVAILABLE,
                    "No memory is free for the submission's content now."));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(ErrorCode.UNAVAILABLE, "Routing was interrupted.");
        }
    }

    /** Intake digested the sealed bytes as it received them; a message without that digest is digested here. */
    private static String envelopeDigest(Queued q, SealedBody sealed) {
        return q.envelopeDigest() != null ? q.envelopeDigest() : digest(sealed);
    }

    private static String digest(SealedBody sealed) {
        try (InputStream in = sealed.open()) {
            return Digests.sha256Hex(in);
        } catch (IOException e) {
            throw new UncheckedIOException("a spooled message could not be read", e);
        }
    }

    /** Counts and digests what passes through. */
    private static final class CountingDigestStream extends java.io.FilterOutputStream {
        private final MessageDigest digest;
        private long count;

        CountingDigestStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }

    private static List<String> categories(ValidSubmission s) {
        List<String> list = new ArrayList<>();
        s.json().path("categories").forEach(n -> list.add(n.asText()));
        return List.copyOf(list);
    }

    /** Stable for a submission's receipt and a recipient, so that a replay makes the same package id. */
    public static String packageId(String receiptId, String recipient) {
        return UUID.nameUUIDFromBytes(("package|" + receiptId + "|" + recipient).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** What intake put on the queue beside the sealed bytes. */
    record Queued(String partnerId, String submissionId, String receiptId, String receivedAtText, String contentDigest,
                  String envelopeDigest, SubmissionOpener.HandedOff handedOff) {
        static Queued of(BytesMessage m) throws JMSException {
            return new Queued(m.getStringProperty(QueueNames.PARTNER_ID), m.getStringProperty(QueueNames.SUBMISSION_ID),
                    m.getStringProperty(QueueNames.RECEIPT_ID), m.getStringProperty(QueueNames.RECEIVED_AT),
                    m.getStringProperty(QueueNames.CONTENT_DIGEST), m.getStringProperty(QueueNames.ENVELOPE_DIGEST),
                    new SubmissionOpener.HandedOff(m.getStringProperty(QueueNames.HAND_OFF_KEY),
                            m.getStringProperty(QueueNames.HAND_OFF)));
        }

        Instant receivedAt() {
            if (receivedAtText == null) {
                throw new HubException(ErrorCode.INVALID_SUBMISSION, "The queued submission has no receipt time.");
            }
            return Instant.parse(receivedAtText);
        }
    }
}
