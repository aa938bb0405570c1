package org.safeguarding.hub.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.JMSFactoryType;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.TlsMaterial;
import org.safeguarding.hub.settings.HubSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub as a client of an external Artemis live/backup pair ({@code broker.urls} in hub.yaml). CORE over TLS only
 * (the hub's identity as client certificate, the partnership CA as trust; key and trust store files written afresh
 * under a random password held in memory and named to Artemis by reference only, as {@link EmbeddedBroker} does), the
 * hub's broker user and password (never in a URL, never logged). The connection factory fails over between the pair
 * ({@code ha=true}, reconnect forever, durable sends and acknowledgements blocking, calls bounded by
 * {@code broker.callTimeout}); each URL's {@code name=} matches the broker's own connector name, so the client keeps
 * its own TLS settings for the node the topology names. Queue depth and age come from Artemis management, kept for
 * {@link #CACHE_MILLIS} (intake admission asks at every submission); inboxes are created through management,
 * idempotently. What the embedded broker does inside the hub for recipients' consumers (session guard, ack records,
 * revocation sweep) the brokers do themselves with the plugin classes ({@link ParticipantSecurityManager},
 * {@link AckNoticePlugin}, {@link ParticipantSweepPlugin}); the hub publishes the participants they let in.
 */
public final class ExternalBroker implements HubBroker {
    static final long CACHE_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ExternalBroker.class);
    private static final String MANAGEMENT = ActiveMQDefaultConfiguration.getDefaultManagementAddress().toString();

    private final HubSettings.External settings;
    private final String password;
    private final BrokerTls tls;
    private final Path tlsDirectory;
    private final Clock clock;
    private final Set<String> recipients = ConcurrentHashMap.newKeySet();
    private final Map<String, long[]> cache = new ConcurrentHashMap<>();
    private final java.util.concurrent.locks.ReentrantLock asking = new java.util.concurrent.locks.ReentrantLock();
    private BrokerKeyStores keyStores;
    private ActiveMQConnectionFactory connectionFactory;
    private ServerLocator locator;
    private ClientSessionFactory managementFactory;
    private ClientSession managementSession;
    private ClientRequestor requestor;

    /**
     * @param password     the hub's broker password (from {@code broker.passwordEnv} or {@code broker.passwordFile})
     * @param tlsDirectory where the key and trust store files live while the hub runs (owner-only)
     */
    public ExternalBroker(HubSettings.External settings, String password, BrokerTls tls, Path tlsDirectory,
                          Collection<String> recipients, Clock clock) {
        if (password == null || password.isEmpty()) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "the hub's broker password is empty");
        }
        this.settings = settings;
        this.password = password;
        this.tls = tls;
        this.tlsDirectory = tlsDirectory;
        this.clock = clock;
        this.recipients.addAll(recipients);
    }

    @Override
    public synchronized void start() {
        if (connectionFactory != null) {
            return;
        }
        try {
            keyStores = BrokerKeyStores.write(tlsDirectory, tls);
            TransportConfiguration[] transports = transports();
            ActiveMQConnectionFactory cf = ActiveMQJMSClient.createConnectionFactoryWithHA(JMSFactoryType.CF,
                    transports);
            cf.setUser(settings.user());
            cf.setPassword(password);
            configure(cf.getServerLocator());
            connectionFactory = cf;
            locator = ActiveMQClient.createServerLocatorWithHA(transports);
            configure(locator);
            management(); // connects now: a wrong password or an unreachable pair stops the hub at start
            for (String r : Set.copyOf(recipients)) {
                ensureInbox(r);
            }
            LOG.info("hub connected to the external broker pair at {}", settings.urls());
        } catch (HubException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new HubException(ErrorCode.UNAVAILABLE, "the hub could not connect to the broker pair "
                    + settings.urls() + ": " + rootMessage(e), e);
        }
    }

    private void configure(ServerLocator l) {
        long timeout = settings.callTimeout().toMillis();
        l.setReconnectAttempts(-1);
        l.setInitialConnectAttempts(3);
        l.setRetryInterval(200);
        l.setRetryIntervalMultiplier(2.0);
        l.setMaxRetryInterval(2000);
        l.setBlockOnDurableSend(true);
        l.setBlockOnAcknowledge(true);
        l.setCallTimeout(timeout);
        l.setCallFailoverTimeout(timeout);
        l.setClientFailureCheckPeriod(5000);
        l.setConnectionTTL(15_000);
    }

    private TransportConfiguration[] transports() {
        List<String> urls = settings.urls();
        TransportConfiguration[] out = new TransportConfiguration[urls.size()];
        for (int i = 0; i < urls.size(); i++) {
            URI u = URI.create(urls.get(i));
            String name = u.getQuery() != null && u.getQuery().startsWith("name=") ? u.getQuery().substring(5)
                    : u.getHost() + ":" + u.getPort();
            Map<String, Object> p = new HashMap<>();
            p.put(TransportConstants.HOST_PROP_NAME, u.getHost());
            p.put(TransportConstants.PORT_PROP_NAME, u.getPort());
            p.put(TransportConstants.SSL_ENABLED_PROP_NAME, true);
            p.put(TransportConstants.ENABLED_PROTOCOLS_PROP_NAME, String.join(",", TlsMaterial.PROTOCOLS));
            p.put(TransportConstants.KEYSTORE_PATH_PROP_NAME, keyStores.keyStore().toString());
            p.put(TransportConstants.KEYSTORE_TYPE_PROP_NAME, BrokerKeyStores.TYPE);
            // by reference only: Artemis logs a connector's parameters when it cannot connect
            p.put(TransportConstants.KEYSTORE_PASSWORD_PROP_NAME, keyStores.maskedPassword());
            p.put(TransportConstants.TRUSTSTORE_PATH_PROP_NAME, keyStores.trustStore().toString());
            p.put(TransportConstants.TRUSTSTORE_TYPE_PROP_NAME, BrokerKeyStores.TYPE);
            p.put(TransportConstants.TRUSTSTORE_PASSWORD_PROP_NAME, keyStores.maskedPassword());
            p.put(ActiveMQDefaultConfiguration.getPropPasswordCodec(), KeyStorePasswordCodec.class.getName());
            out[i] = new TransportConfiguration(NettyConnectorFactory.class.getName(), p, name);
        }
        return out;
    }

    /** The management requestor, connecting (again) if needed. */
    private synchronized ClientRequestor management() throws Exception {
        if (requestor != null && managementSession != null && !managementSession.isClosed()) {
            return requestor;
        }
        closeManagement();
        managementFactory = locator.createSessionFactory();
        managementSession = managementFactory.createSession(settings.user(), password, false, true, true, false,
                locator.getAckBatchSize());
        managementSession.start();
        requestor = new ClientRequestor(managementSession, MANAGEMENT);
        return requestor;
    }

    private synchronized void closeManagement() {
        try {
            if (requestor != null) {
                requestor.close();
            }
        } catch (Exception ignored) {
            // being replaced
        }
        try {
            if (managementSession != null) {
                managementSession.close();
            }
        } catch (Exception ignored) {
            // being replaced
        }
        if (managementFactory != null) {
            managementFactory.close();
        }
        requestor = null;
        managementSession = null;
        managementFactory = null;
    }

    /** One management request; after a failure (a failover) once more on a fresh session. */
    private synchronized Object manage(String resource, String attribute, String operation, Object... args)
            throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                ClientRequestor r = management();
                ClientMessage m = managementSession.createMessage(false);
                if (operation == null) {
                    ManagementHelper.putAttribute(m, resource, attribute);
                } else {
                    ManagementHelper.putOperationInvocation(m, resource, operation, args);
                }
                ClientMessage reply = r.request(m, settings.callTimeout().toMillis());
                if (reply == null) {
                    throw new HubException(ErrorCode.UNAVAILABLE, "the broker did not answer a management call");
                }
                if (!ManagementHelper.hasOperationSucceeded(reply)) {
                    throw new ManagementRefused(String.valueOf(ManagementHelper.getResult(reply)));
                }
                return ManagementHelper.getResult(reply);
            } catch (ManagementRefused e) {
                throw e;
            } catch (Exception e) {
                last = e;
                closeManagement();
            }
        }
        throw last;
    }

    /** The broker answered, and said no (an unknown queue, most often). */
    private static final class ManagementRefused extends Exception {
        ManagementRefused(String message) {
            super(message);
        }
    }

    /** One attribute of the broker the hub is connected to now ({@code replicaSync}, {@code active}, ...). */
    Object brokerAttribute(String attribute) throws Exception {
        return manage(ResourceNames.BROKER, attribute, null);
    }

    @Override
    public ConnectionFactory connectionFactory() {
        ActiveMQConnectionFactory cf = connectionFactory;
        if (cf == null) {
            throw new HubException(ErrorCode.UNAVAILABLE, "the hub is not connected to its broker pair");
        }
        return cf;
    }

    @Override
    public long messageCount(String queue) {
        return cached("count|" + queue, () -> {
            Object v = manage(ResourceNames.QUEUE + queue, "messageCount", null);
            return v instanceof Number n ? n.longValue() : -1;
        }, -1);
    }

    @Override
    public long oldestMessageAgeMillis(String queue, long nowMillis) {
        long timestamp = cached("first|" + queue, () -> {
            Object v = manage(ResourceNames.QUEUE + queue, "firstMessageTimestamp", null);
            return v instanceof Number n ? n.longValue() : 0;
        }, 0);
        return timestamp <= 0 ? 0 : Math.max(0, nowMillis - timestamp);
    }

    interface Query {
        long ask() throws Exception;
    }

    /**
     * The answer kept for {@code key} if younger than {@link #CACHE_MILLIS}; else asks. While another thread is asking
     * (a failover can hold a management call for {@code broker.callTimeout}), a caller with an older answer gets that
     * rather than waiting: intake admission must not stall on a metric.
     */
    private long cached(String key, Query query, long unknown) {
        long now = clock.millis();
        long[] hit = cache.get(key);
        if (hit != null && now - hit[1] < CACHE_MILLIS && now >= hit[1]) {
            return hit[0];
        }
        if (hit != null && !asking.tryLock()) {
            return hit[0];
        }
        if (hit == null) {
            asking.lock();
        }
        try {
            long value;
            try {
                value = query.ask();
            } catch (ManagementRefused e) {
                value = unknown;
            } catch (Exception e) {
                LOG.warn("broker management call failed: {}", rootMessage(e));
                return hit == null ? unknown : hit[0];
            }
            cache.put(key, new long[] {value, now});
            return value;
        } finally {
            asking.unlock();
        }
    }

    @Override
    public void ensureInbox(String recipientId) {
        if (recipientId == null || !recipientId.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("not a participant id");
        }
        String name = QueueNames.inbox(recipientId);
        String json = QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true).setAutoCreateAddress(true).toJSON();
        try {
            manage(ResourceNames.BROKER, null, "createQueue", json, true);
        } catch (Exception e) {
            throw new HubException(ErrorCode.UNAVAILABLE,
                    "the broker could not create the inbox of recipient " + recipientId + ": " + rootMessage(e), e);
        }
        recipients.add(recipientId);
    }

    /**
     * Publishes the participant ids as the one last-value message of {@link QueueNames#PARTICIPANTS}, durably: the
     * brokers' security manager and sweep let in exactly these.
     */
    @Override
    public void publishParticipants(Collection<String> participantIds) {
        try (Connection c = connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createQueue(QueueNames.PARTICIPANTS))) {
            TextMessage m = s.createTextMessage("");
            m.setStringProperty(QueueNames.LAST_VALUE_KEY, QueueNames.PARTICIPANTS_KEY);
            m.setStringProperty(QueueNames.PARTICIPANT_IDS, String.join(",", new TreeSet<>(participantIds)));
            p.send(m, DeliveryMode.PERSISTENT, 4, 0);
        } catch (JMSException e) {
            throw new HubException(ErrorCode.UNAVAILABLE, "the hub could not publish the participants to its broker"
                    + " pair: " + rootMessage(e), e);
        }
    }

    @Override
    public Set<String> recipients() {
        return new HashSet<>(recipients);
    }

    @Override
    public boolean isActive() {
        if (connectionFactory == null) {
            return false;
        }
        return cached("active", () -> Boolean.TRUE.equals(manage(ResourceNames.BROKER, "active", null)) ? 1 : 0, 0) == 1;
    }

    @Override
    public int amqpPort() {
        return -1;
    }

    @Override
    public int corePort() {
        return -1;
    }

    @Override
    public int closeUntrustedConnections() {
        return 0; // the brokers sweep their own connections (ParticipantSweepPlugin)
    }

    @Override
    public synchronized void close() {
        closeManagement();
        if (locator != null) {
            locator.close();
            locator = null;
        }
        if (connectionFactory != null) {
            connectionFactory.close();
            connectionFactory = null;
        }
        if (keyStores != null) {
            keyStores.delete();
            keyStores = null;
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
