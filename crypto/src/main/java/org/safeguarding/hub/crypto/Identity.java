package org.safeguarding.hub.crypto;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate.
 *
 * @param chain the certificate chain, leaf first (as in a key store); at least the certificate itself
 */
public record Identity(PrivateKey privateKey, X509Certificate certificate, List<X509Certificate> chain) {
    public Identity {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        chain = chain == null || chain.isEmpty() ? List.of(certificate) : List.copyOf(chain);
    }

    /** CN of the certificate's subject. */
    public String participantId() {
        return Certificates.commonName(certificate);
    }

    @Override
    public String toString() {
        return "Identity[" + certificate.getSubjectX500Principal() + ", serial=" + certificate.getSerialNumber().toString(16) + "]";
    }
}
