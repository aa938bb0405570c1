package org.safeguarding.hub.routing;

import java.nio.charset.StandardCharsets;
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
import org.safeguarding.hub.crypto.OpenedMessage;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.intake.Digests;
import org.safeguarding.hub.intake.Failures;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionStatus;
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

    public SubmissionRouter(EnvelopeOpener opener, TrustValidator trust, LivePartnership partnership,
                            CertificateDirectory certificates, CmsSealer sealer, Identity hub, PackageBuilder packages,
                            SubmissionRegistry registry, AuditRecorder audit, Clock clock,
                            ContentEncryption encryption) {
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

    public RoutedSubmission route(byte[] sealed, String receiptId, String receivedAtText) {
        Instant receivedAt = Instant.parse(receivedAtText);
        String envelopeDigest = Digests.sha256Hex(sealed);
        var version = partnership.current();
        ValidSubmission submission;
        Participant partner;
        try {
            OpenedMessage opened = opener.open(sealed);
            trust.validate(opened.signer(), opened.certificates(), receivedAt);
            String signer = org.safeguarding.hub.crypto.Certificates.commonName(opened.signer());
            partner = version.partnership().participant(signer)
                    .filter(p -> p.hasRole(Role.PARTNER))
                    .orElseThrow(() -> new HubException(ErrorCode.NOT_A_PARTNER, "The signer is no longer a partner."));
            submission = version.validator().validate(opened.content(), partner);
        } catch (CryptoException e) {
            throw new HubException(Failures.code(e.failure()), e.getMessage());
        }
        SharingPlan plan = version.planner().plan(submission, receivedAt);
        Instant routedAt = clock.instant();
        List<OutgoingPackage> out = new ArrayList<>();
        List<DeliveredPackage> delivered = new ArrayList<>();
        List<String> categories = categories(submission);
        for (RecipientPackage p : plan.packages()) {
            String recipient = p.decision().recipientId();
            String packageId = packageId(receiptId, recipient);
            byte[] json = packages.build(packageId, submission.submissionId(), partner, p, routedAt);
            byte[] sealedPackage = seal(json, recipient, receivedAt, routedAt);
            out.add(new OutgoingPackage(recipient, packageId, submission.submissionId(), partner.id(),
                    routedAt.toString(), categories, sealedPackage,
                    QueueNames.packageDuplicateId(partner.id(), submission.submissionId(), recipient)));
            delivered.add(new DeliveredPackage(recipient, packageId, p.decision().agreementId(),
                    p.decision().agreementVersion(), List.copyOf(p.redactions()), Digests.sha256Hex(sealedPackage),
                    QueueNames.inbox(recipient)));
        }
        return new RoutedSubmission(partner.id(), submission.submissionId(), receiptId, envelopeDigest,
                new AuditRecorder.SubmissionFacts(categories, submission.json().path("area").asText(null)),
                plan.decisions(), out, delivered);
    }

    private byte[] seal(byte[] json, String recipient, Instant receivedAt, Instant now) {
        List<X509Certificate> certs = certificates.validCertificates(recipient, now);
        if (certs.isEmpty()) {
            throw new HubException(ErrorCode.NO_RECIPIENT_CERTIFICATE,
                    "No valid certificate is installed for recipient " + recipient + ".");
        }
        try {
            return sealer.seal(json, hub, certs, encryption);
        } catch (CryptoException e) {
            throw new HubException(ErrorCode.NO_RECIPIENT_CERTIFICATE,
                    "The package for " + recipient + " could not be sealed: " + e.failure() + ".");
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
    public void quarantined(String partnerId, String submissionId, String receiptId, byte[] sealed, String code) {
        if (partnerId != null && submissionId != null) {
            registry.setStatus(partnerId, submissionId, SubmissionStatus.FAILED);
        }
        audit.quarantined(partnerId, submissionId, receiptId, code, Digests.sha256Hex(sealed));
        LOG.warn("quarantined submission {} from {}: {}", submissionId, partnerId, code);
    }

    /**
     * A message the broker gave up on: a submission (its receipt id is set) is FAILED; a package
     * (its package id is set) did not reach its recipient. Either way it is audited as quarantined.
     */
    public void deadLettered(String partnerId, String submissionId, String receiptId, String packageId,
                             byte[] sealed) {
        if (packageId == null && partnerId != null && submissionId != null) {
            registry.setStatus(partnerId, submissionId, SubmissionStatus.FAILED);
        }
        String key = receiptId != null ? receiptId : packageId;
        audit.deadLettered(partnerId, submissionId, packageId, key, DeadLetterRoute.REASON, Digests.sha256Hex(sealed));
        LOG.warn("dead letter quarantined: submission {} package {}", submissionId, packageId);
    }

    /** A package left its inbox by acknowledgement. */
    public void acknowledged(String packageId) {
        registry.setDeliveryState(packageId, DeliveryState.ACKNOWLEDGED);
    }
}
