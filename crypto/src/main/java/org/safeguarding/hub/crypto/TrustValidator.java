package org.safeguarding.hub.crypto;

import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.X509TrustManager;

/**
 * Decides whether a certificate belongs to the partnership at a given instant: it must chain (through intermediates
 * from the message or the trust material) to a partnership anchor, every certificate on the path must be valid at that
 * instant, none may be revoked at that instant per the CRLs (an entry counts from its revocation date), and a
 * certificate with a key usage extension must allow digitalSignature.
 * When the trust material holds CRLs, every CA on the path must have one (fail closed).
 */
public final class TrustValidator {
    private static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String EKU_ANY = "2.5.29.37.0";

    private final TrustMaterial material;

    public TrustValidator(TrustMaterial material) {
        Providers.ensure();
        this.material = Objects.requireNonNull(material, "material");
    }

    /**
     * What this validator trusts now: equal to an earlier answer until a CA certificate or CRL file is read anew (by
     * identity of what was read), so that a caller may remember a validation as long as this stays equal.
     */
    public Object generation() {
        return new Generation(material.anchors(), material.intermediates(), material.crls());
    }

    private record Generation(List<?> anchors, List<?> intermediates, List<?> crls) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Generation g && same(anchors, g.anchors) && same(intermediates, g.intermediates)
                    && same(crls, g.crls);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(crls.isEmpty() ? null : crls.get(0)) * 31 + anchors.size();
        }

        private static boolean same(List<?> a, List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) != b.get(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * As {@link #validate} for the signer of a CMS message, which a person's certificate (TLS client authentication
     * only, {@link Certificates#tlsClientOnly}) never is: a person signs in to the console, a partner's system signs.
     */
    public void validateSigner(X509Certificate cert, Collection<X509Certificate> intermediates, Instant at)
            throws CryptoException {
        Objects.requireNonNull(cert, "cert");
        if (Certificates.tlsClientOnly(cert)) {
            throw untrusted("the signer's certificate is for TLS client authentication only (a person's), not for"
                    + " signing", null);
        }
        validate(cert, intermediates, at);
    }

    public void validate(X509Certificate cert, Collection<X509Certificate> intermediates, Instant at) throws CryptoException {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(at, "at");
        try {
            validateChecked(cert, intermediates == null ? List.of() : intermediates, at);
        } catch (CryptoException e) {
            throw e;
        } catch (UncheckedIOException e) {
            // the hub's own files, not the signer: passing, so the caller retries rather than refuses for good
            throw new CryptoException(CryptoFailure.TRUST_UNAVAILABLE,
                    "the partnership CA or CRL file cannot be read now", e);
        } catch (RuntimeException e) {
            throw untrusted("certificate path cannot be validated", e);
        }
    }

    private void validateChecked(X509Certificate cert, Collection<X509Certificate> intermediates, Instant at) throws CryptoException {
        Date date = Date.from(at);
        try {
            cert.checkValidity(date);
        } catch (CertificateExpiredException e) {
            throw untrusted("certificate expired before " + at, null);
        } catch (CertificateNotYetValidException e) {
            throw untrusted("certificate not yet valid at " + at, null);
        }
        boolean[] ku = cert.getKeyUsage();
        if (ku != null && (ku.length == 0 || !ku[0])) {
            throw untrusted("certificate key usage lacks digitalSignature", null);
        }
        List<X509Certificate> anchors = material.anchors();
        List<X509CRL> crls = material.crls();
        Set<TrustAnchor> trustAnchors = new HashSet<>();
        for (X509Certificate a : anchors) {
            trustAnchors.add(new TrustAnchor(a, null));
        }
        if (trustAnchors.isEmpty()) {
            throw untrusted("no trust anchors configured", null);
        }
        List<X509Certificate> path;
        X509Certificate anchor;
        try {
            List<Object> pool = new ArrayList<>();
            pool.add(cert);
            for (X509Certificate c : intermediates) {
                if (!Certificates.isSelfSigned(c)) {
                    pool.add(c);
                }
            }
            pool.addAll(material.intermediates());
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(cert);
            PKIXBuilderParameters params = new PKIXBuilderParameters(trustAnchors, target);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool), Providers.bc()));
            params.setDate(date);
            params.setRevocationEnabled(false);
            params.setMaxPathLength(5);
            PKIXCertPathBuilderResult result =
                    (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX", Providers.bc()).build(params);
            path = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
            anchor = result.getTrustAnchor().getTrustedCert();
        } catch (CertPathBuilderException e) {
            throw untrusted("certificate does not chain to the partnership CA, or a CA on its path is not valid at " + at, e);
        } catch (GeneralSecurityException e) {
            throw untrusted("certificate path cannot be validated", e);
        }
        if (!crls.isEmpty()) {
            for (int i = 0; i < path.size(); i++) {
                X509Certificate subject = path.get(i);
                X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor;
                checkRevocation(subject, issuer, crls, at);
            }
        }
    }

    private static void checkRevocation(X509Certificate subject, X509Certificate issuer, List<X509CRL> crls, Instant at)
            throws CryptoException {
        boolean found = false;
        Instant staleSince = null;
        PublicKey issuerKey = issuer.getPublicKey();
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(subject.getIssuerX500Principal())) {
                continue;
            }
            try {
                crl.verify(issuerKey);
            } catch (GeneralSecurityException e) {
                continue; // same name, other key: not this issuer's CRL
            }
            if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(at)) {
                // past its nextUpdate the CRL says nothing of revocations since: not current (RFC 5280, 6.3.3)
                staleSince = crl.getNextUpdate().toInstant();
                continue;
            }
            found = true;
            X509CRLEntry entry = crl.getRevokedCertificate(subject.getSerialNumber());
            if (entry != null && !entry.getRevocationDate().toInstant().isAfter(at)) {
                throw untrusted(subject == issuer ? "certificate revoked" : "certificate (or a CA on its path) revoked", null);
            }
        }
        if (!found && staleSince != null) {
            // the hub's own file is out of date, not the signer's fault: passing until a current CRL is installed
            throw new CryptoException(CryptoFailure.TRUST_UNAVAILABLE,
                    "the CRL of a CA on the certificate path expired at " + staleSince + "; install a current CRL", null);
        }
        if (!found) {
            throw untrusted("no CRL for a CA on the certificate path; revocation status unknown", null);
        }
    }

    /**
     * What is wrong with the trust material at {@code now}, for the health check: null when the CA and CRL files are
     * readable and every CRL is current; otherwise why not (no content, only files and times).
     */
    public String problem(Instant now) {
        try {
            if (material.anchors().isEmpty()) {
                return "no trust anchors";
            }
            for (X509CRL crl : material.crls()) {
                if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(now)) {
                    return "a CRL expired at " + crl.getNextUpdate().toInstant();
                }
            }
            return null;
        } catch (UncheckedIOException e) {
            return "the CA or CRL file cannot be read";
        }
    }

    /** A PKIX + CRL trust manager (clientAuth EKU for clients, serverAuth for servers when the certificate names EKUs). */
    public X509TrustManager tlsTrustManager(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain, EKU_CLIENT_AUTH);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                check(chain, EKU_SERVER_AUTH);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                try {
                    return material.anchors().toArray(new X509Certificate[0]);
                } catch (UncheckedIOException e) {
                    return new X509Certificate[0];
                }
            }

            private void check(X509Certificate[] chain, String eku) throws CertificateException {
                if (chain == null || chain.length == 0) {
                    throw new CertificateException("no certificate presented");
                }
                List<String> ekus = chain[0].getExtendedKeyUsage();
                if (ekus != null && !ekus.contains(eku) && !ekus.contains(EKU_ANY)) {
                    throw new CertificateException("certificate not issued for this TLS role");
                }
                try {
                    validate(chain[0], List.of(chain).subList(1, chain.length), clock.instant());
                } catch (CryptoException e) {
                    throw new CertificateException(e.getMessage(), e);
                }
            }
        };
    }

    private static CryptoException untrusted(String detail, Throwable cause) {
        return new CryptoException(CryptoFailure.UNTRUSTED_SIGNER, detail, cause);
    }
}
