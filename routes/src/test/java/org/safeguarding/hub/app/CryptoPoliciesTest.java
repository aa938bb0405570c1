package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.CryptoFailure;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.SealerOptions;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings.Crypto;

class CryptoPoliciesTest {
    private static final byte[] CONTENT = "{\"test\":\"policy\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static Crypto crypto(int minRsaBits, List<String> digests, List<String> enc, Crypto.PackageEncryption pkg,
                                 Crypto.RsaKeyTransport transport, Crypto.EcdhKdf kdf) {
        return new Crypto(minRsaBits, digests, enc, pkg, transport, kdf);
    }

    @Test
    void theDefaultSettingsGiveTheBuiltInPolicyAndOptions() {
        Crypto d = Crypto.defaults();
        assertThat(CryptoPolicies.policy(d)).isEqualTo(AlgorithmPolicy.defaults());
        assertThat(CryptoPolicies.sealerOptions(d)).isEqualTo(SealerOptions.defaults());
        assertThat(CryptoPolicies.packageEncryption(d)).isEqualTo(ContentEncryption.AES_256_GCM);
    }

    @Test
    void configuredValuesReachThePolicy() {
        AlgorithmPolicy p = CryptoPolicies.policy(crypto(3072, List.of("SHA-384"), List.of("AES-256-CBC"),
                Crypto.PackageEncryption.AES_256_CBC, Crypto.RsaKeyTransport.OAEP_SHA256, Crypto.EcdhKdf.SHA256));
        assertThat(p.minRsaBits()).isEqualTo(3072);
        assertThat(p.allowedDigests()).containsExactly("SHA-384");
        assertThat(p.allowedContentEncryption()).containsExactly("AES-256-CBC");
        AlgorithmPolicy builtIn = AlgorithmPolicy.defaults();
        assertThat(p.allowedKeyManagement()).isEqualTo(builtIn.allowedKeyManagement());
        assertThat(p.allowedSignatures()).isEqualTo(builtIn.allowedSignatures());
        assertThat(p.allowedOaepDigests()).isEqualTo(builtIn.allowedOaepDigests());
        assertThat(p.minEcBits()).isEqualTo(builtIn.minEcBits());
    }

    @Test
    void everySettingsChoiceMapsToItsCryptoCounterpart() {
        for (Crypto.RsaKeyTransport t : Crypto.RsaKeyTransport.values()) {
            for (Crypto.EcdhKdf k : Crypto.EcdhKdf.values()) {
                SealerOptions o = CryptoPolicies.sealerOptions(crypto(2048, List.of("SHA-256"), List.of("AES-256-GCM"),
                        Crypto.PackageEncryption.AES_256_GCM, t, k));
                assertThat(o.rsaKeyTransport().name()).isEqualTo(t.name());
                assertThat(o.ecdhKdf().name()).isEqualTo(k.name());
                assertThat(o.rsaSignature()).isEqualTo(SealerOptions.RsaSignature.PKCS1_V15);
            }
        }
        for (Crypto.PackageEncryption e : Crypto.PackageEncryption.values()) {
            ContentEncryption c = CryptoPolicies.packageEncryption(crypto(2048, List.of("SHA-256"),
                    List.of("AES-256-GCM", "AES-256-CBC"), e, Crypto.RsaKeyTransport.OAEP_SHA256, Crypto.EcdhKdf.SHA256));
            assertThat(c.name()).isEqualTo(e.name());
            assertThat(c.policyName()).isEqualTo(e.algorithm());
        }
    }

    /** The key encryption algorithm OID of the single RecipientInfo of a sealed package. */
    private static String keyEncryptionOf(byte[] sealed) throws Exception {
        ContentInfo ci = ContentInfo.getInstance(sealed);
        assertThat(ci.getContentType()).isEqualTo(CMSObjectIdentifiers.envelopedData);
        RecipientInformation ri = new CMSEnvelopedData(ci).getRecipientInfos().getRecipients().iterator().next();
        return ri.getKeyEncryptionAlgOID();
    }

    @Test
    void packagesAreSealedAsConfiguredForEachKindOfRecipientCertificate() throws Exception {
        Identity hubRsa = TestPki.rsa().identity("hub");
        X509Certificate rsaRecipient = TestPki.rsa().identity("mash-bpl").certificate();
        Identity hubEc = TestPki.ec().identity("hub");
        X509Certificate ecRecipient = TestPki.ec().identity("mash-bpl").certificate();
        Crypto legacy = crypto(2048, List.of("SHA-256"), List.of("AES-256-CBC"), Crypto.PackageEncryption.AES_256_CBC,
                Crypto.RsaKeyTransport.PKCS1_V15, Crypto.EcdhKdf.SHA1);
        Crypto modern = crypto(2048, List.of("SHA-256"), List.of("AES-256-CBC"), Crypto.PackageEncryption.AES_256_CBC,
                Crypto.RsaKeyTransport.OAEP_SHA256, Crypto.EcdhKdf.SHA256);
        for (Crypto c : List.of(legacy, modern)) {
            boolean old = c == legacy;
            // PKCS#1 v1.5 key transport only under the policy widened for a recipient the partnership allows it
            AlgorithmPolicy policy = old ? CryptoPolicies.policy(c).withRsaPkcs1KeyTransport() : CryptoPolicies.policy(c);
            if (old) {
                CmsSealer strict = new CmsSealer(CryptoPolicies.policy(c), CryptoPolicies.sealerOptions(c));
                assertThat(catchThrowableOfType(CryptoException.class, () -> strict.seal(CONTENT, hubRsa,
                        List.of(rsaRecipient), CryptoPolicies.packageEncryption(c))).failure())
                        .isEqualTo(org.safeguarding.hub.crypto.CryptoFailure.WEAK_ALGORITHM);
            }
            CmsSealer sealer = new CmsSealer(policy, CryptoPolicies.sealerOptions(c));
            ContentEncryption enc = CryptoPolicies.packageEncryption(c);
            byte[] toRsa = sealer.seal(CONTENT, hubRsa, List.of(rsaRecipient), enc);
            byte[] toEc = sealer.seal(CONTENT, hubEc, List.of(ecRecipient), enc);
            assertThat(keyEncryptionOf(toRsa)).isEqualTo((old ? PKCSObjectIdentifiers.rsaEncryption
                    : PKCSObjectIdentifiers.id_RSAES_OAEP).getId());
            assertThat(keyEncryptionOf(toEc)).isEqualTo((old ? CMSAlgorithm.ECDH_SHA1KDF
                    : CMSAlgorithm.ECDH_SHA256KDF).getId());
            // and the recipient opens it under the same policy
            assertThat(new EnvelopeOpener(List.of(TestPki.rsa().identity("mash-bpl")), policy)
                    .open(toRsa).content()).isEqualTo(CONTENT);
        }
    }

    @Test
    void aNarrowedPolicyRefusesSubmissionsOutsideIt() throws Exception {
        Identity partner = TestPki.ec().identity("lancs-police");
        Identity hub = TestPki.ec().identity("hub");
        byte[] gcm = new CmsSealer(AlgorithmPolicy.defaults())
                .seal(CONTENT, partner, List.of(hub.certificate()), ContentEncryption.AES_256_GCM);
        Crypto cbcOnly = crypto(2048, List.of("SHA-256"), List.of("AES-256-CBC"), Crypto.PackageEncryption.AES_256_CBC,
                Crypto.RsaKeyTransport.OAEP_SHA256, Crypto.EcdhKdf.SHA256);
        CryptoException e = catchThrowableOfType(CryptoException.class,
                () -> new EnvelopeOpener(List.of(hub), CryptoPolicies.policy(cbcOnly)).open(gcm));
        assertThat(e).isNotNull();
        assertThat(e.failure()).isEqualTo(CryptoFailure.WEAK_ALGORITHM);
        assertThat(new EnvelopeOpener(List.of(hub), CryptoPolicies.policy(Crypto.defaults())).open(gcm).content())
                .isEqualTo(CONTENT);

        Crypto sha512Only = crypto(2048, List.of("SHA-512"), List.of("AES-256-GCM"), Crypto.PackageEncryption.AES_256_GCM,
                Crypto.RsaKeyTransport.OAEP_SHA256, Crypto.EcdhKdf.SHA256);
        CryptoException d = catchThrowableOfType(CryptoException.class,
                () -> new EnvelopeOpener(List.of(hub), CryptoPolicies.policy(sha512Only)).open(gcm));
        assertThat(d).isNotNull();
        // the envelope opened: a signature digest outside the policy is the signature's failure (BAD_SIGNATURE)
        assertThat(d.failure()).isEqualTo(CryptoFailure.WEAK_SIGNATURE);
        assertThat(d.getMessage()).contains("SHA-256").contains("sign with SHA-512");
    }

    @Test
    void aRaisedRsaMinimumRefusesRsa2048Signers() throws Exception {
        Identity partner = TestPki.rsa().identity("lancs-police");
        Identity hub = TestPki.rsa3072().identity("hub");
        byte[] sealed = new CmsSealer(AlgorithmPolicy.defaults())
                .seal(CONTENT, partner, List.of(hub.certificate()), ContentEncryption.AES_256_GCM);
        Crypto strict = crypto(3072, List.of("SHA-256"), List.of("AES-256-GCM"), Crypto.PackageEncryption.AES_256_GCM,
                Crypto.RsaKeyTransport.OAEP_SHA256, Crypto.EcdhKdf.SHA256);
        CryptoException e = catchThrowableOfType(CryptoException.class,
                () -> new EnvelopeOpener(List.of(hub), CryptoPolicies.policy(strict)).open(sealed));
        assertThat(e).isNotNull();
        // the signature verifies with a key below the policy: the signer's failure (UNTRUSTED_SIGNER)
        assertThat(e.failure()).isEqualTo(CryptoFailure.WEAK_SIGNER_KEY);
        assertThat(e.getMessage()).contains("2048").contains("3072");
    }

    @Test
    void theHubsOwnKeyMustPassItsPolicy() {
        Crypto strict = crypto(3072, List.of("SHA-256"), List.of("AES-256-GCM"), Crypto.PackageEncryption.AES_256_GCM,
                Crypto.RsaKeyTransport.OAEP_SHA256, Crypto.EcdhKdf.SHA256);
        HubException e = catchThrowableOfType(HubException.class, () -> CryptoPolicies.requireOwnKeyAllowed(
                TestPki.rsa().identity("hub"), CryptoPolicies.policy(strict)));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).contains("2048").contains("crypto.minRsaBits");
        assertThatCode(() -> CryptoPolicies.requireOwnKeyAllowed(TestPki.rsa3072().identity("hub"),
                CryptoPolicies.policy(strict))).doesNotThrowAnyException();
        assertThatCode(() -> CryptoPolicies.requireOwnKeyAllowed(TestPki.ec().identity("hub"),
                CryptoPolicies.policy(strict))).doesNotThrowAnyException();
    }
}
