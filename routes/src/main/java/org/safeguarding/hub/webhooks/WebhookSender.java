package org.safeguarding.hub.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.intake.Digests;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts urgent-package notices to the webhooks recipients registered: routing queues one ({@link #queue}) in the
 * transaction that delivers an urgent package to a recipient with a webhook, and this sends it, signed by the hub
 * (CMS SignedData of {@code {"kind": "urgent-package-waiting", "recipient", "packageId", "submissionId", "urgency",
 * "acknowledgeBy", "sentAt"}}: ids and codes, never content), over mutual TLS with the hub's certificate, trusting
 * only the partnership CA, no redirects. A 2xx answer ends it; anything else rolls the consume back and the broker
 * tries again with back-off, up to {@link #MAX_ATTEMPTS}; both ends are audited ({@code WEBHOOK_NOTIFIED}).
 */
public final class WebhookSender {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    public static final int MAX_ATTEMPTS = 8;
    public static final String MEDIA_TYPE = "application/pkcs7-mime; smime-type=signed-data";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URGENCY = "urgency";
    private static final String ACKNOWLEDGE_BY = "acknowledgeBy";

    private final SubmissionRegistry registry;
    private final CmsSealer sealer;
    private final Identity hub;
    private final AuditRecorder audit;
    private final Clock clock;
    private final HttpClient http;

    /** @param tls the hub's identity as client, trusting the partnership CA only */
    public WebhookSender(SubmissionRegistry registry, CmsSealer sealer, Identity hub, AuditRecorder audit, Clock clock,
                         SSLContext tls) {
        this.registry = registry;
        this.sealer = sealer;
        this.hub = hub;
        this.audit = audit;
        this.clock = clock;
        this.http = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Queues a notice for the recipient's webhook in the caller's transaction, if it registered one. */
    public static void queue(Session session, MessageProducer producer, SubmissionRegistry registry, String recipient,
                             String packageId, String submissionId, String urgency, String acknowledgeBy)
            throws JMSException {
        if (registry.webhookUrl(recipient).isEmpty()) {
            return;
        }
        Message m = session.createMessage();
        m.setStringProperty(QueueNames.RECIPIENT, recipient);
        m.setStringProperty(QueueNames.PACKAGE_ID, packageId);
        m.setStringProperty(QueueNames.SUBMISSION_ID, submissionId);
        m.setStringProperty(URGENCY, urgency);
        m.setStringProperty(ACKNOWLEDGE_BY, acknowledgeBy);
        m.setStringProperty(QueueNames.DUPLICATE_ID, "webhook|" + packageId);
        producer.send(ActiveMQJMSClient.createQueue(QueueNames.WEBHOOK), m);
    }

    /**
     * Sends one queued notice; returns normally when it is done with (posted, or given up after the last attempt, or
     * the webhook removed meanwhile) and throws to have the broker try again later.
     */
    public void send(Message m) throws JMSException {
        String recipient = m.getStringProperty(QueueNames.RECIPIENT);
        String packageId = m.getStringProperty(QueueNames.PACKAGE_ID);
        String submissionId = m.getStringProperty(QueueNames.SUBMISSION_ID);
        int attempt = m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 1;
        Optional<String> url = registry.webhookUrl(recipient);
        if (url.isEmpty()) {
            return;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "urgent-package-waiting");
        n.put("recipient", recipient);
        n.put("packageId", packageId);
        n.put("submissionId", submissionId);
        n.put("urgency", m.getStringProperty(URGENCY));
        n.put("acknowledgeBy", m.getStringProperty(ACKNOWLEDGE_BY));
        n.put("sentAt", clock.instant().toString());
        byte[] signed;
        try {
            signed = sealer.sign(n.toString().getBytes(StandardCharsets.UTF_8), hub);
        } catch (CryptoException e) {
            throw new IllegalStateException("a webhook notice could not be signed: " + e.failure(), e);
        }
        String digest = HexFormat.of().formatHex(Digests.sha256().digest(signed));
        String failure;
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url.get())).timeout(TIMEOUT)
                    .header("Content-Type", MEDIA_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(signed)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 == 2) {
                audit.webhookNotified(recipient, submissionId, packageId, "NOTIFIED", attempt, digest);
                LOG.info("notified {}'s webhook of urgent package {}", recipient, packageId);
                return;
            }
            failure = "HTTP " + r.statusCode();
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (attempt >= MAX_ATTEMPTS) {
            audit.webhookNotified(recipient, submissionId, packageId, "GAVE_UP", attempt, digest);
            LOG.warn("gave up notifying {}'s webhook of package {} after {} attempts ({})", recipient, packageId,
                    attempt, failure);
            return;
        }
        LOG.info("{}'s webhook did not take the notice of package {} ({}, attempt {}); tried again later", recipient,
                packageId, failure, attempt);
        throw new IllegalStateException("webhook of " + recipient + ": " + failure);
    }

    /** The hub's client TLS for webhooks: its own certificate, and the partnership CA as the only trust. */
    public static SSLContext tls(Identity hub, java.util.List<java.security.cert.X509Certificate> caCertificates) {
        try {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < caCertificates.size(); i++) {
                trust.setCertificateEntry("ca-" + i, caCertificates.get(i));
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(new javax.net.ssl.KeyManager[] {org.safeguarding.hub.http.TlsMaterial.keyManager(hub)},
                    tmf.getTrustManagers(), null);
            return ssl;
        } catch (java.security.GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the webhook client's TLS could not be set up", e);
        }
    }
}
