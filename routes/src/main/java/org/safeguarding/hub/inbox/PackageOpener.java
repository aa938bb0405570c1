package org.safeguarding.hub.inbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.OpenedMessage;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/** A recipient opens a package: decrypts it with its own key and requires the hub's signature, trusted by the CA. */
public final class PackageOpener {
    private PackageOpener() {
    }

    /**
     * Decrypts with the recipient's key and requires a valid signature by the hub's certificate. Every package format
     * the hub seals opens, RSA PKCS#1 v1.5 key transport among them: the hub uses it only for a recipient the
     * partnership allows it, and this is the recipient's own tool, not a service others can query.
     */
    public static byte[] open(byte[] sealed, Identity me, Path ca) throws CryptoException {
        OpenedMessage m = new EnvelopeOpener(List.of(me), AlgorithmPolicy.defaults().withRsaPkcs1KeyTransport())
                .open(sealed);
        new TrustValidator(new FileTrustMaterial(ca, null)).validateSigner(m.signer(), m.certificates(), Instant.now());
        if (!"hub".equals(Certificates.commonName(m.signer()))) {
            throw new HubException(ErrorCode.BAD_SIGNATURE, "the package is not signed by the hub.");
        }
        return m.content();
    }
}
