package org.safeguarding.hub.app;

import java.util.Set;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.SealerOptions;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;

/**
 * Turns the {@code crypto} block of hub.yaml (plain names, checked by the settings loader) into the crypto module's
 * {@link AlgorithmPolicy}, {@link SealerOptions} and package {@link ContentEncryption}.
 */
final class CryptoPolicies {
    private CryptoPolicies() {
    }

    /**
     * The built-in policy with the configured RSA minimum, signature digests and content encryption. Key management
     * (RSA-OAEP, ECDH with SHA-1/SHA-256/384/512 KDFs, AES key wrap; RSA PKCS#1 v1.5 only for the participants the
     * partnership allows it, see SubmissionOpener and RecipientSealer), signature schemes, OAEP hashes
     * and the EC minimum (P-256) stay as built in: those are what partners' tools produce.
     */
    static AlgorithmPolicy policy(HubSettings.Crypto c) {
        return AlgorithmPolicy.defaults()
                .withMinRsaBits(c.minRsaBits())
                .withAllowedDigests(Set.copyOf(c.allowedDigests()))
                .withAllowedContentEncryption(Set.copyOf(c.allowedContentEncryption()));
    }

    /** Key transport and key agreement for the packages; the hub's own RSA signatures stay PKCS#1 v1.5. */
    static SealerOptions sealerOptions(HubSettings.Crypto c) {
        SealerOptions.RsaKeyTransport transport = switch (c.rsaKeyTransport()) {
            case OAEP_SHA256 -> SealerOptions.RsaKeyTransport.OAEP_SHA256;
            case PKCS1_V15 -> SealerOptions.RsaKeyTransport.PKCS1_V15;
        };
        SealerOptions.EcdhKdf kdf = switch (c.ecdhKdf()) {
            case SHA256 -> SealerOptions.EcdhKdf.SHA256;
            case SHA1 -> SealerOptions.EcdhKdf.SHA1;
        };
        return SealerOptions.defaults().withRsaKeyTransport(transport).withEcdhKdf(kdf);
    }

    /** The content encryption of every package. */
    static ContentEncryption packageEncryption(HubSettings.Crypto c) {
        return switch (c.packageEncryption()) {
            case AES_256_GCM -> ContentEncryption.AES_256_GCM;
            case AES_256_CBC -> ContentEncryption.AES_256_CBC;
        };
    }

    /** The hub's own key must pass its own policy, or every package it signs would be refused: stop at start. */
    static void requireOwnKeyAllowed(Identity hub, AlgorithmPolicy policy) {
        try {
            policy.checkKey(hub.certificate().getPublicKey(), "the hub's");
        } catch (CryptoException e) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "identity.certificate: " + e.getMessage()
                    + "; issue the hub a stronger key or lower crypto.minRsaBits in hub.yaml");
        }
    }
}
