package org.safeguarding.hub.broker;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.core.remoting.CertificateUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.safeguarding.hub.crypto.Certificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a standalone broker of the hub's, with {@link ParticipantSecurityManager}: every {@code periodSeconds} (default
 * 15) closes each open participant connection whose certificate no longer passes the live CA and CRL check, or whose
 * participant is no longer among those a hub published on {@link QueueNames#PARTICIPANTS}, and logs it (without
 * secrets). The TLS handshake and every new session are checked anyway; this reaches consumers that stay connected. A
 * connection counts as a participant's when one of its sessions is the certificate's CN; the hub nodes' and the
 * brokers' own cluster connections are never swept. It also lets the security manager read the published list.
 */
public final class ParticipantSweepPlugin implements ActiveMQServerPlugin {
    public static final String PERIOD_SECONDS = "periodSeconds";
    private static final Logger LOG = LoggerFactory.getLogger(ParticipantSweepPlugin.class);

    private long periodSeconds = 15;
    private volatile ActiveMQServer server;
    private ScheduledExecutorService timer;

    @Override
    public void init(Map<String, String> properties) {
        periodSeconds = Long.parseLong(properties.getOrDefault(PERIOD_SECONDS, "15"));
        if (periodSeconds < 1) {
            throw new IllegalArgumentException(PERIOD_SECONDS + " must be at least 1");
        }
    }

    @Override
    public synchronized void registered(ActiveMQServer server) {
        this.server = server;
        ParticipantSecurityManager sm = securityManager(server);
        sm.attach(server);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "participant-sweep");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweepQuietly, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void unregistered(ActiveMQServer server) {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private static ParticipantSecurityManager securityManager(ActiveMQServer server) {
        if (server.getSecurityManager() instanceof ParticipantSecurityManager sm) {
            return sm;
        }
        throw new IllegalStateException("the participant sweep needs the ParticipantSecurityManager (bootstrap.xml)");
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("participant sweep failed: {}", e.toString());
        }
    }

    /** One sweep now; how many connections it closed. */
    int sweep() {
        ActiveMQServer s = server;
        if (s == null || !s.isActive() || s.getRemotingService() == null) {
            return 0;
        }
        ParticipantSecurityManager sm = securityManager(s);
        sm.participants().refresh();
        List<ServerSession> sessions = List.copyOf(s.getSessions());
        int closed = 0;
        for (RemotingConnection connection : s.getRemotingService().getConnections()) {
            X509Certificate[] certs = CertificateUtil.getCertsFromConnection(connection);
            if (certs == null || certs.length == 0) {
                continue;
            }
            String cn = Certificates.commonName(certs[0]);
            if (!participantConnection(connection, cn, sessions, sm.hubUser())) {
                continue;
            }
            String refusal = sm.sweepRefusal(certs);
            if (refusal != null) {
                PeerIdentity peer = PeerIdentity.of(connection);
                s.getRemotingService().removeConnection(connection.getID());
                connection.fail(new ActiveMQSecurityException("the broker closed this connection: " + refusal));
                sm.refused(peer.refusal(cn, false, "connection closed: " + refusal));
                closed++;
            }
        }
        return closed;
    }

    private static boolean participantConnection(RemotingConnection connection, String cn, List<ServerSession> sessions,
                                                 String hubUser) {
        boolean participant = false;
        for (ServerSession session : sessions) {
            if (session.getRemotingConnection() != connection) {
                continue;
            }
            String user = session.getValidatedUser();
            if (hubUser.equals(user)) {
                return false;
            }
            participant |= cn != null && cn.equals(user);
        }
        return participant;
    }
}
