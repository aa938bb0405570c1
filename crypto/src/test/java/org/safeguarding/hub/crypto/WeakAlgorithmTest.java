package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.BAD_SIGNATURE;
import static org.safeguarding.hub.crypto.CryptoFailure.WEAK_ALGORITHM;
import static org.safeguarding.hub.crypto.CryptoFailure.WEAK_SIGNATURE;
import static org.safeguarding.hub.crypto.CryptoFailure.WEAK_SIGNER_KEY;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * What the default policy refuses, made by OpenSSL as a partner would, and with which failure: a weak algorithm in the
 * envelope itself is {@code WEAK_ALGORITHM} (the hub answers UNDECRYPTABLE); once the envelope opens, a SHA-1 or MD5
 * signature is {@code WEAK_SIGNATURE} (BAD_SIGNATURE) and a signer key below the policy {@code WEAK_SIGNER_KEY}
 * (UNTRUSTED_SIGNER), each with a detail naming the algorithm or key and what to use instead. The byte-array and the
 * streaming open say the same.
 */
class WeakAlgorithmTest {
    private final TestPki ec = TestPki.ec();
    private final TestPki rsa = TestPki.rsa();

    @TempDir
    Path dir;

    /** Opens {@code env} both ways; both must fail with {@code kind} and the same detail, which is returned. */
    static String refused(EnvelopeOpener opener, byte[] env, CryptoFailure kind) {
        CryptoException whole = Failures.expectFailure(kind, () -> opener.open(env));
        CryptoException streamed = Failures.expectFailure(kind,
                () -> opener.open(new ByteArrayInputStream(env), new ByteArrayOutputStream()));
        assertThat(streamed.detail()).isEqualTo(whole.detail());
        assertThat(whole.detail()).doesNotContain("Test narrative").doesNotContain("lancs-police");
        return whole.detail();
    }

    /** A certificate of the partnership CA of {@code pki} for {@code keys}, written as {@code base}.pem / .key. */
    private Path issue(TestPki pki, String base, KeyPair keys) throws Exception {
        CertAuthority ca = DemoPki.loadCa(pki.dir());
        Instant now = Instant.now();
        X509Certificate cert = ca.issue("lancs-police", keys.getPublic(), CertAuthority.Profile.PARTICIPANT,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        DemoPki.writeFiles(dir, base, base, keys, cert, List.of(cert), "changeit".toCharArray());
        return dir.resolve(base + ".pem");
    }

    private static KeyPair ecKeys(String curve) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", Providers.bc());
        kpg.initialize(new ECGenParameterSpec(curve));
        return kpg.generateKeyPair();
    }

    // ---- the signature: BAD_SIGNATURE ----

