package org.safeguarding.hub.audit;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * A {@link CheckpointSigner} on plain java.security keys: Ed25519, EC (SHA256withECDSA) or RSA
 * (SHA256withRSA), chosen from the key's algorithm. {@link #verifyOnly(PublicKey)} gives a signer that
 * can only verify, for offline verification with the hub's certificate.
 */
public final class JcaCheckpointSigner implements CheckpointSigner {
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String algorithm;

    private JcaCheckpointSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.algorithm = algorithmFor(publicKey.getAlgorithm());
    }

    public static JcaCheckpointSigner of(PrivateKey privateKey, PublicKey publicKey) {
        return new JcaCheckpointSigner(Objects.requireNonNull(privateKey, "privateKey"), publicKey);
    }

    public static JcaCheckpointSigner verifyOnly(PublicKey publicKey) {
        return new JcaCheckpointSigner(null, publicKey);
    }

    static String algorithmFor(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("unsupported checkpoint key algorithm " + keyAlgorithm);
        };
    }

    @Override
    public byte[] sign(byte[] data) {
        if (privateKey == null) {
            throw new IllegalStateException("this checkpoint signer can only verify");
        }
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new AuditStoreException("checkpoint signing failed", e);
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
