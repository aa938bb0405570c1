package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/**
 * The hub never seals to a certificate whose key usage does not allow it: key agreement for an EC key, key
 * encipherment for an RSA key. A person's certificate for TLS client authentication (digital signature only) is one.
 */
class RecipientKeyUsageTest {
    private static final Instant NOW = Instant.now();
    private static final CertAuthority CA = CertAuthority.selfSigned("Partnership CA",
            CertAuthority.generateKeyPair(KeyAlgorithm.EC_P256), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    private static final Identity HUB = identity("hub", KeyAlgorithm.EC_P256, -1);

    private static Identity identity(String cn, KeyAlgorithm alg, int keyUsage) {
        KeyPair kp = CertAuthority.generateKeyPair(alg);
        X509Certificate cert = CA.issue(cn, kp.getPublic(), CertAuthority.Profile.PARTICIPANT, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(10)), keyUsage);
        return new Identity(kp.getPrivate(), cert, List.of(cert, CA.certificate));
    }

    private static CryptoException refusal(X509Certificate recipient) {
        return catchThrowableOfType(() -> new CmsSealer(Samples.POLICY).seal(Samples.JSON, HUB, List.of(recipient),
                ContentEncryption.AES_256_GCM), CryptoException.class);
    }

    @Test
    void aClientAuthenticationOnlyCertificateIsNeverSealedTo() {
        X509Certificate ec = identity("jo.bloggs", KeyAlgorithm.EC_P256, KeyUsage.digitalSignature).certificate();
        X509Certificate rsa = identity("jo.bloggs", KeyAlgorithm.RSA_2048, KeyUsage.digitalSignature).certificate();

        for (X509Certificate person : List.of(ec, rsa)) {
            assertThat(Certificates.allowsSealingTo(person)).isFalse();
            CryptoException e = refusal(person);
            assertThat(e.failure()).isEqualTo(CryptoFailure.RECIPIENT_KEY_USAGE);
            assertThat(e.detail()).contains("CN=jo.bloggs").contains("key usage");
            assertThat(catchThrowableOfType(() -> new CmsSealer(Samples.POLICY).requireSealable(HUB, List.of(person),
                    ContentEncryption.AES_256_GCM), CryptoException.class).failure())
                    .isEqualTo(CryptoFailure.RECIPIENT_KEY_USAGE);
        }
    }

    @Test
    void theOtherKeysBitIsNotEnough() {
        // key encipherment on an EC key, key agreement on an RSA key: neither is what sealing to that key does
        assertThat(Certificates.allowsSealingTo(identity("a", KeyAlgorithm.EC_P256,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment).certificate())).isFalse();
        assertThat(Certificates.allowsSealingTo(identity("b", KeyAlgorithm.RSA_2048,
                KeyUsage.digitalSignature | KeyUsage.keyAgreement).certificate())).isFalse();
    }

    @Test
    void aRecipientCertificateAllowingItIsSealedToAndOpens() throws Exception {
        Identity ec = identity("police-fib", KeyAlgorithm.EC_P256, KeyUsage.digitalSignature | KeyUsage.keyAgreement);
        Identity rsa = identity("mash-bpl", KeyAlgorithm.RSA_2048, KeyUsage.digitalSignature | KeyUsage.keyEncipherment);

        for (Identity r : List.of(ec, rsa)) {
            assertThat(Certificates.allowsSealingTo(r.certificate())).isTrue();
            byte[] sealed = new CmsSealer(Samples.POLICY).seal(Samples.JSON, HUB, List.of(r.certificate()),
                    ContentEncryption.AES_256_GCM);
            assertThat(new EnvelopeOpener(List.of(r), Samples.POLICY).open(sealed).content()).isEqualTo(Samples.JSON);
        }
    }
}
