package org.safeguarding.hub.notices;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.safeguarding.hub.broker.MessageBodies;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.intake.Digests;

/**
 * Packages the hub writes itself, such as recalls: a small JSON document sealed to a recipient's valid certificates
 * and signed by the hub, like any package, and sent to its inbox inside the caller's transaction with a duplicate id
 * the broker refuses a second time. Content-free by construction: the caller gives ids and codes only.
 */
public final class HubNotices {
    /** The registry's sender of the hub's own packages, so that no partner's status lists them. */
    public static final String SENDER = "hub";
    private final CertificateDirectory certificates;
    private final org.safeguarding.hub.sealing.RecipientSealer sealer;

    /** @param sealer seals each notice in its recipient's package format */
    public HubNotices(CertificateDirectory certificates, org.safeguarding.hub.sealing.RecipientSealer sealer) {
        this.certificates = certificates;
        this.sealer = sealer;
    }

    /** A notice sealed for its recipient, with the SHA-256 of the sealed bytes. */
    public record Sealed(byte[] body, String digest) {
    }

    /**
     * The recipient's valid certificates, once the sealer's policy accepts them; a lasting {@link HubException}
     * ({@code NO_RECIPIENT_CERTIFICATE}) otherwise. Call it for every recipient before anything is sent.
     */
    public List<X509Certificate> sealableCertificates(String recipient, Instant now, String what) {
        List<X509Certificate> certs = certificates.validCertificates(recipient, now);
        if (certs.isEmpty()) {
            throw new HubException(ErrorCode.NO_RECIPIENT_CERTIFICATE, "No valid certificate is installed for"
                    + " recipient " + recipient + ", so its " + what + " cannot be sealed; the operator must install one.");
        }
        try {
            return sealer.choose(recipient, certs).certificates();
        } catch (CryptoException e) {
            throw new HubException(ErrorCode.NO_RECIPIENT_CERTIFICATE,
                    "The " + what + " for " + recipient + " could not be sealed: " + e.failure() + " (" + e.detail() + ").");
        }
    }

    /** {@code json} signed as the hub and encrypted to {@code certs} in {@code recipient}'s package format. */
    public Sealed seal(ObjectNode json, String recipient, List<X509Certificate> certs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (OutputStream sealing = sealer.sealing(out, recipient, certs)) {
            sealing.write(json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (CryptoException e) {
            throw new IllegalStateException("a notice could not be sealed: " + e.failure(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("a notice could not be written", e);
        }
        byte[] body = out.toByteArray();
        return new Sealed(body, HexFormat.of().formatHex(Digests.sha256().digest(body)));
    }

    /** Sends a sealed package to the recipient's inbox on {@code session}; its duplicate id is {@code kind|packageId}. */
    public static void send(Session session, MessageProducer producer, String recipient, String packageId,
                            String submissionId, Instant at, List<String> categories, String kind, byte[] sealed)
            throws JMSException {
        send(session, producer, recipient, packageId, submissionId, at, categories, kind, SealedBody.of(sealed));
    }

    /** {@link #send} of a sealed body that may be spooled (a large package). */
    public static void send(Session session, MessageProducer producer, String recipient, String packageId,
                            String submissionId, Instant at, List<String> categories, String kind, SealedBody sealed)
            throws JMSException {
        BytesMessage m = session.createBytesMessage();
        m.setStringProperty(QueueNames.PACKAGE_ID, packageId);
        m.setStringProperty(QueueNames.SUBMISSION_ID, submissionId);
        m.setStringProperty(QueueNames.RECIPIENT, recipient);
        m.setStringProperty(QueueNames.ROUTED_AT, at.toString());
        m.setStringProperty(QueueNames.CATEGORIES, String.join(",", categories));
        m.setStringProperty(QueueNames.DUPLICATE_ID, kind + "|" + packageId);
        m.setStringProperty(QueueNames.KIND, kind);
        try (java.io.InputStream in = sealed.open()) {
            MessageBodies.write(m, in, sealed.size());
        } catch (IOException e) {
            throw new UncheckedIOException("the package for " + recipient + " could not be read back", e);
        }
        producer.send(ActiveMQJMSClient.createQueue(QueueNames.inbox(recipient)), m);
    }
}
