package org.safeguarding.hub.broker;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.safeguarding.hub.crypto.Identity;

/**
 * What the broker's TLS acceptors present and trust: the hub's own key and chain, the
 * partnership CA (and any intermediates) that a participant's certificate must chain to, and
 * the CA's CRL (null when there is none), which the acceptors read once, at start. {@code liveTrust} is the hub's
 * own PKIX and CRL check, which re-reads the CA and CRL files when they change: the broker asks it again when a
 * participant authenticates and when it sweeps its open connections, so a revocation takes effect without a restart.
 */
public record BrokerTls(Identity identity, List<X509Certificate> trusted, Path crl, X509TrustManager liveTrust) {
    public BrokerTls {
        if (identity == null || trusted == null || trusted.isEmpty()) {
            throw new IllegalArgumentException("the broker's TLS needs the hub's identity and at least one CA certificate");
        }
        if (liveTrust == null) {
            throw new IllegalArgumentException("the broker's TLS needs the hub's live trust check");
        }
        trusted = List.copyOf(trusted);
    }
}
