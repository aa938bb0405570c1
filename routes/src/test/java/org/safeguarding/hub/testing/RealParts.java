package org.safeguarding.hub.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.audit.JdbcAuditTrail;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.audit.JcaCheckpointSigner;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.routing.PackageBuilder;
import org.safeguarding.hub.intake.ContentBudget;
import org.safeguarding.hub.routing.SubmissionRouter;
import org.safeguarding.hub.sharing.Pseudonymiser;

/**
 * The hub's real collaborators for route and intake tests, built cheaply: the shared EC test
 * PKI (read-only), real BC crypto, the reference partnership, and H2 file databases for the
 * registry and the audit trail under a test's temporary directory. Nothing is mocked.
 */
public final class RealParts implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public final TestPki pki = TestPki.ec();
    public final Clock clock;
    public final Identity hub;
    public final EnvelopeOpener opener;
    public final TrustValidator trust;
    public final LivePartnership partnership;
    public final SubmissionRegistry registry;
    public final JdbcAuditTrail auditTrail;
    public final AuditRecorder audit;
    /** The one opener of intake and routing. */
    public final org.safeguarding.hub.intake.SubmissionOpener submissions;
    private final org.safeguarding.hub.registry.RegistryDatabase registryDb;
    private final javax.sql.DataSource pool;
    /** The memory budget for opened content that {@link #router()} uses; full again whenever nothing is being routed. */
    public final ContentBudget contentBudget = new ContentBudget(64L * 1024 * 1024);
    /** Where the router spools sealed packages. */
    public final Path spool;

    public RealParts(Path dir, Clock clock) {
        this.clock = clock;
        this.spool = dir.resolve("spool");
        try {
            java.nio.file.Files.createDirectories(spool);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.hub = pki.identity("hub");
        this.opener = new EnvelopeOpener(List.of(hub), AlgorithmPolicy.defaults());
        this.trust = new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl()));
        byte[] secret = new byte[Pseudonymiser.SECRET_BYTES];
        secret[0] = 7;
        this.partnership = new LivePartnership(PartnershipLoader.loadReference(), new Pseudonymiser(secret));
        this.registryDb = org.safeguarding.hub.registry.RegistryDatabase.open(dir); // as the hub opens it
        this.pool = registryDb.dataSource();
        this.registry = new SubmissionRegistry(pool, clock);
        this.auditTrail = JdbcAuditTrail.open("jdbc:h2:file:" + dir.resolve("audit"), "hub", "", clock,
                JcaCheckpointSigner.of(hub.privateKey(), hub.certificate().getPublicKey()));
        this.audit = new AuditRecorder(auditTrail);
        this.submissions = new org.safeguarding.hub.intake.SubmissionOpener(opener, trust, partnership);
    }

    /** The real router, sealing packages to the certificates found in {@code certificateDir}. */
    public SubmissionRouter router(Path certificateDir) {
        return router(certificateDir, contentBudget, java.time.Duration.ofSeconds(30));
    }

    /** The real router with a content budget of the test's own and how long it waits for it. */
    public SubmissionRouter router(Path certificateDir, ContentBudget budget, java.time.Duration budgetWait) {
        return new SubmissionRouter(submissions, partnership, new CertificateDirectory(certificateDir, trust),
                new CmsSealer(AlgorithmPolicy.defaults()), hub, new PackageBuilder(JSON), audit, clock,
                ContentEncryption.AES_256_GCM, spool, budget, budgetWait, org.safeguarding.hub.observe.FlowMetrics.NONE, registry);
    }

    /** The real router that also links submissions and raises alerts, its in-flight links ended by {@code feed}. */
    public SubmissionRouter router(Path certificateDir, org.safeguarding.hub.alerts.SubmissionLinks links,
                                   org.safeguarding.hub.auditing.AuditFeed feed) {
        return new SubmissionRouter(submissions, partnership, new CertificateDirectory(certificateDir, trust),
                new CmsSealer(AlgorithmPolicy.defaults()), hub, new PackageBuilder(JSON), audit, clock,
                ContentEncryption.AES_256_GCM, spool, contentBudget, java.time.Duration.ofSeconds(30),
                org.safeguarding.hub.observe.FlowMetrics.NONE, registry, links, feed, views);
    }

    /** The keyed group digests the linking router records with each package (a fixed test key). */
    public final org.safeguarding.hub.correction.GroupDigests views =
            new org.safeguarding.hub.correction.GroupDigests("group-digest-test-key-32-bytes!!".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));

    /** The registry's database. */
    public javax.sql.DataSource registryDataSource() {
        return pool;
    }

    /**
     * The one writer that fills this audit trail and registry from {@code broker}'s audit queue, started; the caller
     * closes it before the broker.
     */
    public org.safeguarding.hub.auditing.AuditFeed feed(org.safeguarding.hub.broker.EmbeddedBroker broker) {
        return new org.safeguarding.hub.auditing.AuditFeed(broker.connectionFactory(), auditTrail,
                new org.safeguarding.hub.registry.RegistryProjection(pool, clock), clock,
                () -> broker.messageCount(org.safeguarding.hub.broker.QueueNames.AUDIT)).start();
    }

    /** The router with every participant's certificate of the test PKI. */
    public SubmissionRouter router() {
        return router(pki.dir());
    }

    /** A scenario submission with a fresh submissionId and submittedAt at the clock's now, then {@code change}. */
    public byte[] submission(String file, Consumer<ObjectNode> change) {
        ObjectNode n = scenario(file);
        n.put("submissionId", UUID.randomUUID().toString());
        n.put("submittedAt", clock.instant().toString());
        change.accept(n);
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] submission(String file) {
        return submission(file, n -> { });
    }

    public static ObjectNode scenario(String file) {
        try (InputStream in = RealParts.class.getResourceAsStream("/scenario/submissions/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no scenario submission " + file);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signed by {@code signer} of the test PKI and encrypted to the hub, AES-256-GCM, with the hub's own sealer. */
    public byte[] seal(byte[] json, String signer) {
        return seal(json, pki.identity(signer));
    }

    public byte[] seal(byte[] json, Identity signer) {
        try {
            return new CmsSealer(AlgorithmPolicy.defaults()).seal(json, signer, List.of(hub.certificate()),
                    ContentEncryption.AES_256_GCM);
        } catch (CryptoException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CMS SignedData (encapsulated content) by {@code signer}, not encrypted. */
    public static byte[] sign(byte[] json, Identity signer) {
        try {
            return new CmsSealer(AlgorithmPolicy.defaults()).sign(json, signer);
        } catch (CryptoException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypts {@code content} as it is (signed or not) to one certificate, AES-256-GCM. */
    public static byte[] encrypt(byte[] content, java.security.cert.X509Certificate to) {
        try {
            return new CmsSealer(AlgorithmPolicy.defaults()).encrypt(content, List.of(to),
                    ContentEncryption.AES_256_GCM);
        } catch (CryptoException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The signed DER with one byte of its encapsulated content changed: the first byte of
     * {@code marker}, which must occur once in the content, has its case flipped.
     */
    public static byte[] alterSignedContent(byte[] signedDer, String marker) {
        byte[] m = marker.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = -1;
        for (int i = 0; i + m.length <= signedDer.length && at < 0; i++) {
            if (java.util.Arrays.equals(signedDer, i, i + m.length, m, 0, m.length)) {
                at = i;
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("marker not found in the signed content");
        }
        byte[] altered = signedDer.clone();
        altered[at] ^= 0x20;
        return altered;
    }

    /** Audit events of one type, oldest first. */
    public List<AuditEvent> events(AuditEventType type) {
        return auditTrail.find(new AuditQuery(null, null, type, null, null, null, 1000));
    }

    public static String submissionIdOf(byte[] json) {
        try {
            return JSON.readTree(json).path("submissionId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Instant now() {
        return clock.instant();
    }

    @Override
    public void close() {
        auditTrail.close();
        registryDb.close();
    }
}
