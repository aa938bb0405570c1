package org.safeguarding.hub.broker;

import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.CertificateUtil;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.TlsMaterial;
import org.safeguarding.hub.settings.HubSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Artemis broker embedded in the hub: a persistent journal under the data directory,
 * security on, one durable inbox per recipient, and a dead-letter address with redelivery
 * back-off on every address so that nothing is dropped after the last delivery attempt.
 */
public final class EmbeddedBroker implements HubBroker {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final String AMQP_ACCEPTOR = "amqps";
    private static final String CORE_ACCEPTOR = "core-tls";
    /** Each broker in this JVM has its own in-VM server id, so that two hubs (in tests) never share one. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_SERVER_ID = new java.util.concurrent.atomic.AtomicInteger();

    private final HubSettings.Broker settings;
    private final Set<String> recipients;
    private final Predicate<String> knownParticipant;
    private final BrokerAccessListener listener;
    private final String hubSecret;
    private final String inVm = "vm://" + NEXT_SERVER_ID.getAndIncrement();
    private final BrokerTls tls;
    private HubSecurityManager securityManager;
    private final InboxAckListener ackListener;
    private EmbeddedActiveMQ server;
    private BrokerKeyStores keyStores;
    private int amqpPort = -1;
    private int corePort = -1;

    /** A broker for the hub's own in-VM connections only: no network acceptor whatever the ports say. */
    public EmbeddedBroker(HubSettings.Broker settings, Collection<String> recipients,
                          Predicate<String> knownParticipant, BrokerAccessListener listener) {
        this(settings, recipients, knownParticipant, listener, null, InboxAckListener.NONE);
    }

