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
