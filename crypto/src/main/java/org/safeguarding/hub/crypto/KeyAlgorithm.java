package org.safeguarding.hub.crypto;

/** Key algorithms the demo PKI can issue. */
public enum KeyAlgorithm {
    EC_P256,
    RSA_2048,
    RSA_3072
}
