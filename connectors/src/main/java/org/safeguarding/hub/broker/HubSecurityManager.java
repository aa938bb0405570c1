package org.safeguarding.hub.broker;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.remoting.CertificateUtil;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.safeguarding.hub.crypto.Certificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what on the embedded broker. The hub itself connects in-VM with a secret made
 * fresh at every start; a participant connects over TLS with its certificate, and its broker
 * user is the certificate's CN. Nobody else is let in. The roles of each address are set by
 * {@link EmbeddedBroker}: a recipient may consume and browse its own inbox and nothing else.
 */
final class HubSecurityManager implements ActiveMQSecurityManager5 {
    static final String HUB_USER = "hub";
    private static final Logger LOG = LoggerFactory.getLogger(HubSecurityManager.class);

    private final byte[] hubSecret;
    private final BrokerAccessListener listener;
    private final ParticipantTrust trust;

    /** @param liveTrust the hub's current PKIX and CRL check of a participant's chain; null when there is no TLS */
    HubSecurityManager(String hubSecret, Predicate<String> knownParticipant, BrokerAccessListener listener,
                       X509TrustManager liveTrust) {
        this.hubSecret = hubSecret.getBytes(StandardCharsets.UTF_8);
        this.listener = listener;
        this.trust = new ParticipantTrust(liveTrust, knownParticipant, Set.of(HUB_USER));
    }

    /**
     * Why a participant's certificate chain may not use the broker now, or null if it may: it must still pass the
     * hub's trust check (the TLS handshake used the CRL as it was when the broker started) and name a participant.
     * While the CA or CRL file cannot be read, a new session is refused but an open connection ({@code sweeping}) kept.
     */
    String refusal(X509Certificate[] certs, boolean sweeping) {
        return trust.refusal(certs, sweeping);
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        X509Certificate[] certs = connection == null ? null : CertificateUtil.getCertsFromConnection(connection);
        if (certs != null && certs.length > 0) {
            // TLS validated the chain at the handshake; the hub's own check sees a CRL or CA file changed since start
            String cn = Certificates.commonName(certs[0]);
            String refusal = refusal(certs, false);
            PeerIdentity peer = PeerIdentity.of(connection);
            if (refusal == null) {
                return subject(cn, peer);
            }
            LOG.warn("broker refused a certificate: {}", refusal);
            listener.refused(peer.refusal(cn, false, refusal));
            return null;
        }
        if (HUB_USER.equals(user) && password != null
                && MessageDigest.isEqual(hubSecret, password.getBytes(StandardCharsets.UTF_8))
                && isInVm(connection)) {
            return subject(HUB_USER, PeerIdentity.UNKNOWN);
        }
        // never the name a stranger gave: it is theirs to choose, and would be a new entry every time
        listener.refused(PeerIdentity.of(connection).refusal("unknown", false, "no valid certificate"));
        return null;
    }

    private static boolean isInVm(RemotingConnection connection) {
        return connection == null || connection.getRemoteAddress() == null
                || connection.getRemoteAddress().startsWith("invm");
    }

    /** The participant as its user and role, and where it connected from (for the report of a refusal). */
    private static Subject subject(String user, PeerIdentity peer) {
        Subject s = new Subject();
        s.getPrincipals().add(new UserPrincipal(user));
        s.getPrincipals().add(new RolePrincipal(user));
        s.getPublicCredentials().add(peer);
        return s;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null) {
            return false;
        }
        Set<String> names = subject.getPrincipals(RolePrincipal.class).stream()
                .map(RolePrincipal::getName).collect(java.util.stream.Collectors.toSet());
        boolean allowed = roles.stream().anyMatch(r -> names.contains(r.getName()) && checkType.hasRole(r));
        if (!allowed) {
            String who = subject.getPrincipals(UserPrincipal.class).stream().findFirst()
                    .map(UserPrincipal::getName).orElse("unknown");
            PeerIdentity peer = subject.getPublicCredentials(PeerIdentity.class).stream().findFirst()
                    .orElse(PeerIdentity.UNKNOWN);
            listener.refused(peer.refusal(who, true, checkType + " on " + address));
        }
        return allowed;
    }

    @Override
    public boolean validateUser(String user, String password) {
        return false;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }
}
