package org.safeguarding.hub.routing;

import java.io.BufferedOutputStream;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.auditing.AuditRecorder.DeliveredPackage;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.StreamedMessage;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.apache.camel.Exchange;
import org.safeguarding.hub.http.RequestBody;
import org.safeguarding.hub.intake.ContentBudget;
import org.safeguarding.hub.intake.ContentBuffer;
import org.safeguarding.hub.intake.Digests;
import org.safeguarding.hub.intake.Failures;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.sharing.RecipientPackage;
import org.safeguarding.hub.sharing.SharingPlan;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * Routes one accepted submission: opens it again (plaintext lives only in this call), judges
 * the agreements at the hub's receipt time, and seals each recipient's package as the hub to
 * every valid certificate of the recipient. A {@link HubException} from here is lasting: the
 * submission is quarantined. Anything else is passing, and the broker redelivers.
 */
public final class SubmissionRouter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SubmissionRouter.class);
    private final EnvelopeOpener opener;
    private final TrustValidator trust;
    private final LivePartnership partnership;
    private final CertificateDirectory certificates;
    private final CmsSealer sealer;
    private final Identity hub;
    private final PackageBuilder packages;
    private final SubmissionRegistry registry;
    private final AuditRecorder audit;
    private final Clock clock;
    private final ContentEncryption encryption;
    private final Path spool;
    private final MessageSpool messages;
    private final ContentBudget budget;
    private final java.time.Duration budgetWait;

    /**
     * @param spool      where sealed packages wait, encrypted, between sealing and the broker taking them
     * @param budget     the memory opened content may take, shared with intake
     * @param budgetWait how long routing waits for its share before the broker is asked to redeliver
     */
    public SubmissionRouter(EnvelopeOpener opener, TrustValidator trust, LivePartnership partnership,
                            CertificateDirectory certificates, CmsSealer sealer, Identity hub, PackageBuilder packages,
                            SubmissionRegistry registry, AuditRecorder audit, Clock clock,
                            ContentEncryption encryption, Path spool, ContentBudget budget,
                            java.time.Duration budgetWait) {
        this.budget = budget;
        this.budgetWait = budgetWait;
        this.spool = spool;
        this.messages = new MessageSpool(spool);
        this.opener = opener;
        this.trust = trust;
        this.partnership = partnership;
        this.certificates = certificates;
        this.sealer = sealer;
        this.hub = hub;
        this.packages = packages;
        this.registry = registry;
        this.audit = audit;
        this.clock = clock;
        this.encryption = encryption;
    }

    /** Where the routes spool the messages they consume before reading them. */
    public MessageSpool messageSpool() {
        return messages;
    }

    /** @param sealed the queued submission as {@link MessageSpool} took it from the broker */
    public RoutedSubmission route(RequestBody sealed, String receiptId, String receivedAtText, Exchange exchange) {
        Instant receivedAt = Instant.parse(receivedAtText);
        holdContent(sealed.size(), exchange);
        String envelopeDigest = digest(sealed);
        var version = partnership.current();
        ValidSubmission submission;
        Participant partner;
        try {
            // the content is held once, in memory only; large attachments stay in it (see AttachmentContent)
            ContentBuffer content = new ContentBuffer(sealed.size());
            StreamedMessage opened;
            try (InputStream in = sealed.open()) {
                opened = opener.open(in, content);
            }
            trust.validate(opened.signer(), opened.certificates(), receivedAt);
            String signer = org.safeguarding.hub.crypto.Certificates.commonName(opened.signer());
            partner = version.partnership().participant(signer)
                    .filter(p -> p.hasRole(Role.PARTNER))
                    .orElseThrow(() -> new HubException(ErrorCode.NOT_A_PARTNER, "The signer is no longer a partner."));
            submission = version.validator().validate(content.array(), content.length(), partner);
        } catch (CryptoException e) {
            throw new HubException(Failures.code(e.failure()), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("the queued submission could not be read", e);
        }
        SharingPlan plan = version.planner().plan(submission, receivedAt);
        Instant routedAt = clock.instant();
        List<OutgoingPackage> out = new ArrayList<>();
        List<String> categories = categories(submission);
        for (RecipientPackage p : plan.packages()) {
            String recipient = p.decision().recipientId();
            // every lasting failure comes before the first package is sent: nothing is ever half-delivered
            List<X509Certificate> certs = sealableCertificates(recipient, routedAt);
            out.add(new OutgoingPackage(recipient, packageId(receiptId, recipient), submission.submissionId(),
                    partner, routedAt.toString(), categories, p,
                    QueueNames.packageDuplicateId(partner.id(), submission.submissionId(), recipient), certs));
        }
        return new RoutedSubmission(partner.id(), submission.submissionId(), receiptId, envelopeDigest,
                new AuditRecorder.SubmissionFacts(categories, submission.json().path("area").asText(null)),
                plan.decisions(), out, new ArrayList<>());
    }

    /**
     * Reserves the content's memory until the exchange completes (its packages are built from it one by one); if
     * other submissions hold the budget for longer than the wait, a passing failure: the broker redelivers later.
     */
    private void holdContent(long size, Exchange exchange) {
        ContentBudget.Permit permit;
        try {
            permit = budget.tryReserve(size, budgetWait).orElseThrow(() -> new HubException(ErrorCode.UNAVAILABLE,
                    "No memory is free for the submission's content now."));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(ErrorCode.UNAVAILABLE, "Routing was interrupted.");
        }
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                permit.close();
            }
        });
    }

    /**
     * Builds one recipient's package JSON and seals it as it is written, into a spool file (encrypted to the
     * recipient) that is deleted when the routing exchange completes; records what is delivered in {@code routed}.
     */
    public SealedPackage seal(RoutedSubmission routed, OutgoingPackage p, Exchange exchange) {
        Instant routedAt = Instant.parse(p.routedAt());
        Path file = spool.resolve("package-" + UUID.randomUUID() + ".sealed");
        MessageSpool.deleteWhenDone(exchange, file);
        MessageDigest digest = sha256();
        long size;
        try (OutputStream fileOut = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
             CountingDigestStream counted = new CountingDigestStream(new BufferedOutputStream(fileOut, 64 * 1024),
                     digest)) {
            try (OutputStream sealing = sealer.sealing(counted, hub, p.certificates(), encryption)) {
                packages.write(sealing, p.packageId(), p.submissionId(), p.partner(), p.content(), routedAt);
            }
            counted.flush();
            size = counted.count();
        } catch (CryptoException e) {
            // checked in route() before anything was sent: passing here, so the transaction rolls back and a replay decides
            throw new IllegalStateException("the package for " + p.recipient() + " could not be sealed: " + e.failure(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the package for " + p.recipient() + " could not be spooled", e);
        }
        RecipientDecision d = p.content().decision();
        routed.delivered().add(new DeliveredPackage(p.recipient(), p.packageId(), d.agreementId(),
                d.agreementVersion(), List.copyOf(p.content().redactions()),
                java.util.HexFormat.of().formatHex(digest.digest()), QueueNames.inbox(p.recipient())));
        return new SealedPackage(p, RequestBody.spooled(file, size));
    }

    /**
     * The recipient's valid certificates, once the sealer has accepted them (a package of nothing is sealed to them and
     * dropped): a lasting {@link HubException} when there are none or the policy refuses them.
     */
    private List<X509Certificate> sealableCertificates(String recipient, Instant now) {
        List<X509Certificate> certs = certificates.validCertificates(recipient, now);
        if (certs.isEmpty()) {
            throw new HubException(ErrorCode.NO_RECIPIENT_CERTIFICATE,
                    "No valid certificate is installed for recipient " + recipient + ".");
        }
        try {
            sealer.sealing(OutputStream.nullOutputStream(), hub, certs, encryption).close();
            return List.copyOf(certs);
        } catch (CryptoException e) {
            throw new HubException(ErrorCode.NO_RECIPIENT_CERTIFICATE,
                    "The package for " + recipient + " could not be sealed: " + e.failure() + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(RequestBody sealed) {
        try (InputStream in = sealed.open()) {
            return Digests.sha256Hex(in);
        } catch (IOException e) {
            throw new UncheckedIOException("a spooled message could not be read", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts and digests what passes through to the file. */
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
    static String packageId(String receiptId, String recipient) {
        return UUID.nameUUIDFromBytes(("package|" + receiptId + "|" + recipient).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** After every package is on its queue (same broker transaction): registry and audit. */
    public void recorded(RoutedSubmission r) {
        for (OutgoingPackage p : r.packages()) {
            registry.recordDelivery(r.partnerId(), r.submissionId(), p.recipient(), p.packageId());
        }
        registry.setStatus(r.partnerId(), r.submissionId(),
                r.unrouted() ? SubmissionStatus.UNROUTED : SubmissionStatus.ROUTED);
        audit.routed(r.partnerId(), r.submissionId(), r.receiptId(), r.envelopeDigest(), r.facts(), r.decisions(),
                r.delivered());
        LOG.info("{} submission {} from {}: {} packages", r.unrouted() ? "unrouted" : "routed", r.submissionId(),
                r.partnerId(), r.packages().size());
    }

    /** A lasting failure: the submission, still sealed, goes to quarantine. */
    public void quarantined(String partnerId, String submissionId, String receiptId, RequestBody sealed, String code) {
        if (partnerId != null && submissionId != null) {
            registry.setStatus(partnerId, submissionId, SubmissionStatus.FAILED);
        }
        audit.quarantined(partnerId, submissionId, receiptId, code, digest(sealed));
        LOG.warn("quarantined submission {} from {}: {}", submissionId, partnerId, code);
    }

    /**
     * A message the broker gave up on: a submission (its receipt id is set) is FAILED; a package
     * (its package id is set) did not reach its recipient. Either way it is audited as quarantined.
     */
    public void deadLettered(String partnerId, String submissionId, String receiptId, String packageId,
                             RequestBody sealed) {
        if (packageId == null && partnerId != null && submissionId != null) {
            registry.setStatus(partnerId, submissionId, SubmissionStatus.FAILED);
        }
        String key = receiptId != null ? receiptId : packageId;
        audit.deadLettered(partnerId, submissionId, packageId, key, DeadLetterRoute.REASON, digest(sealed));
        LOG.warn("dead letter quarantined: submission {} package {}", submissionId, packageId);
    }

    /** A package left its inbox by acknowledgement. */
    public void acknowledged(String packageId) {
        registry.setDeliveryState(packageId, DeliveryState.ACKNOWLEDGED);
    }
}
