package org.safeguarding.hub.crypto;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Registers Bouncy Castle once; names of the providers our builders use. */
final class Providers {
    /** Asymmetric work: EC, RSA, CMS structures. */
    static final String BC = BouncyCastleProvider.PROVIDER_NAME;
    /** Symmetric content encryption (AES-GCM/CBC) where the JDK is fastest. */
    static final String SYMMETRIC = "SunJCE";

    /** Bulk digests (SHA-2 over the whole content): the JDK's SUN provider uses SHA-NI intrinsics, about 8x BC here. */
    static final String DIGEST = "SUN";

    /** X.509 certificate and CRL objects: the JDK's, so that JSSE, key stores and PKIX all see the same classes. */
    static final String CERTIFICATES = "SUN";

    private static final Provider PROVIDER;

    static {
        Provider existing = Security.getProvider(BC);
        if (existing == null) {
            existing = new BouncyCastleProvider();
            Security.addProvider(existing);
        }
        PROVIDER = existing;
    }

    private Providers() {}

    static Provider bc() {
        return PROVIDER;
    }

    /** Makes sure BC is registered (class initialisation does it). */
    static void ensure() {
        // class init
    }
}
