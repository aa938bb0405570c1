package org.safeguarding.hub.crypto;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/** The partnership's trust anchors, intermediate CAs and CRLs. Implementations may change their answers over time. */
public interface TrustMaterial {
    List<X509Certificate> anchors();

    List<X509Certificate> intermediates();

    /** When empty, revocation is not checked; otherwise every CA on a path needs a CRL here. */
    List<X509CRL> crls();

    /** Fixed material. */
    static TrustMaterial of(List<X509Certificate> anchors, List<X509Certificate> intermediates, List<X509CRL> crls) {
        List<X509Certificate> a = List.copyOf(anchors);
        List<X509Certificate> i = List.copyOf(intermediates);
        List<X509CRL> c = List.copyOf(crls);
        return new TrustMaterial() {
            @Override
            public List<X509Certificate> anchors() {
                return a;
            }

            @Override
            public List<X509Certificate> intermediates() {
                return i;
            }

            @Override
            public List<X509CRL> crls() {
                return c;
            }
        };
    }
}
