package org.safeguarding.hub.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.safeguarding.hub.api.AuditApi;
import org.safeguarding.hub.api.HubApiService;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.JdbcAuditTrail;
import org.safeguarding.hub.auditing.AuditFeed;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.intake.IntakeAdmission;
import org.safeguarding.hub.intake.IntakeQueue;
import org.safeguarding.hub.intake.SubmissionOpener;
import org.safeguarding.hub.observe.HubMetrics;
import org.safeguarding.hub.registry.RegistryProjection;
import org.safeguarding.hub.audit.JcaCheckpointSigner;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.ExternalBroker;
import org.safeguarding.hub.broker.HubBroker;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.HttpsApiServer;
import org.safeguarding.hub.http.ManagementServer;
import org.safeguarding.hub.http.TlsMaterial;
import org.safeguarding.hub.intake.ContentBudget;
import org.safeguarding.hub.intake.IntakeGateway;
import org.safeguarding.hub.intake.IntakeRoute;
import org.safeguarding.hub.intake.SubmissionIntake;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.live.PartnershipWatcher;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.routing.DeadLetterRoute;
import org.safeguarding.hub.routing.PackageBuilder;
import org.safeguarding.hub.routing.RoutingRoute;
import org.safeguarding.hub.routing.SubmissionRouter;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The running hub, assembled from its settings: broker, audit store, registry, Camel routes,
 * HTTPS API and management port. Started by {@code ./hub run}, {@code ./hub demo} and the
 * end-to-end tests alike; {@link #close()} stops everything in reverse order.
 */
public final class HubApplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HubApplication.class);
    static final List<String> ROUTES = List.of("intake", "routing", "dead-letters");
    /** How often the broker's open connections are checked against the current CA, CRL and partnership. */
    static final java.time.Duration BROKER_TRUST_SWEEP = java.time.Duration.ofSeconds(15);
    /** Identical broker refusals within this interval are audited once with their count; counts go on this often. */
    static final java.time.Duration BROKER_REFUSAL_INTERVAL = java.time.Duration.ofMinutes(1);
    static final java.time.Duration BROKER_REFUSAL_FLUSH = java.time.Duration.ofSeconds(10);
    /** How long a submission waits for memory to open it in before the partner gets 503 (routing waits longer). */
    static final java.time.Duration INTAKE_CONTENT_WAIT = java.time.Duration.ofSeconds(10);
    static final java.time.Duration ROUTING_CONTENT_WAIT = java.time.Duration.ofSeconds(60);

    private final HubSettings settings;
    private final Clock clock;
    private final List<AutoCloseable> started = new ArrayList<>();
    private TrustValidator trust;
    private volatile String lastTrustProblem;
    private HubBroker broker;
    private java.security.cert.X509Certificate hubCertificate;
    private org.safeguarding.hub.observe.ExpiryWatch expiry;
    private JdbcAuditTrail auditTrail;
    private AuditRecorder audit;
    private SubmissionRegistry registry;
    private org.safeguarding.hub.registry.DecisionFactStore decisionFacts;
    private CamelContext camel;
    private HttpsApiServer https;
    private org.safeguarding.hub.sftp.SftpDropServer sftp;
    private ManagementServer management;
    private LivePartnership partnership;
    private PartnershipWatcher partnershipWatcher;
    private org.safeguarding.hub.links.LinkingKey linkingKey;
    private org.safeguarding.hub.linkstore.LinkStore linkStore;
    /** How often links older than their retention are removed. */
    /** How often new non-delivery reports are written to SFTP partners' /outbound/. */
    /** How often urgent packages past their deadline are looked for. */
    static final java.time.Duration ESCALATION_SWEEP = java.time.Duration.ofMinutes(1);
    static final java.time.Duration NON_DELIVERY_SWEEP = java.time.Duration.ofSeconds(15);
    static final java.time.Duration LINK_RETENTION_SWEEP = java.time.Duration.ofHours(1);
    private org.safeguarding.hub.expiry.PackageExpiry packageExpiry;
    private org.safeguarding.hub.notices.NonDeliveryReports nonDeliveryReports;
    private org.safeguarding.hub.urgency.PackageEscalation packageEscalation;
    private AuditFeed auditFeed;
    private AuditOutbox outbox;
    private IntakeAdmission admission;
    /** Every housekeeping job, added as it is made; started as routes at the end of {@link #startAll}. */
    private final List<org.safeguarding.hub.housekeeping.HousekeepingTask> housekeepingTasks = new ArrayList<>();
    private org.safeguarding.hub.housekeeping.Housekeeping housekeeping;

    private HubApplication(HubSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts a hub; on any failure, what had started is stopped again and the reason thrown. */
    public static HubApplication start(HubSettings settings, Clock clock) {
        HubApplication app = new HubApplication(settings, clock);
        try {
            app.startAll();
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        } catch (Exception e) {
            app.close();
            throw new HubException(ErrorCode.UNAVAILABLE, "the hub did not start: " + e.getMessage(), e);
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(settings.dataDirectory());
        Partnership loaded = PartnershipLoader.load(settings.partnershipFile());
        Identity hub = HubIdentity.load(settings.identity());
        this.hubCertificate = hub.certificate();
        KeyFiles.warnIfReadableByOthers(HubIdentity.isPkcs12(settings.identity().certificate())
                ? settings.identity().certificate() : settings.identity().privateKey());
        partnership = new LivePartnership(loaded, new Pseudonymiser(PseudonymSecret.loadOrCreate(settings.pseudonymKeyFile())));
        FileTrustMaterial trustFiles = new FileTrustMaterial(settings.identity().caCertificates(),
                settings.identity().crl());
        TrustValidator trust = new TrustValidator(trustFiles);
        this.trust = trust;
        expiry = new org.safeguarding.hub.observe.ExpiryWatch(
                expiringDates(hub.certificate(), trustFiles,
                        new CertificateDirectory(settings.identity().participantCertificates(), trust)),
                settings.expiryWarning(), clock);
        AlgorithmPolicy policy = CryptoPolicies.policy(settings.crypto());
        CryptoPolicies.requireOwnKeyAllowed(hub, policy);
        // the hub's RSA encryption certificate, if any, beside its signing one: for partners that encrypt only to RSA
        java.util.Optional<Identity> hubRsa = HubIdentity.loadRsa(settings.identity(), hub);
        hubRsa.ifPresent(r -> CryptoPolicies.requireOwnKeyAllowed(r, policy));
        List<Identity> hubKeys = hubRsa.map(r -> List.of(hub, r)).orElse(List.of(hub));
        EnvelopeOpener opener = new EnvelopeOpener(hubKeys, policy);
        // RSA PKCS#1 v1.5 key transport only for the partners the partnership allows it (SubmissionOpener chooses)
        EnvelopeOpener rsaPkcs1Opener = new EnvelopeOpener(hubKeys, policy.withRsaPkcs1KeyTransport());

        auditTrail = JdbcAuditTrail.open(settings.audit().jdbcUrl(), settings.audit().user(),
                Secrets.read(settings.audit().passwordEnv(), settings.audit().passwordFile(), ""), clock,
                JcaCheckpointSigner.of(hub.privateKey(), hub.certificate().getPublicKey()),
                // no timer of the trail's own: the leader's audit-checkpoint route signs the timed checkpoints
                org.safeguarding.hub.audit.AuditTrailOptions.defaults().withCheckpointInterval(null));
        started.add(auditTrail);
        audit = new AuditRecorder(auditTrail);
        org.safeguarding.hub.auditing.AuditRetention retention = new org.safeguarding.hub.auditing.AuditRetention(
                auditTrail, settings.audit().retention(), clock);
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.clusterOnce("audit-retention",
                org.safeguarding.hub.auditing.AuditRetention.FIRST_AFTER, org.safeguarding.hub.auditing.AuditRetention.EVERY,
                retention::runOnce));
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.clusterOnce("audit-checkpoint",
                settings.audit().checkpointInterval(), settings.audit().checkpointInterval(), auditTrail::checkpoint));

        Path spool = SpoolDirectory.prepare(settings.dataDirectory().resolve("spool"));
        // the embedded H2 file (recovered first if a kill left it unclosed; compacted and closed by the hub at stop,
        // after the routes) or, with registry.jdbcUrl, PostgreSQL
        org.safeguarding.hub.registry.RegistryDatabase registryDb = org.safeguarding.hub.registry.RegistryDatabase
                .open(settings.dataDirectory().resolve("registry"), settings.registry().jdbcUrl(),
                        settings.registry().user(),
                        Secrets.read(settings.registry().passwordEnv(), settings.registry().passwordFile(), ""));
        started.add(registryDb);
        javax.sql.DataSource pool = registryDb.dataSource();
        registry = new SubmissionRegistry(pool, clock);

        List<String> recipients = loaded.participants().stream().filter(p -> p.hasRole(Role.RECIPIENT))
                .map(Participant::id).toList();
        RecordedInboxAcks acks = new RecordedInboxAcks(audit);
        // every broker refusal is audited, repeats once per interval with their count (closed after the broker)
        org.safeguarding.hub.broker.RefusalAggregator brokerRefusals = new org.safeguarding.hub.broker.RefusalAggregator(
                clock, BROKER_REFUSAL_INTERVAL, r -> audit.refused(r.who(), "broker: " + r.detail()));
        started.add(brokerRefusals);
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.nodeLocal("broker-refusals",
                BROKER_REFUSAL_FLUSH, BROKER_REFUSAL_FLUSH, brokerRefusals::flush));
        broker = settings.broker().isEmbedded()
                ? new EmbeddedBroker(settings.broker(), recipients,
                        id -> partnership.partnership().participant(id).isPresent(), brokerRefusals,
                        brokerTls(hub, trust), acks)
                : new ExternalBroker(settings.broker().external(), Secrets.read(settings.broker().external()
                        .passwordEnv(), settings.broker().external().passwordFile(), ""), brokerTls(hub, trust),
                        settings.broker().journalDirectory().resolve("client-tls"), recipients, clock);
        broker.start();
        started.add(broker);
        // an external pair lets in the participants the hub publishes; its acks come back as notices
        broker.publishParticipants(loaded.participants().stream().map(Participant::id).toList());
        if (!settings.broker().isEmbedded()) {
            started.add(org.safeguarding.hub.broker.AckNoticeFeed.start(broker.connectionFactory(), acks));
        }
        // consumers that stay connected lose their connection once their certificate is revoked or they leave
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.nodeLocal("broker-trust",
                BROKER_TRUST_SWEEP, BROKER_TRUST_SWEEP, broker::closeUntrustedConnections));

        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // one writer fills the audit store and the registry from what the steps commit on the broker
        auditFeed = new AuditFeed(broker.connectionFactory(), auditTrail, new RegistryProjection(pool, clock), clock,
                () -> broker.messageCount(QueueNames.AUDIT));
        if (!settings.broker().isEmbedded()) {
            // other nodes share the broker: one feed writes at a time, and tells the others what it applied
            auditFeed.sharingApplied();
        }
        auditFeed.start();
        started.add(auditFeed);
        // pooled transacted sessions for intake and the other steps that commit on their own
        CachingConnectionFactory brokerSessions = new CachingConnectionFactory(broker.connectionFactory());
        brokerSessions.setSessionCacheSize(Math.max(16, settings.http().maxConcurrentSubmissions() + 8));
        started.add(brokerSessions::destroy);
        outbox = new AuditOutbox(brokerSessions, auditFeed);
        camel = new DefaultCamelContext();
        camel.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, metrics);
        camel.addRoutePolicyFactory(new MicrometerRoutePolicyFactory());
        camel.addComponent(JmsComponents.TRANSACTED, JmsComponents.transacted(broker.connectionFactory()));
        // one memory budget for opened content, intake and routing together (a third of the heap)
        ContentBudget contentBudget = ContentBudget.ofHeap();
        expiry.bind(metrics);
        // what will stop sharing if nobody acts: looked at now and every hour, each new warning logged once
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.nodeLocal("expiry-watch",
                java.time.Duration.ZERO, EXPIRY_CHECK, () -> expiry.check()));
        HubMetrics flow = new HubMetrics(metrics).queues(broker, broker::recipients, clock)
                .auditWriter(auditFeed::lagMillis, auditFeed::appliedCount);
        admission = new IntakeAdmission(() -> broker.messageCount(QueueNames.INTAKE), settings.routing().maxBacklog());
        flow.admission(admission::backlog, admission.maxBacklog());
        SubmissionOpener submissions = new SubmissionOpener(opener, rsaPkcs1Opener, trust, partnership);
        SubmissionIntake intake = new SubmissionIntake(submissions, registry, audit, clock,
                settings.http().maxSubmissionBytes(), contentBudget, INTAKE_CONTENT_WAIT, admission);
        IntakeQueue intakeQueue = new IntakeQueue(brokerSessions, intake, audit, auditFeed, AuditFeed.ANSWER_WAIT);
        // contextual links: tokens under a linking key of their own, kept in the registry's database for their retention
        linkingKey = org.safeguarding.hub.links.LinkingKey.loadOrCreate(settings.links().keyDirectory());
        linkStore = new org.safeguarding.hub.linkstore.LinkStore(pool);
        // what routed submissions' decisions turned on, for the IG lead's what-if, under the links' retention
        decisionFacts = new org.safeguarding.hub.registry.DecisionFactStore(pool);
        org.safeguarding.hub.alerts.SubmissionLinks links = new org.safeguarding.hub.alerts.SubmissionLinks(
                linkingKey, new org.safeguarding.hub.alerts.AlertEvaluator(linkStore, new org.safeguarding.hub.alerts.InFlightLinks(clock)),
                json);
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.clusterOnce("link-retention",
                java.time.Duration.ofMinutes(1), LINK_RETENTION_SWEEP, () -> expireLinks(settings.links().retention())));
        // what each package showed its recipient, as keyed group digests, under a key of its own
        org.safeguarding.hub.correction.GroupDigests views = new org.safeguarding.hub.correction.GroupDigests(
                PseudonymSecret.loadOrCreate(settings.pseudonymKeyFile().resolveSibling("group-digest.key")));
        CertificateDirectory certificates = new CertificateDirectory(settings.identity().participantCertificates(), trust);
        CmsSealer sealer = new CmsSealer(policy, CryptoPolicies.sealerOptions(settings.crypto()));
        // every package, alert, recall, update and notice in its recipient's declared package format
        org.safeguarding.hub.sealing.RecipientSealer recipientSealer = new org.safeguarding.hub.sealing.RecipientSealer(
                sealer, CryptoPolicies.packageEncryption(settings.crypto()), hub,
                id -> partnership.partnership().participant(id));
        SubmissionRouter router = new SubmissionRouter(submissions, partnership, certificates, sealer, hub,
                new PackageBuilder(json), audit, clock,
                CryptoPolicies.packageEncryption(settings.crypto()), spool, contentBudget, ROUTING_CONTENT_WAIT,
                flow, registry, links, auditFeed, views);
        camel.addRoutes(new IntakeRoute(intake, intakeQueue));
        camel.addRoutes(new RoutingRoute(router, settings.routing().consumers()));
        camel.addRoutes(new DeadLetterRoute(router));
        camel.addRoutes(new org.safeguarding.hub.webhooks.WebhookRoute(new org.safeguarding.hub.webhooks.WebhookSender(
                registry, sealer, hub, audit, clock, org.safeguarding.hub.webhooks.WebhookSender.tls(hub,
                        org.safeguarding.hub.crypto.Pem.readCertificates(settings.identity().caCertificates())))));
        camel.start();
        started.add(camel);

        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(Math.max(8,
                settings.http().maxConcurrentSubmissions() + 4)));
        started.add(() -> vertx.close().toCompletionStage().toCompletableFuture().get());
        // the one intake port: HTTPS and the SFTP drop hand it a sealed body and the channel's participant
        IntakeGateway intakeGateway = new IntakeGateway(camel.createProducerTemplate(), intake, flow);
        // non-delivery reports: over HTTPS, and written into SFTP partners' /outbound/ by a housekeeping task
        org.safeguarding.hub.notices.NonDeliveryReports nonDelivery = nonDeliveryReports = new org.safeguarding.hub.notices.NonDeliveryReports(
                registry, sealer, hub, clock, settings.sftp().enabled()
                        ? new org.safeguarding.hub.sftp.DropFolders(settings.dataDirectory().resolve("sftp")) : null);
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.nodeLocal("non-delivery-outbound",
                NON_DELIVERY_SWEEP, NON_DELIVERY_SWEEP, () -> {
                    try {
                        nonDelivery.writeOutbound();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
        // withdrawals and corrections, over HTTPS and the SFTP drop alike
        org.safeguarding.hub.withdrawal.SubmissionWithdrawal withdrawals = new org.safeguarding.hub.withdrawal.SubmissionWithdrawal(submissions, partnership,
                        registry, new BrokerInbox(broker.connectionFactory()),
                        new CertificateDirectory(settings.identity().participantCertificates(), trust),
                        new CmsSealer(policy, CryptoPolicies.sealerOptions(settings.crypto())), hub,
                        CryptoPolicies.packageEncryption(settings.crypto()), audit, auditFeed, clock,
                        settings.http().maxSubmissionBytes());
        org.safeguarding.hub.correction.SubmissionCorrection corrections = new org.safeguarding.hub.correction.SubmissionCorrection(submissions, partnership,
                        registry, new BrokerInbox(broker.connectionFactory()), router,
                        new org.safeguarding.hub.notices.HubNotices(certificates, recipientSealer),
                        views, links, audit, auditFeed, clock, settings.http().maxSubmissionBytes());
        HubApiService api = new HubApiService(intakeGateway, partnership,
                registry, new BrokerInbox(broker.connectionFactory()), audit,
                new AuditApi(audit, json, id -> partnership.partnership().participant(id).isPresent()),
                new org.safeguarding.hub.api.ReportsApi(audit, json, clock, settings.audit().unacknowledgedAfter(),
                        settings.audit().retention(), expiry::warnings),
                json, spool, auditFeed, new org.safeguarding.hub.api.SubjectTrace(linkStore, linkingKey, audit, json,
                        clock, settings.links().retention()),
                new org.safeguarding.hub.api.AlertLookup(linkStore, audit, json))
                .withWithdrawals(withdrawals)
                .withNonDeliveryReports(nonDelivery)
                .withWebhooks()
                .withCorrections(corrections)
                .withWhatIf(new org.safeguarding.hub.api.WhatIfApi(decisionFacts, audit, json, clock,
                        settings.links().retention()))
                .withConsole(new org.safeguarding.hub.console.PeopleConsole(json, clock, partnership::partnership));
        packageEscalation = new org.safeguarding.hub.urgency.PackageEscalation(registry, partnership,
                new BrokerInbox(broker.connectionFactory()), new org.safeguarding.hub.notices.HubNotices(certificates,
                recipientSealer), audit, auditFeed, clock);
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.clusterOnce("package-escalation",
                ESCALATION_SWEEP, ESCALATION_SWEEP, packageEscalation::runOnce));
        packageExpiry = new org.safeguarding.hub.expiry.PackageExpiry(registry,
                new BrokerInbox(broker.connectionFactory()), audit, auditFeed, settings.packageExpiry(), clock);
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.clusterOnce("package-expiry",
                settings.packageExpiryScanInterval(), settings.packageExpiryScanInterval(), packageExpiry::runOnce));
        // client certificates refused in the TLS handshake are audited by peer host and fingerprint, repeats once per
        // interval with their count; written off the TLS threads, by one thread of their own
        java.util.concurrent.ExecutorService handshakeAudit = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "https-refusals");
            t.setDaemon(true);
            return t;
        });
        started.add(() -> { // after the aggregator's last counts, before the trail closes
            handshakeAudit.shutdown();
            handshakeAudit.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        });
        org.safeguarding.hub.broker.RefusalAggregator httpsRefusals = new org.safeguarding.hub.broker.RefusalAggregator(
                clock, BROKER_REFUSAL_INTERVAL, r -> handshakeAudit.execute(() -> {
                    try {
                        audit.refused(r.who(), "https: " + r.detail());
                    } catch (RuntimeException e) {
                        LOG.warn("a refused TLS handshake could not be audited: {}", e.getMessage());
                    }
                }));
        started.add(httpsRefusals);
        housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.nodeLocal("https-refusals",
                BROKER_REFUSAL_FLUSH, BROKER_REFUSAL_FLUSH, httpsRefusals::flush));
        https = new HttpsApiServer(vertx, settings.http(), TlsMaterial.keyManager(hub),
                new org.safeguarding.hub.http.HandshakeRefusals(trust.tlsTrustManager(clock), (peer, fingerprint, reason) ->
                        httpsRefusals.refused(new org.safeguarding.hub.broker.BrokerRefusal("unknown", false, peer,
                                fingerprint, "TLS handshake: " + reason, 1))),
                api, spool);
        https.start();
        started.add(https);
        if (settings.sftp().enabled()) {
            sftp = new org.safeguarding.hub.sftp.SftpDropServer(settings.sftp(), settings.dataDirectory().resolve("sftp"),
                    new CertificateDirectory(settings.identity().participantCertificates(), trust),
                    id -> partnership.partnership().participant(id).filter(p -> p.hasRole(Role.PARTNER)).isPresent(),
                    new org.safeguarding.hub.drop.SftpDropIntake(intakeGateway, withdrawals, corrections,
                            https.problemJson()), clock).start();
            started.add(sftp); // closed before the HTTPS API
        }
        management = new ManagementServer(vertx, settings.management(), this::health, this::attention, metrics::scrape,
                new org.safeguarding.hub.observe.OperatorConsole(this::health, this::attention, expiry, metrics, clock,
                        new org.safeguarding.hub.observe.RecentRefusals(audit.trail(), clock,
                                java.time.Duration.ofHours(24), java.time.Duration.ofSeconds(60))));
        management.start();
        started.add(management);
        // Edits of the partnership file take effect while the hub runs; new recipients get their inbox first.
        partnershipWatcher = new PartnershipWatcher(settings.partnershipFile(), partnership, audit,
                next -> {
                    next.recipients().forEach(r -> {
                        broker.ensureInbox(r.id());
                        flow.queue(broker, QueueNames.inbox(r.id()), clock);
                    });
                    broker.publishParticipants(next.participants().stream().map(Participant::id).toList());
                }, clock);
        started.add(partnershipWatcher);
        if (!settings.partnershipReloadInterval().isZero()) { // zero: never looked at while running
            housekeepingTasks.add(org.safeguarding.hub.housekeeping.HousekeepingTask.nodeLocal("partnership-reload",
                    settings.partnershipReloadInterval(), settings.partnershipReloadInterval(), partnershipWatcher::poll));
        }
        // the housekeeping routes: node-local ones now, cluster-once ones while this node leads (stopped first at close)
        String node = nodeName();
        housekeeping = org.safeguarding.hub.housekeeping.Housekeeping.start(camel, housekeepingLock(registryDb, node),
                org.safeguarding.hub.housekeeping.LeadershipTimings.DEFAULT, node, housekeepingTasks, metrics);
        started.add(housekeeping);
        audit.lifecycle(AuditEventType.HUB_STARTED, "configuration=" + loaded.digest());
        LOG.info("hub started: {} participants, {} agreements", loaded.participants().size(),
                loaded.agreements().size());
        listeners().forEach(l -> LOG.info("listening: {}", l));
    }

    /**
     * Each listener, where it is reached and the certificate it presents with its expiry: {@code HTTPS API
     * 0.0.0.0:8443 (https://hub.example.org:8443), certificate CN=hub valid until 2027-11-30T10:00:00Z (362 days)}.
     */
    public List<String> listeners() {
        java.time.Instant until = hubCertificate.getNotAfter().toInstant();
        long days = java.time.Duration.between(clock.instant(), until).toDays();
        String cert = "certificate " + hubCertificate.getSubjectX500Principal().getName() + " valid until " + until
                + " (" + (days < 0 ? "EXPIRED" : days + " days") + ")";
        List<String> out = new java.util.ArrayList<>();
        out.add("HTTPS API " + settings.http().host() + ":" + https.port() + " (" + https.publicBaseUrl()
                + "/api/v1, client certificate required; the people's console at " + https.publicBaseUrl()
                + "/console, with a person's certificate), " + cert);
        if (broker.amqpPort() > 0) {
            out.add("AMQP over TLS " + broker.amqpPort() + " (recipients' consumers, SASL EXTERNAL), " + cert);
        }
        if (broker.corePort() > 0) {
            out.add("CORE over TLS " + broker.corePort() + " (recipients' consumers), " + cert);
        }
        if (sftp != null) {
            out.add("SFTP drop " + settings.sftp().host() + ":" + sftp.port() + " (partners' certificate keys)");
        }
        out.add("management http://" + settings.management().host() + ":" + management.port()
                + "/observe/health, the operator's console at /console (plain HTTP, no content)");
        return out;
    }

    /** How often the expiry watch looks again. */
    static final java.time.Duration EXPIRY_CHECK = java.time.Duration.ofHours(1);

    /**
     * The dates that stop sharing: the hub's certificate, each participant's last current certificate (none: the
     * watch says so), each CRL's nextUpdate, each active agreement's end (the day after its last valid day, UTC).
     */
    private java.util.function.Supplier<List<org.safeguarding.hub.observe.ExpiryWatch.Dated>> expiringDates(
            java.security.cert.X509Certificate hubCert, FileTrustMaterial trustFiles, CertificateDirectory certificates) {
        return () -> {
            java.time.Instant now = clock.instant();
            List<org.safeguarding.hub.observe.ExpiryWatch.Dated> out = new java.util.ArrayList<>();
            out.add(new org.safeguarding.hub.observe.ExpiryWatch.Dated(
                    org.safeguarding.hub.observe.ExpiryWatch.Kind.HUB_CERTIFICATE, "hub", hubCert.getNotAfter().toInstant()));
            for (org.safeguarding.hub.partnership.Participant p : partnership.partnership().participants()) {
                java.time.Instant last = certificates.validCertificates(p.id(), now).stream()
                        .map(c -> c.getNotAfter().toInstant()).max(java.util.Comparator.naturalOrder()).orElse(null);
                out.add(new org.safeguarding.hub.observe.ExpiryWatch.Dated(
                        org.safeguarding.hub.observe.ExpiryWatch.Kind.PARTICIPANT_CERTIFICATE, p.id(), last));
            }
            try {
                for (java.security.cert.X509CRL crl : trustFiles.crls()) {
                    if (crl.getNextUpdate() != null) {
                        out.add(new org.safeguarding.hub.observe.ExpiryWatch.Dated(
                                org.safeguarding.hub.observe.ExpiryWatch.Kind.CRL,
                                crl.getIssuerX500Principal().getName(), crl.getNextUpdate().toInstant()));
                    }
                }
            } catch (RuntimeException e) {
                LOG.debug("the CRL could not be read for the expiry watch: {}", e.toString()); // health's trust says so
            }
            for (org.safeguarding.hub.partnership.Agreement a : partnership.partnership().agreements()) {
                if (a.status() == org.safeguarding.hub.partnership.AgreementStatus.ACTIVE) {
                    out.add(new org.safeguarding.hub.observe.ExpiryWatch.Dated(
                            org.safeguarding.hub.observe.ExpiryWatch.Kind.AGREEMENT, a.id() + " v" + a.version(),
                            a.validTo().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
                }
            }
            return out;
        };
    }

    /** The broker's TLS listeners present the hub's key and trust the partnership CA (and its CRL). */
    private org.safeguarding.hub.broker.BrokerTls brokerTls(Identity hub, TrustValidator trust) {
        FileTrustMaterial ca = new FileTrustMaterial(settings.identity().caCertificates(), settings.identity().crl());
        List<java.security.cert.X509Certificate> trusted = new java.util.ArrayList<>(ca.anchors());
        trusted.addAll(ca.intermediates());
        return new org.safeguarding.hub.broker.BrokerTls(hub, trusted, settings.identity().crl(),
                trust.tlsTrustManager(clock));
    }

    /**
     * Who leads the cluster-once housekeeping: on a shared PostgreSQL registry the session advisory lock
     * {@link org.safeguarding.hub.housekeeping.PostgresAdvisoryLock#HOUSEKEEPING_KEY} on a connection of its own; on a
     * registry of this node's own (the embedded H2 file, an H2 URL) this node.
     */
    private org.safeguarding.hub.housekeeping.LeaderLock housekeepingLock(
            org.safeguarding.hub.registry.RegistryDatabase registryDb, String node) {
        if (!registryDb.isPostgres()) {
            return new org.safeguarding.hub.housekeeping.SoleNodeLock();
        }
        return new org.safeguarding.hub.housekeeping.PostgresAdvisoryLock(settings.registry().jdbcUrl(),
                settings.registry().user(),
                Secrets.read(settings.registry().passwordEnv(), settings.registry().passwordFile(), ""),
                org.safeguarding.hub.housekeeping.PostgresAdvisoryLock.HOUSEKEEPING_KEY,
                org.safeguarding.hub.housekeeping.LeadershipTimings.DEFAULT, node);
    }

    /** This node in logs, health and metrics: its host name and process id ({@code hub-a-4711}). */
    static String nodeName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "hub";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /**
     * What needs attention beside {@link #health()}, shown with it on {@code /observe/health} and the operator's
     * console: the expiry watch's warnings, this node's housekeeping role ({@code housekeeping}: {@code LEADER} or
     * {@code STANDBY}) and each cluster-once route's state ({@code housekeeping:<id>}).
     */
    public Map<String, String> attention() {
        Map<String, String> a = new LinkedHashMap<>(expiry == null ? Map.of() : expiry.health());
        if (housekeeping != null) {
            a.putAll(housekeeping.status());
        }
        return a;
    }

    /** The components that must be up for the hub to be healthy. */
    public Map<String, Boolean> health() {
        Map<String, Boolean> h = new LinkedHashMap<>();
        h.put("broker", broker != null && broker.isActive());
        h.put("auditStore", auditTrail != null && auditTrail.healthy());
        h.put("auditFeed", auditFeed != null && auditFeed.healthy());
        h.put("registry", registry != null && registry.healthy());
        // the CA and CRL files readable and every CRL current: otherwise no identity can be trusted
        h.put("trust", trust != null && trustProblem() == null);
        for (String id : ROUTES) {
            ServiceStatus s = camel == null ? null : camel.getRouteController().getRouteStatus(id);
            h.put("route:" + id, s != null && s.isStarted());
        }
        if (housekeeping != null) { // each housekeeping route in the state this node's role wants
            housekeeping.health(h);
        }
        return h;
    }

    private String trustProblem() {
        String problem = trust.problem(clock.instant());
        if (problem != null && !problem.equals(lastTrustProblem)) {
            LOG.error("no identity can be trusted now: {}; fix identity.caCertificates / identity.crl", problem);
        }
        lastTrustProblem = problem;
        return problem;
    }

    public int httpsPort() {
        return https.port();
    }

    /** The SFTP drop's port, or -1 when it is off. */
    public int sftpPort() {
        return sftp == null ? -1 : sftp.port();
    }

    public int managementPort() {
        return management.port();
    }

    public HubSettings settings() {
        return settings;
    }

    public CamelContext camel() {
        return camel;
    }

    public HubBroker broker() {
        return broker;
    }

    public JdbcAuditTrail auditTrail() {
        return auditTrail;
    }

    /** The writer that fills the audit store and the registry from the broker's audit queue. */
    public AuditFeed auditFeed() {
        return auditFeed;
    }

    public SubmissionRegistry registry() {
        return registry;
    }

    /** Expires packages left unacknowledged longer than {@code packageExpiry}; {@code runOnce()} looks at once. */
    public org.safeguarding.hub.expiry.PackageExpiry packageExpiry() {
        return packageExpiry;
    }

    /** The escalation of urgent packages unacknowledged past their deadline. */
    public org.safeguarding.hub.urgency.PackageEscalation packageEscalation() {
        return packageEscalation;
    }

    /** The partners' non-delivery reports (HTTPS pages, SFTP /outbound/ files). */
    public org.safeguarding.hub.notices.NonDeliveryReports nonDeliveryReports() {
        return nonDeliveryReports;
    }

    /** Puts edits of the partnership file into force; {@code checkNow()} looks at once. */
    /** Removes the links (and alerts left with no member) older than the retention, in batches. */
    private void expireLinks(java.time.Duration retention) {
        java.time.Instant cutoff = clock.instant().minus(retention);
        int removed;
        int total = 0;
        do {
            removed = linkStore.expire(cutoff, 5_000);
            total += removed;
        } while (removed > 0);
        int facts = decisionFacts.expire(cutoff);
        if (facts > 0) {
            LOG.info("link retention: {} submissions' decision facts older than {} removed", facts, retention);
        }
        if (total > 0) {
            LOG.info("link retention: {} submissions' links older than {} removed", total, retention);
        }
    }

    /** The link store (identifiers and tokens only). */
    public org.safeguarding.hub.linkstore.LinkStore linkStore() {
        return linkStore;
    }

    /** The linking keys (current first), for the subject trace's look-ups. */
    public org.safeguarding.hub.links.LinkingKey linkingKey() {
        return linkingKey;
    }

    /** The housekeeping routes and this node's part in them (leader or standby). */
    public org.safeguarding.hub.housekeeping.Housekeeping housekeeping() {
        return housekeeping;
    }

    public PartnershipWatcher partnershipWatcher() {
        return partnershipWatcher;
    }

    @Override
    public synchronized void close() {
        if (audit != null && auditTrail != null && auditTrail.healthy()) {
            try {
                audit.lifecycle(AuditEventType.HUB_STOPPED, "shutdown");
            } catch (RuntimeException e) {
                LOG.warn("could not record the shutdown: {}", e.toString());
            }
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
