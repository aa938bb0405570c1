package org.safeguarding.hub.broker;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.safeguarding.hub.crypto.Identity;

/**
 * What the broker's TLS acceptors present and trust: the hub's own key and chain, the
 * partnership CA (and any intermediates) that a participant's certificate must chain to, and
 * the CA's CRL (null when there is none).
 */
public record BrokerTls(Identity identity, List<X509Certificate> trusted, Path crl) {
    public BrokerTls {
        if (identity == null || trusted == null || trusted.isEmpty()) {
            throw new IllegalArgumentException("the broker's TLS needs the hub's identity and at least one CA certificate");
        }
        trusted = List.copyOf(trusted);
    }
}
