package org.safeguarding.hub.audit;

/**
 * Signs and verifies checkpoints of the chain head. The hub implements it with its own key;
 * {@link JcaCheckpointSigner} is a plain java.security implementation.
 */
public interface CheckpointSigner {
    byte[] sign(byte[] data);

    boolean verify(byte[] data, byte[] signature);
}
