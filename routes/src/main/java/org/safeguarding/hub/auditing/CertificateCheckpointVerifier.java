package org.safeguarding.hub.auditing;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import org.safeguarding.hub.audit.CheckpointSigner;

/** Checks checkpoint signatures with the hub's certificate alone: for verifying offline, it cannot sign. */
public final class CertificateCheckpointVerifier implements CheckpointSigner {
    private final PublicKey key;
    private final String algorithm;

    public CertificateCheckpointVerifier(X509Certificate hub) {
        this.key = hub.getPublicKey();
        this.algorithm = key.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    }

    @Override
    public byte[] sign(byte[] data) {
        throw new UnsupportedOperationException("an offline verifier does not sign checkpoints");
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
