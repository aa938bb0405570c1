package org.safeguarding.hub.broker;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.X509TrustManager;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.CryptoFailure;

/**
 * Whether a participant's certificate chain may use a broker now: it must still pass the live PKIX and CRL check (the
 * TLS handshake may have used an older CRL) and its CN must name a participant of the partnership. The embedded
 * broker's {@link HubSecurityManager} and an external broker's {@link ParticipantSecurityManager} ask the same.
 */
final class ParticipantTrust {
    private final X509TrustManager liveTrust;
    private final Predicate<String> knownParticipant;
    private final Set<String> reserved;

    /** @param reserved user names that are never a participant's (the hub's own) */
    ParticipantTrust(X509TrustManager liveTrust, Predicate<String> knownParticipant, Set<String> reserved) {
        this.liveTrust = liveTrust;
        this.knownParticipant = knownParticipant;
        this.reserved = Set.copyOf(reserved);
    }

    /**
     * Why {@code certs} may not use the broker now, or null if it may. While the CA or CRL file cannot be read, a new
     * session is refused but an open connection ({@code sweeping}) kept.
     */
    String refusal(X509Certificate[] certs, boolean sweeping) {
        String cn = Certificates.commonName(certs[0]);
        String untrusted = untrusted(certs, sweeping);
        if (untrusted != null) {
            return untrusted;
        }
        if (cn == null || reserved.contains(cn) || !knownParticipant.test(cn)) {
            return "not a participant";
        }
        return null;
    }

    /** The trust check alone (for the hub's own nodes, which are no participant): why not, or null. */
    String untrusted(X509Certificate[] certs, boolean sweeping) {
        if (liveTrust == null) {
            return "no trust check for certificates";
        }
        try {
            liveTrust.checkClientTrusted(certs, "UNKNOWN");
        } catch (CertificateException e) {
            if (e.getCause() instanceof CryptoException ce && ce.failure() == CryptoFailure.TRUST_UNAVAILABLE) {
                // the CA or CRL file is unreadable for the moment: no new session, but no verdict on open ones
                return sweeping ? null : "trust material unavailable now";
            }
            return "certificate not trusted now (" + e.getMessage() + ")";
        } catch (RuntimeException e) {
            return "certificate could not be checked now";
        }
        return null;
    }
}