    @Test
    void aSha1DigestWithEcdsaIsAWeakSignatureNamingEcdsaWithSha1() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"),
                "-aes-256-gcm", List.of("-md", "sha1"), List.of());

        String detail = refused(Samples.hubOpener(ec), env, WEAK_SIGNATURE);

        assertThat(detail).isEqualTo("the signature uses SHA-1 (ecdsa-with-SHA1); sign with SHA-256, SHA-384 or SHA-512"
                + " (openssl cms -sign -md sha256)");
    }

    @Test
    void aSha1DigestWithRsaIsAWeakSignatureNamingSha1WithRsaEncryption() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), rsa.cert("hub"),
                "-aes-256-cbc", List.of("-md", "sha1"), List.of());

        String detail = refused(Samples.hubOpener(rsa), env, WEAK_SIGNATURE);

        assertThat(detail).startsWith("the signature uses SHA-1 (sha1WithRSAEncryption); sign with SHA-256");
    }

    @Test
    void anMd5SignatureIsAWeakSignature() {
        byte[] signed = OpenSsl.sign(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), List.of("-md", "md5"));
        CryptoException e = Failures.expectFailure(WEAK_SIGNATURE, () -> new SignatureVerifier(Samples.POLICY).verify(signed));
        assertThat(e.detail()).startsWith("the signature uses MD5 (md5WithRSAEncryption)");
    }

    @Test
    void aSignatureAlgorithmNamingSha1IsRefusedEvenWhenTheDigestAlgorithmSaysSha256() throws Exception {
        // the SignerInfo's digestAlgorithm says SHA-256 but its signatureAlgorithm is sha1WithRSAEncryption
        byte[] signed = new CmsSealer(Samples.POLICY).sign(Samples.JSON, rsa.identity("lancs-police"));
        byte[] forged = withSignatureAlgorithm(signed, new AlgorithmIdentifier(PKCSObjectIdentifiers.sha1WithRSAEncryption));
        byte[] env = new CmsSealer(Samples.POLICY).encrypt(forged, List.of(rsa.identity("hub").certificate()),
                ContentEncryption.AES_256_GCM);

        assertThat(refused(Samples.hubOpener(rsa), env, WEAK_SIGNATURE)).startsWith("the signature uses SHA-1 (sha1WithRSAEncryption)");
    }

    @Test
    void anUnknownSignatureAlgorithmIsAWeakSignatureThatDoesNotRepeatItsOid() throws Exception {
        byte[] signed = new CmsSealer(Samples.POLICY).sign(Samples.JSON, ec.identity("lancs-police"));
        byte[] forged = withSignatureAlgorithm(signed, new AlgorithmIdentifier(
                new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1")));
        byte[] env = new CmsSealer(Samples.POLICY).encrypt(forged, List.of(ec.identity("hub").certificate()),
                ContentEncryption.AES_256_GCM);

        String detail = refused(Samples.hubOpener(ec), env, WEAK_SIGNATURE);

        assertThat(detail).startsWith("the signature algorithm is not one the hub accepts; sign with RSA (PKCS#1 v1.5 or PSS)"
                + " or ECDSA").doesNotContain("99999");
    }

    @Test
    void aSha1SignatureBySmallKeyIsAWeakSignatureFirst() throws Exception {
        Path weak = issue(rsa, "weak", CertAuthority.generateKeyPair("RSA", 1024));
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, weak, dir.resolve("weak.key"), rsa.cert("hub"), "-aes-256-gcm",
                List.of("-md", "sha1"), List.of());

        refused(Samples.hubOpener(rsa), env, WEAK_SIGNATURE);
    }

    @Test
    void aStricterPolicyNamesOnlyTheDigestsItAccepts() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"),
                "-aes-256-gcm");
        EnvelopeOpener strict = new EnvelopeOpener(List.of(ec.identity("hub")),
                Samples.POLICY.withAllowedDigests(Set.of("SHA-384", "SHA-512")));

        assertThat(refused(strict, env, WEAK_SIGNATURE)).startsWith("the signature uses SHA-256 (ecdsa-with-SHA256); sign"
                + " with SHA-384 or SHA-512");
    }

    // ---- the signer's key: UNTRUSTED_SIGNER ----

    @Test
    void anRsa1024SignerIsAWeakSignerKeyNamingItsSize() throws Exception {
        KeyPair small = CertAuthority.generateKeyPair("RSA", 1024);
        Path weak = issue(rsa, "weak", small);
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, weak, dir.resolve("weak.key"), rsa.cert("hub"), "-aes-256-gcm");

        String detail = refused(Samples.hubOpener(rsa), env, WEAK_SIGNER_KEY);

        assertThat(detail).isEqualTo("the signer's certificate is for an RSA key of 1024 bits, below the minimum of 2048;"
                + " sign with a certificate from the partnership CA for RSA keys of at least 2048 bits or EC keys on P-256,"
                + " P-384 or P-521");
    }

    @Test
    void anRsa1024SignatureThatDoesNotVerifyIsABadSignatureNotAWeakKey() throws Exception {
        Path weak = issue(rsa, "weak", CertAuthority.generateKeyPair("RSA", 1024));
        byte[] signed = OpenSsl.sign(Samples.JSON, weak, dir.resolve("weak.key"), List.of());
        byte[] altered = signed.clone();
        int area = Samples.indexOf(altered, "\"BPL\"".getBytes(StandardCharsets.US_ASCII));
        altered[area + 2] = 'W';
        byte[] env = OpenSsl.encrypt(altered, rsa.cert("hub"), "-aes-256-gcm", List.of());

        refused(Samples.hubOpener(rsa), env, BAD_SIGNATURE);
    }

    @Test
    void aPolicyAboveTheSignersKeySizeNamesBoth() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), rsa.cert("hub"),
                "-aes-256-gcm");
        // the hub's own RSA-2048 key is refused too by such a policy, so open with the 3072-bit hub
        TestPki big = TestPki.rsa3072();
        byte[] toBigHub = OpenSsl.signAndEncrypt(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"),
                big.cert("hub"), "-aes-256-gcm");
        EnvelopeOpener strict = new EnvelopeOpener(List.of(big.identity("hub")), Samples.POLICY.withMinRsaBits(3072));

        assertThat(refused(strict, toBigHub, WEAK_SIGNER_KEY)).contains("an RSA key of 2048 bits, below the minimum of 3072")
                .contains("RSA keys of at least 3072 bits");
        Failures.expectFailure(CryptoFailure.UNDECRYPTABLE, () -> strict.open(env));
    }

    @Test
    void anEcSignerOnACurveOutsideThePolicyIsAWeakSignerKeyNamingTheCurve() throws Exception {
        Path brainpool = issue(ec, "brainpool", ecKeys("brainpoolP256r1"));
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, brainpool, dir.resolve("brainpool.key"), ec.cert("hub"),
                "-aes-256-gcm");

        String detail = refused(Samples.hubOpener(ec), env, WEAK_SIGNER_KEY);

        assertThat(detail).startsWith("the signer's certificate is for an EC key on brainpoolP256r1, not an accepted curve;"
                + " sign with a certificate from the partnership CA for RSA keys of at least 2048 bits or EC keys on P-256");
    }

    @Test
    void p384AndP521SignersAreAccepted() throws Exception {
        for (String curve : List.of("secp384r1", "secp521r1")) {
            Path cert = issue(ec, curve, ecKeys(curve));
            byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, cert, dir.resolve(curve + ".key"), ec.cert("hub"), "-aes-256-gcm");
            assertThat(Samples.hubOpener(ec).open(env).content()).as(curve).isEqualTo(Samples.JSON);
        }
    }

    @Test
    void aPolicyWithoutP256RefusesTheUsualSigner() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"),
                "-aes-256-gcm");
        AlgorithmPolicy noP256 = Samples.POLICY.withAllowedCurves(Set.of("P-384", "P-521"));
        // the hub's own P-256 key is refused by that policy as a recipient key: an envelope matter
        Failures.expectFailure(WEAK_ALGORITHM, () -> new EnvelopeOpener(List.of(ec.identity("hub")), noP256).open(env));
        CryptoException e = Failures.expectFailure(WEAK_SIGNER_KEY, () -> new SignatureVerifier(noP256).verify(
                OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), List.of())));
        assertThat(e.detail()).contains("an EC key on P-256, not an accepted curve").contains("EC keys on P-384 or P-521");
    }

    // ---- the envelope itself: UNDECRYPTABLE ----

    @Test
    void tripleDesContentEncryptionIsRefused() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), rsa.cert("hub"), "-des3");
        assertThat(OpenSsl.print(env)).contains("des-ede3-cbc");

        assertThat(refused(Samples.hubOpener(rsa), env, WEAK_ALGORITHM)).isEqualTo("the content is encrypted with DES-EDE3-CBC,"
                + " which the hub does not accept; encrypt with AES-256-GCM or AES-256-CBC (openssl cms -encrypt -aes-256-gcm)");
    }

    @Test
    void aWeakEnvelopeIsRefusedAsSuchBeforeItsWeakSignatureIsLookedAt() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), rsa.cert("hub"),
                "-des3", List.of("-md", "sha1"), List.of());

        assertThat(refused(Samples.hubOpener(rsa), env, WEAK_ALGORITHM)).contains("DES-EDE3-CBC");
    }

    @Test
    void aes128IsNotWhatTheContractAllows() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"), "-aes-128-cbc");
        assertThat(refused(Samples.hubOpener(ec), env, WEAK_ALGORITHM)).startsWith("the content is encrypted with AES-128-CBC");
    }

    @Test
    void aStricterPolicyRefusesTheSha1Kdf() {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), ec.cert("hub"), "-aes-256-gcm");
        AlgorithmPolicy strict = Samples.POLICY.withAllowedKeyManagement(Set.of("ECDH-SHA256KDF", "AES-256-WRAP"));
        EnvelopeOpener opener = new EnvelopeOpener(List.of(ec.identity("hub")), strict);

        assertThat(refused(opener, env, WEAK_ALGORITHM)).isEqualTo("a RecipientInfo uses ECDH-SHA1KDF key agreement, which the"
                + " hub does not accept; encrypt to an EC certificate with ECDH-SHA256KDF (dhSinglePass-stdDH, OpenSSL's default)");
    }

    // ---- what the hub itself seals ----

    @Test
    void theSealerRefusesAWeakKeyOfItsOwnOrOfARecipient() throws Exception {
        KeyPair small = CertAuthority.generateKeyPair("RSA", 1024);
        CertAuthority ca = DemoPki.loadCa(rsa.dir());
        Instant now = Instant.now();
        X509Certificate cert = ca.issue("lancs-police", small.getPublic(), CertAuthority.Profile.PARTICIPANT,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
        Identity weak = new Identity(small.getPrivate(), cert, List.of(cert));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(Samples.POLICY).sign(Samples.JSON, weak));
        Failures.expectFailure(WEAK_ALGORITHM,
                () -> new CmsSealer(Samples.POLICY).encrypt(Samples.JSON, List.of(cert), ContentEncryption.AES_256_GCM));
        // the check routing makes before it seals anything refuses the same
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(Samples.POLICY).requireSealable(rsa.identity("hub"),
                List.of(cert), ContentEncryption.AES_256_GCM));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(Samples.POLICY).requireSealable(weak,
                List.of(rsa.identity("mash-bpl").certificate()), ContentEncryption.AES_256_GCM));
        CryptoException own = Failures.expectFailure(WEAK_ALGORITHM, () -> Samples.POLICY.checkKey(small.getPublic(), "the hub's"));
        assertThat(own.detail()).isEqualTo("the hub's key is an RSA key of 1024 bits, below the minimum of 2048; the policy"
                + " accepts RSA keys of at least 2048 bits or EC keys on P-256, P-384 or P-521");
    }

    @Test
    void sealerRefusesWhatThePolicyRefuses() throws Exception {
        AlgorithmPolicy noCbc = Samples.POLICY.withAllowedContentEncryption(Set.of("AES-256-GCM"));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(noCbc).encrypt(Samples.JSON,
                List.of(ec.identity("hub").certificate()), ContentEncryption.AES_256_CBC));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(noCbc).requireSealable(ec.identity("hub"),
                List.of(ec.identity("mash-bpl").certificate()), ContentEncryption.AES_256_CBC));
        AlgorithmPolicy noSha1Kdf = Samples.POLICY.withAllowedKeyManagement(Set.of("ECDH-SHA256KDF",
                "AES-256-WRAP", "RSA-OAEP"));
        Failures.expectFailure(WEAK_ALGORITHM, () -> new CmsSealer(noSha1Kdf, SealerOptions.defaults()
                .withEcdhKdf(SealerOptions.EcdhKdf.SHA1)).requireSealable(ec.identity("hub"),
                List.of(ec.identity("mash-bpl").certificate()), ContentEncryption.AES_256_GCM));
        // and passes what sealing passes
        new CmsSealer(Samples.POLICY).requireSealable(ec.identity("hub"), List.of(ec.identity("mash-bpl").certificate()),
                ContentEncryption.AES_256_GCM);
    }

    /** {@code signedDer} (a ContentInfo with one SignerInfo) with that SignerInfo's signatureAlgorithm replaced. */
    static byte[] withSignatureAlgorithm(byte[] signedDer, AlgorithmIdentifier sigAlg) throws Exception {
        SignedData sd = SignedData.getInstance(ContentInfo.getInstance(signedDer).getContent());
        SignerInfo si = SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(0));
        SignerInfo changed = new SignerInfo(si.getSID(), si.getDigestAlgorithm(), si.getAuthenticatedAttributes(), sigAlg,
                si.getEncryptedDigest(), si.getUnauthenticatedAttributes());
        SignedData out = new SignedData(sd.getDigestAlgorithms(), sd.getEncapContentInfo(), sd.getCertificates(),
                sd.getCRLs(), new DERSet(changed));
        return new ContentInfo(CMSObjectIdentifiers.signedData, out).getEncoded(ASN1Encoding.DER);
    }
}
