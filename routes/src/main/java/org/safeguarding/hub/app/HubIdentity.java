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

    static Identity load(HubSettings.Identity s) {
        if (!Files.isReadable(s.certificate())) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "identity.certificate: " + s.certificate()
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
