package org.safeguarding.hub.crypto;

import java.util.Objects;

/**
 * Choices {@link CmsSealer} makes where CMS offers several. Defaults: RSA PKCS#1 v1.5 signatures, RSA-OAEP-SHA256
 * key transport, ECDH with the X9.63 SHA-256 KDF and AES-256 key wrap.
 */
public record SealerOptions(RsaSignature rsaSignature, RsaKeyTransport rsaKeyTransport, EcdhKdf ecdhKdf) {
    public enum RsaSignature { PKCS1_V15, PSS_SHA256 }

    public enum RsaKeyTransport { OAEP_SHA256, PKCS1_V15 }

    public enum EcdhKdf { SHA256, SHA1 }

    public SealerOptions {
        Objects.requireNonNull(rsaSignature, "rsaSignature");
        Objects.requireNonNull(rsaKeyTransport, "rsaKeyTransport");
        Objects.requireNonNull(ecdhKdf, "ecdhKdf");
    }

    public static SealerOptions defaults() {
        return new SealerOptions(RsaSignature.PKCS1_V15, RsaKeyTransport.OAEP_SHA256, EcdhKdf.SHA256);
    }

    public SealerOptions withRsaSignature(RsaSignature s) {
        return new SealerOptions(s, rsaKeyTransport, ecdhKdf);
    }

    public SealerOptions withRsaKeyTransport(RsaKeyTransport t) {
        return new SealerOptions(rsaSignature, t, ecdhKdf);
    }

    public SealerOptions withEcdhKdf(EcdhKdf k) {
        return new SealerOptions(rsaSignature, rsaKeyTransport, k);
    }
}
