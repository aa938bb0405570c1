package org.safeguarding.hub.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.remoting.CertificateUtil;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what on a standalone broker of the hub's (an external live/backup pair), as {@link HubSecurityManager}
 * decides it for the embedded one. Set in {@code bootstrap.xml} ({@code <security-manager class-name=...>}) with the
 * properties below. A hub node logs in as {@code hubUser} with its password (checked against {@code hubPasswordHash},
 * or the first line of {@code hubPasswordFile}) over TLS with a client certificate that passes the partnership's live
 * trust check, and may do anything. A participant is its TLS client certificate's CN, must pass the live CA and CRL
 * check at every session, must be among the participants a hub published ({@link PublishedParticipants}), and may
 * consume and browse its own {@code intel.<id>} and nothing else. The brokers' own cluster user is checked by Artemis
 * before this class is asked. Every refusal is logged (who, peer host, certificate SHA-256, what; never a password) and
 * told to the listeners.
 */
public final class ParticipantSecurityManager implements ActiveMQSecurityManager5 {
    /** PEM file of the partnership CA certificates (required). */
    public static final String CA_FILE = "caFile";
    /** The partnership CA's CRL, PEM or DER (optional, re-read when it changes). */
    public static final String CRL_FILE = "crlFile";
    /** The hub nodes' broker user (default {@code hub-node}). */
    public static final String HUB_USER = "hubUser";
    /** {@link HubPasswordHash} of the hub nodes' password; or {@link #HUB_PASSWORD_FILE}. */
    public static final String HUB_PASSWORD_HASH = "hubPasswordHash";
    public static final String HUB_PASSWORD_FILE = "hubPasswordFile";
    /** How long the published participants are kept between reads, ms (default 5000). */
    public static final String PARTICIPANTS_MAX_AGE = "participantsMaxAgeMillis";

    static final String HUB_ROLE = "hub";
    private static final Logger LOG = LoggerFactory.getLogger(ParticipantSecurityManager.class);

    private final Clock clock;
    private final List<BrokerAccessListener> listeners = new CopyOnWriteArrayList<>();
    private String hubUser = "hub-node";
    private String hubPasswordHash;
    private byte[] hubPassword;
    private volatile byte[] verifiedDigest;
    private PublishedParticipants participants;
    private ParticipantTrust trust;

    public ParticipantSecurityManager() {
        this(Clock.systemUTC());
    }

