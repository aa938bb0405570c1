package org.safeguarding.hub.app;

import java.io.IOException;
import java.nio.file.Files;
import org.safeguarding.hub.crypto.Identities;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;

/** Loads the hub's own key and certificate (PEM or PKCS#12), the password from the environment or a file. */
final class HubIdentity {
    private HubIdentity() {
    }

    /** A PKCS#12 file holds key and certificate together; identity.privateKey is then unused. */
    static boolean isPkcs12(java.nio.file.Path certificate) {
        String name = certificate.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    /**
     * The hub's optional RSA encryption identity ({@code identity.rsaCertificate}, with {@code identity.rsaPrivateKey}
     * unless a PKCS#12 file; the same password as the main identity): for partners that can encrypt only to RSA.
     * Its CN must be the hub's and its key RSA.
     */
    static java.util.Optional<Identity> loadRsa(HubSettings.Identity s, Identity main) {
        if (s.rsaCertificate() == null) {
            if (s.rsaPrivateKey() != null) {
                throw new HubException(ErrorCode.INVALID_CONFIGURATION, "identity.rsaPrivateKey is set without"
                        + " identity.rsaCertificate; name both, or neither");
            }
            return java.util.Optional.empty();
        }
        boolean p12 = isPkcs12(s.rsaCertificate());
        if (!p12 && s.rsaPrivateKey() == null) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "identity.rsaCertificate needs identity.rsaPrivateKey"
                    + " (or a PKCS#12 file holding both)");
        }
        Identity rsa = load(new HubSettings.Identity(s.rsaCertificate(), p12 ? s.rsaCertificate() : s.rsaPrivateKey(),
                s.keyPasswordEnv(), s.keyPasswordFile(), s.caCertificates(), s.crl(), s.participantCertificates()),
                "identity.rsaCertificate");
        if (!"RSA".equals(rsa.certificate().getPublicKey().getAlgorithm())) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "identity.rsaCertificate: " + s.rsaCertificate()
                    + " is for a " + rsa.certificate().getPublicKey().getAlgorithm() + " key, not RSA");
        }
        if (!java.util.Objects.equals(rsa.participantId(), main.participantId())) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "identity.rsaCertificate: " + s.rsaCertificate()
                    + " does not name the hub's CN as identity.certificate does");
        }
        return java.util.Optional.of(rsa);
    }

    static Identity load(HubSettings.Identity s) {
        return load(s, "identity.certificate");
    }

    private static Identity load(HubSettings.Identity s, String key) {
        if (!Files.isReadable(s.certificate())) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, key + ": " + s.certificate()
                    + " is not readable; create the hub's certificate (./hub pki init) or correct hub.yaml.");
        }
        String password = Secrets.read(s.keyPasswordEnv(), s.keyPasswordFile(), null);
        boolean p12 = isPkcs12(s.certificate());
        try {
            return Identities.load(s.certificate(), p12 ? null : s.privateKey(),
                    password == null ? null : password.toCharArray());
        } catch (IOException | RuntimeException e) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "the hub's key or certificate cannot be loaded from "
                    + (p12 ? s.certificate() : s.certificate() + " / " + s.privateKey()) + ": " + e.getMessage()
                    + " (a password comes from $" + s.keyPasswordEnv() + " or identity.keyPasswordFile)");
        }
    }
}