    /**
     * A broker that also listens, with {@code tls}, for recipients' own consumers: AMQP on
     * {@code settings.amqpPort()} and CORE on {@code settings.corePort()} (0: a free port; -1: none).
     * {@code ackListener} is told of every package such a consumer takes from its inbox.
     */
    public EmbeddedBroker(HubSettings.Broker settings, Collection<String> recipients,
                          Predicate<String> knownParticipant, BrokerAccessListener listener,
                          BrokerTls tls, InboxAckListener ackListener) {
        this.settings = settings;
        this.tls = tls;
        this.ackListener = ackListener == null ? InboxAckListener.NONE : ackListener;
        this.recipients = ConcurrentHashMap.newKeySet();
        this.recipients.addAll(recipients);
        this.knownParticipant = knownParticipant;
        this.listener = listener;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.hubSecret = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            InboxOnlySessions guard = new InboxOnlySessions(listener);
            EmbeddedActiveMQ s = new EmbeddedActiveMQ() {
                @Override
                public void createActiveMQServer() {
                    // participants' sessions are guarded; no broker.xml or broker.properties is read from the classpath
                    if (activeMQServer == null) {
                        activeMQServer = new GuardedServer(configuration, securityManager, guard);
                    }
                }
            };
            Configuration config = configuration();
            addTlsAcceptors(config);
            config.registerBrokerPlugin(new RemoteAckPlugin(ackListener));
            s.setConfiguration(config);
            securityManager = new HubSecurityManager(hubSecret, knownParticipant, listener,
                    tls == null ? null : tls.liveTrust());
            s.setSecurityManager(securityManager);
            s.createActiveMQServer();
            AtomicReference<Exception> activationFailure = new AtomicReference<>();
            s.getActiveMQServer().registerActivationFailureListener(activationFailure::set);
            s.start();
            String notListening = notListening(s.getActiveMQServer(), activationFailure.get());
            if (notListening != null) {
                // Artemis logs the failure and runs on without the listener: the hub does not
                stopQuietly(s);
                deleteKeyStores();
                throw new HubException(ErrorCode.UNAVAILABLE, notListening);
            }
            server = s;
            LOG.info("broker started, journal in {}", settings.journalDirectory());
            if (amqpPort > 0 || corePort > 0) {
                LOG.info("broker listens for recipients' consumers over TLS: AMQP on {}, CORE on {} (-1: off)",
                        amqpPort, corePort);
            }
        } catch (HubException e) {
            throw e;
        } catch (Exception e) {
            deleteKeyStores();
            throw new HubException(ErrorCode.UNAVAILABLE, "the embedded broker did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Why the broker is not serving as configured, or null: a TLS listener that did not start (its port taken, most
     * often), or an activation that failed. One sentence, naming the port.
     */
    private String notListening(ActiveMQServer s, Exception activationFailure) {
        String[][] listeners = {{AMQP_ACCEPTOR, String.valueOf(amqpPort), "AMQP over TLS"},
                {CORE_ACCEPTOR, String.valueOf(corePort), "CORE over TLS"}};
        String[] silent = null;
        for (String[] l : listeners) {
            if (Integer.parseInt(l[1]) <= 0 || listening(s, l[0])) {
                continue;
            }
            // Artemis stops at the first acceptor that fails: name that one, not one it never tried
            if (silent == null || names(activationFailure, l[0])) {
                silent = l;
            }
        }
        if (silent != null) {
            return "the broker cannot listen on port " + silent[1] + " (" + silent[2] + "): "
                    + bindFailure(activationFailure);
        }
        if (!s.isActive()) {
            return "the embedded broker did not start: "
                    + (activationFailure == null ? "it is not active" : rootMessage(activationFailure));
        }
        return null;
    }

    /** Whether the named acceptor has its socket bound (Artemis calls an acceptor started before it binds). */
    private static boolean listening(ActiveMQServer s, String acceptor) {
        var a = s.getRemotingService() == null ? null : s.getRemotingService().getAcceptor(acceptor);
        return a instanceof org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor netty
                ? a.isStarted() && netty.getActualPort() > 0 : a != null && a.isStarted();
    }

    private static boolean names(Throwable failure, String acceptor) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("acceptor " + acceptor + " ")) {
                return true;
            }
        }
        return false;
    }

    private static String bindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return "address in use";
            }
        }
        return failure == null ? "the listener did not start" : rootMessage(failure);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static void stopQuietly(EmbeddedActiveMQ s) {
        try {
            s.stop();
        } catch (Exception e) {
            LOG.warn("the broker that could not listen did not stop cleanly: {}", e.toString());
        }
    }

    Configuration configuration() throws Exception {
        Path dir = settings.journalDirectory();
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("hub-broker");
        c.setPersistenceEnabled(true);
        c.setJournalType(JournalType.NIO);
        c.setJournalDirectory(dir.resolve("journal").toString());
        c.setBindingsDirectory(dir.resolve("bindings").toString());
        c.setPagingDirectory(dir.resolve("paging").toString());
        c.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        c.setNodeManagerLockDirectory(dir.toString());
        // Acknowledge a partner only when its submission is on disk.
        c.setJournalSyncTransactional(true);
        c.setJournalSyncNonTransactional(true);
        c.setPersistIDCache(true);
        c.setIDCacheSize(100_000);
        c.setSecurityEnabled(true);
        // every session is authenticated afresh: a revoked certificate must not ride on a cached success
        c.setAuthenticationCacheSize(0);
        c.setJMXManagementEnabled(false);
        // Wait for clients to finish, but never forever: a stop must complete.
        c.setGracefulShutdownEnabled(true);
        c.setGracefulShutdownTimeout(10_000);
        c.setMessageExpiryScanPeriod(30_000);
        c.addAcceptorConfiguration("in-vm", inVm);

        AddressSettings defaults = new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(QueueNames.DEAD_LETTER))
                .setExpiryAddress(SimpleString.of(QueueNames.EXPIRY))
                .setMaxDeliveryAttempts(settings.maxDeliveryAttempts())
                .setRedeliveryDelay(settings.redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(settings.maxRedeliveryDelay().toMillis())
                .setAutoCreateAddresses(false)
                .setAutoCreateQueues(false)
                .setAutoCreateDeadLetterResources(false)
                .setAutoCreateExpiryResources(false)
                .setMaxSizeBytes(256L * 1024 * 1024)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE);
        c.addAddressSetting("#", defaults);
        // The dead-letter and expiry queues keep what reaches them: no further redelivery loop.
        c.addAddressSetting(QueueNames.DEAD_LETTER, new AddressSettings().setMaxDeliveryAttempts(-1));
        c.addAddressSetting(QueueNames.EXPIRY, new AddressSettings().setMaxDeliveryAttempts(-1));
        // what a step recorded waits until the audit store and the registry take it, however long they are away
        c.addAddressSetting(QueueNames.AUDIT, new AddressSettings().setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(settings.redeliveryDelay().toMillis()));
        // a webhook notice is tried again with back-off; its sender gives up (audited) after its own last attempt
        c.addAddressSetting(QueueNames.WEBHOOK, new AddressSettings().setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(Math.max(100, settings.redeliveryDelay().toMillis())).setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(java.time.Duration.ofMinutes(5).toMillis()));

        for (String q : hubQueues()) {
            // the audit queue has one consumer at a time (one writer, in order), however many feeds wait on it
            c.addQueueConfiguration(queue(q).setExclusive(QueueNames.AUDIT.equals(q)));
        }
        c.addAddressConfiguration(new org.apache.activemq.artemis.core.config.CoreAddressConfiguration()
                .setName(QueueNames.APPLIED).addRoutingType(RoutingType.MULTICAST));
        c.putSecurityRoles("#", Set.of(hubRole()));
        for (String r : recipients) {
            c.addQueueConfiguration(queue(QueueNames.inbox(r)));
            c.putSecurityRoles(QueueNames.inbox(r), inboxRoles(r));
        }
        return c;
    }

    /**
     * AMQP and CORE acceptors for recipients' own consumers: TLS 1.2/1.3 with AEAD suites only (those of
     * {@link TlsMaterial#CIPHER_SUITES}, as the HTTPS API), a client
     * certificate chaining to the partnership CA required in the handshake (the CRL honoured),
     * and for AMQP only SASL EXTERNAL, so the broker user is the certificate's CN.
     */
    private void addTlsAcceptors(Configuration c) throws Exception {
        amqpPort = resolvePort(settings.amqpPort());
        corePort = resolvePort(settings.corePort());
        if (amqpPort < 0 && corePort < 0) {
            return;
        }
        keyStores = BrokerKeyStores.write(settings.journalDirectory().resolve("tls"), tls);
        // the acceptors' context: the hub's key and live trust check, each refused certificate reported
        ObservedHandshakes.register(keyStores.trustStore(), tls, listener);
        if (amqpPort > 0) {
            Map<String, Object> p = tlsParams(amqpPort, "AMQP");
            p.put("saslMechanisms", "EXTERNAL");
            c.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(), p,
                    AMQP_ACCEPTOR));
        }
        if (corePort > 0) {
            c.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(),
                    tlsParams(corePort, "CORE"), CORE_ACCEPTOR));
        }
    }

    /** -1 (or no TLS material): no acceptor; 0: a free port now; otherwise the port. */
    private int resolvePort(int configured) throws java.io.IOException {
        if (configured < 0 || tls == null) {
            return -1;
        }
        if (configured > 0) {
            return configured;
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Map<String, Object> tlsParams(int port, String protocol) {
        Map<String, Object> p = new HashMap<>();
        p.put(TransportConstants.HOST_PROP_NAME, "0.0.0.0");
        p.put(TransportConstants.PORT_PROP_NAME, port);
        p.put(TransportConstants.PROTOCOLS_PROP_NAME, protocol);
        p.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
        p.put(TransportConstants.NEED_CLIENT_AUTH_PROP_NAME, true);
        p.put(TransportConstants.ENABLED_PROTOCOLS_PROP_NAME, String.join(",", TlsMaterial.PROTOCOLS));
        p.put(TransportConstants.ENABLED_CIPHER_SUITES_PROP_NAME, String.join(",", TlsMaterial.CIPHER_SUITES));
        p.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, keyStores.keyStore().toString());
        // the password by reference only: Artemis prints these parameters whole when an acceptor cannot start
        p.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, keyStores.maskedPassword());
        p.put(org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration.getPropPasswordCodec(),
                KeyStorePasswordCodec.class.getName());
        p.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, BrokerKeyStores.TYPE);
        p.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, keyStores.trustStore().toString());
        p.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, keyStores.maskedPassword());
        p.put(TransportConstants.TRUSTSTORE_TYPE_PROP_NAME, BrokerKeyStores.TYPE);
        if (tls.crl() != null) {
            p.put(TransportConstants.CRL_PATH_PROP_NAME, tls.crl().toString());
        }
        return p;
    }

    /**
     * Closes every participant's connection whose certificate no longer passes the hub's trust check (revoked, expired,
     * or its CA gone) or whose participant has left the partnership; each is reported as a refusal. The TLS handshake
     * and each new session are checked anyway: this reaches consumers that stay connected. Returns how many it closed.
     */
    @Override
    public synchronized int closeUntrustedConnections() {
        if (server == null || securityManager == null) {
            return 0;
        }
        var remoting = server.getActiveMQServer().getRemotingService();
        int closed = 0;
        for (RemotingConnection connection : remoting.getConnections()) {
            X509Certificate[] certs = CertificateUtil.getCertsFromConnection(connection);
            if (certs == null || certs.length == 0) {
                continue;
            }
            String refusal = securityManager.refusal(certs, true);
            if (refusal != null) {
                String cn = Certificates.commonName(certs[0]);
                PeerIdentity peer = PeerIdentity.of(connection);
                remoting.removeConnection(connection.getID());
                connection.fail(new ActiveMQSecurityException("the broker closed this connection: " + refusal));
                listener.refused(peer.refusal(cn, false, "connection closed: " + refusal));
                LOG.warn("broker closed a connection of {}: {}", cn, refusal);
                closed++;
            }
        }
        return closed;
    }

    /** The AMQP over TLS port, or -1 when there is none (after start). */
    @Override
    public synchronized int amqpPort() {
        return amqpPort;
    }

    /** The CORE over TLS port, or -1 when there is none (after start). */
    @Override
    public synchronized int corePort() {
        return corePort;
    }

    private void deleteKeyStores() {
        if (keyStores != null) {
            ObservedHandshakes.unregister(keyStores.trustStore());
            keyStores.delete();
            keyStores = null;
        }
    }

    private static Role hubRole() {
        return new Role(HubSecurityManager.HUB_USER, true, true, true, true, true, true, true, true, true, true,
                true, true);
    }

    /** The hub may do anything on an inbox; its recipient may consume and browse it, nothing else. */
    private static Set<Role> inboxRoles(String recipientId) {
        Role own = new Role(recipientId, false, true, false, false, false, false, false, true, false, false, false,
                false);
        return Set.of(hubRole(), own);
    }

    /**
     * Gives a recipient added to the partnership while the hub runs its durable inbox and the
     * inbox's security roles, as at start-up. Does nothing more when the inbox exists already.
     *
     * @throws HubException UNAVAILABLE when the broker is not running or refuses to create the queue
     */
    @Override
    public synchronized void ensureInbox(String recipientId) {
        if (server == null) {
            throw new HubException(ErrorCode.UNAVAILABLE, "the embedded broker is not running");
        }
        if (recipientId == null || !recipientId.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            // a participant id of the partnership: never a broker wildcard or a path of addresses
            throw new IllegalArgumentException("not a participant id");
        }
        String name = QueueNames.inbox(recipientId);
        ActiveMQServer s = server.getActiveMQServer();
        try {
            s.getSecurityRepository().addMatch(name, inboxRoles(recipientId));
            if (s.locateQueue(SimpleString.of(name)) == null) {
                s.createQueue(queue(name).setAutoCreateAddress(true));
                LOG.info("broker: created the inbox of new recipient {}", recipientId);
            }
        } catch (Exception e) {
            throw new HubException(ErrorCode.UNAVAILABLE,
                    "the broker could not create the inbox of recipient " + recipientId + ": " + e.getMessage(), e);
        }
        recipients.add(recipientId);
    }

    /** The security roles that apply to an address (for tests). */
    synchronized Set<Role> securityRoles(String address) {
        return server == null ? Set.of() : server.getActiveMQServer().getSecurityRepository().getMatch(address);
    }

    private static List<String> hubQueues() {
        return List.of(QueueNames.INTAKE, QueueNames.AUDIT, QueueNames.QUARANTINE, QueueNames.DEAD_LETTER,
                QueueNames.EXPIRY, QueueNames.WEBHOOK);
    }

    private static QueueConfiguration queue(String name) {
        return QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST).setDurable(true);
    }

    /** This broker's in-VM address. */
    String inVmUrl() {
        return inVm;
    }

    /** A connection factory for the hub's own in-VM connections. */
    @Override
    public ConnectionFactory connectionFactory() {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(inVm, HubSecurityManager.HUB_USER, hubSecret);
        cf.setBlockOnDurableSend(true);
        cf.setBlockOnAcknowledge(true);
        return cf;
    }

    /** Recipients that have an inbox on this broker. */
    @Override
    public Set<String> recipients() {
        return new HashSet<>(recipients);
    }

    @Override
    public synchronized boolean isActive() {
        return server != null && server.getActiveMQServer() != null && server.getActiveMQServer().isActive();
    }

    /** Messages waiting on a queue, or -1 if the queue does not exist. */
    @Override
    public long messageCount(String queue) {
        var q = server == null ? null : server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? -1 : q.getMessageCount();
    }

    /**
     * How long the oldest message on a queue has waited, in milliseconds at {@code nowMillis} (0 when the queue is
     * empty or unknown). Read from the broker's own queue, not a browser: its head, delivering or not.
     */
    @Override
    public long oldestMessageAgeMillis(String queue, long nowMillis) {
        var q = server == null ? null : server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        if (q == null) {
            return 0;
        }
        var first = q.peekFirstMessage();
        if (first == null || first.getMessage() == null) {
            return 0;
        }
        return Math.max(0, nowMillis - first.getMessage().getTimestamp());
    }

    /**
     * Stops as a crash would, for tests of what a crash leaves: no client is waited for and no open transaction is
     * committed (the journal discards it when the broker starts again on it).
     */
    public synchronized void stopAbruptly() {
        if (server == null) {
            return;
        }
        try {
            server.getActiveMQServer().fail(false);
        } catch (Exception e) {
            LOG.warn("broker did not stop: {}", e.toString());
        } finally {
            server = null;
            deleteKeyStores();
        }
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
            LOG.info("broker stopped");
        } catch (Exception e) {
            LOG.warn("broker did not stop cleanly: {}", e.toString());
        } finally {
            server = null;
            deleteKeyStores();
        }
    }

}
