package org.safeguarding.hub.auditing;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import org.safeguarding.hub.audit.CheckpointSigner;
import org.safeguarding.hub.crypto.Identity;

/** Signs audit checkpoints with the hub's own key, so that the chain head is the hub's word. */
public final class KeyCheckpointSigner implements CheckpointSigner {
    private final PrivateKey key;
    private final PublicKey publicKey;
    private final String algorithm;

    public KeyCheckpointSigner(Identity hub) {
        this.key = hub.privateKey();
        this.publicKey = hub.certificate().getPublicKey();
        this.algorithm = "EC".equals(key.getAlgorithm()) || "ECDSA".equals(key.getAlgorithm())
                ? "SHA256withECDSA" : "SHA256withRSA";
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("checkpoint could not be signed", e);
        }
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(publicKey);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
