package org.safeguarding.hub.app;

import java.io.IOException;
import java.nio.file.Path;
import org.safeguarding.hub.crypto.Identities;
import org.safeguarding.hub.crypto.Identity;
import picocli.CommandLine.Option;

/** The participant's own key and certificate, as the partner and recipient commands take them. */
final class ParticipantKeyOptions {
    /** Where the password of an encrypted key or a PKCS#12 comes from when no file is given. */
    static final String PASSWORD_ENV = "HUB_KEY_PASSWORD";

    @Option(names = "--cert", paramLabel = "P.pem|P.p12",
            description = "Your certificate (PEM), or your PKCS#12.")
    Path cert;

    @Option(names = "--key", paramLabel = "P.key",
            description = "Your private key (PEM, encrypted or not), unless --cert is a PKCS#12.")
    Path key;

    @Option(names = "--key-password-file", paramLabel = "FILE",
            description = "A file whose first line is the password of your encrypted key or PKCS#12; without it the"
                    + " password is $" + PASSWORD_ENV + ", else the demo's ($HUB_DEMO_PASSWORD, default changeit).")
    Path passwordFile;

    Identity load() throws IOException {
        if (cert == null) {
            throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.BAD_REQUEST,
                    "give your certificate with --cert (and --key unless it is a PKCS#12).");
        }
        return Identities.load(cert, key, password());
    }

    /** --key-password-file, else $HUB_KEY_PASSWORD, else the demo PKI's password. */
    char[] password() {
        if (passwordFile != null) {
            return Secrets.read(null, passwordFile, "").toCharArray();
        }
        String p = System.getenv(PASSWORD_ENV);
        return p != null && !p.isEmpty() ? p.toCharArray() : DemoData.password();
    }

    /** True when the participant was named some other way (e.g. --as) and no --cert was given. */
    boolean absent() {
        return cert == null;
    }
}
