package org.safeguarding.hub.app;

import java.io.IOException;
import java.nio.file.Path;
import org.safeguarding.hub.crypto.Identities;
import org.safeguarding.hub.crypto.Identity;
import picocli.CommandLine.Option;

/** The participant's own key and certificate, as the partner and recipient commands take them. */
final class ParticipantKeyOptions {
    @Option(names = "--cert", paramLabel = "P.pem|P.p12",
            description = "Your certificate (PEM), or your PKCS#12 (password from $HUB_DEMO_PASSWORD, default changeit).")
    Path cert;

    @Option(names = "--key", paramLabel = "P.key", description = "Your private key (PEM), unless --cert is a PKCS#12.")
    Path key;

    Identity load() throws IOException {
        if (cert == null) {
            throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.BAD_REQUEST,
                    "give your certificate with --cert (and --key unless it is a PKCS#12).");
        }
        return Identities.load(cert, key, DemoData.password());
    }

    /** True when the participant was named some other way (e.g. --as) and no --cert was given. */
    boolean absent() {
        return cert == null;
    }
}
