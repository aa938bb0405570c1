package org.safeguarding.hub.crypto;

/** Content encryption of a sealed message. GCM is only used in AuthEnvelopedData, CBC only in EnvelopedData. */
public enum ContentEncryption {
    AES_256_GCM("AES-256-GCM"),
    AES_256_CBC("AES-256-CBC");

    private final String policyName;

    ContentEncryption(String policyName) {
        this.policyName = policyName;
    }

    /** The name used in {@link AlgorithmPolicy#allowedContentEncryption()}. */
    public String policyName() {
        return policyName;
    }
}