    ParticipantSecurityManager(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ActiveMQSecurityManager init(Map<String, String> properties) {
        String ca = properties.get(CA_FILE);
        if (ca == null || ca.isBlank()) {
            throw new IllegalArgumentException("the participant security manager needs " + CA_FILE);
        }
        String crl = properties.get(CRL_FILE);
        hubUser = properties.getOrDefault(HUB_USER, hubUser);
        hubPasswordHash = properties.get(HUB_PASSWORD_HASH);
        String passwordFile = properties.get(HUB_PASSWORD_FILE);
        if (hubPasswordHash != null && !HubPasswordHash.wellFormed(hubPasswordHash)) {
            throw new IllegalArgumentException(HUB_PASSWORD_HASH + " must be pbkdf2-sha256:ITERATIONS:SALT:HASH"
                    + " (./hub broker hash-password)");
        }
        if (hubPasswordHash == null && passwordFile != null) {
            try {
                String first = Files.readAllLines(Path.of(passwordFile), StandardCharsets.UTF_8).stream().findFirst()
                        .orElse("").strip();
                if (first.isEmpty()) {
                    throw new IllegalArgumentException(HUB_PASSWORD_FILE + " " + passwordFile + " is empty");
                }
                hubPassword = first.getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(HUB_PASSWORD_FILE + " " + passwordFile + " cannot be read");
            }
        }
        if (hubPasswordHash == null && hubPassword == null) {
            throw new IllegalArgumentException("the participant security manager needs " + HUB_PASSWORD_HASH + " or "
                    + HUB_PASSWORD_FILE);
        }
        long maxAge = Long.parseLong(properties.getOrDefault(PARTICIPANTS_MAX_AGE, "5000"));
        participants = new PublishedParticipants(clock, Duration.ofMillis(maxAge));
        FileTrustMaterial material = new FileTrustMaterial(Path.of(ca), crl == null || crl.isBlank() ? null : Path.of(crl));
        trust = new ParticipantTrust(new TrustValidator(material).tlsTrustManager(clock), participants,
                Set.of(hubUser, HUB_ROLE));
        return this;
    }

    /** Lets the published participants be read from {@code server} (by {@link ParticipantSweepPlugin}). */
    void attach(ActiveMQServer server) {
        participants.attach(server);
    }

    PublishedParticipants participants() {
        return participants;
    }

    String hubUser() {
        return hubUser;
    }

    void addListener(BrokerAccessListener listener) {
        listeners.add(listener);
    }

    /** Why an open participant connection must be closed now, or null (for the sweep). */
    String sweepRefusal(X509Certificate[] certs) {
        return trust.refusal(certs, true);
    }

    void refused(BrokerRefusal refusal) {
        LOG.warn("broker refused {} ({}): {}", refusal.who(), refusal.authenticated() ? "authenticated" : "not let in",
                refusal.detail());
        for (BrokerAccessListener l : listeners) {
            l.refused(refusal);
        }
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        X509Certificate[] certs = connection == null ? null : CertificateUtil.getCertsFromConnection(connection);
        PeerIdentity peer = PeerIdentity.of(connection);
        boolean tlsClient = certs != null && certs.length > 0;
        if (hubUser.equals(user)) {
            String why = !tlsClient ? "hub user without a client certificate"
                    : trust.untrusted(certs, false) != null ? "hub user: " + trust.untrusted(certs, false)
                    : !passwordMatches(password) ? "hub user: wrong password" : null;
            if (why == null) {
                return subject(hubUser, HUB_ROLE, peer);
            }
            refused(peer.refusal(hubUser, false, why));
            return null;
        }
        if (tlsClient) {
            String cn = Certificates.commonName(certs[0]);
            String refusal = trust.refusal(certs, false);
            if (refusal == null) {
                return subject(cn, cn, peer);
            }
            refused(peer.refusal(cn, false, refusal));
            return null;
        }
        // never the name a stranger gave: it is theirs to choose
        refused(peer.refusal("unknown", false, "no valid certificate"));
        return null;
    }

    private boolean passwordMatches(String password) {
        if (password == null) {
            return false;
        }
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        if (hubPassword != null) {
            return MessageDigest.isEqual(hubPassword, given);
        }
        byte[] digest = sha256(given);
        byte[] known = verifiedDigest;
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true; // PBKDF2 once per password, not at every session
        }
        if (HubPasswordHash.matches(hubPasswordHash, password.toCharArray())) {
            verifiedDigest = digest;
            return true;
        }
        return false;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Subject subject(String user, String role, PeerIdentity peer) {
        Subject s = new Subject();
        s.getPrincipals().add(new UserPrincipal(user));
        s.getPrincipals().add(new RolePrincipal(role));
        s.getPublicCredentials().add(peer);
        return s;
    }

    /** The hub may do anything; a participant may consume and browse its own inbox; roles in broker.xml are not used. */
    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null) {
            return false;
        }
        Set<String> names = subject.getPrincipals(RolePrincipal.class).stream().map(RolePrincipal::getName)
                .collect(Collectors.toSet());
        if (names.contains(HUB_ROLE)) {
            return true;
        }
        String who = subject.getPrincipals(UserPrincipal.class).stream().findFirst().map(UserPrincipal::getName)
                .orElse("unknown");
        boolean allowed = (checkType == CheckType.CONSUME || checkType == CheckType.BROWSE)
                && names.contains(who) && isOwnInbox(address, who);
        if (!allowed) {
            PeerIdentity peer = subject.getPublicCredentials(PeerIdentity.class).stream().findFirst()
                    .orElse(PeerIdentity.UNKNOWN);
            refused(peer.refusal(who, true, checkType + " on " + address));
        }
        return allowed;
    }

    static boolean isOwnInbox(String address, String participant) {
        if (address == null) {
            return false;
        }
        String inbox = QueueNames.inbox(participant);
        int fqqn = address.indexOf("::");
        return fqqn < 0 ? address.equals(inbox)
                : address.substring(0, fqqn).equals(inbox) && address.substring(fqqn + 2).equals(inbox);
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
