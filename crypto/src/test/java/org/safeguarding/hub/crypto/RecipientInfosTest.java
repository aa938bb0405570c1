package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.UNDECRYPTABLE;
import static org.safeguarding.hub.crypto.CryptoFailure.WEAK_ALGORITHM;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DLSet;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.OtherRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.PasswordRecipient;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKEKRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcePasswordRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * What the hub accepts of RecipientInfos (crypto/README.md, <i>RecipientInfos</i>): key transport (RSA, OAEP or PKCS#1
 * v1.5) and key agreement (ECDH with the SHA-1 or SHA-2 KDFs and AES key wrap), for the hub and for others alike; at
 * most 16 recipients; the hub's own entry found among others and decrypted, the others never; none for the hub, two
 * for the same hub certificate, and KEK, password and other kinds refused as UNDECRYPTABLE. Envelopes built by Bouncy
 * Castle and by OpenSSL, opened both ways.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecipientInfosTest {
    private final TestPki ec = TestPki.ec();
    private final TestPki rsa = TestPki.rsa();
    private final CmsSealer sealer = new CmsSealer(Samples.POLICY);

    private static void opens(EnvelopeOpener opener, byte[] env) throws Exception {
        assertThat(opener.open(env).content()).isEqualTo(Samples.JSON);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        opener.open(new ByteArrayInputStream(env), out);
        assertThat(out.toByteArray()).isEqualTo(Samples.JSON);
    }

    private byte[] signed(TestPki pki) throws CryptoException {
        return sealer.sign(Samples.JSON, pki.identity("lancs-police"));
    }

    private X509Certificate cert(TestPki pki, String id) {
        return pki.identity(id).certificate();
    }

    /** {@code openssl cms -encrypt} of the signed sample to every certificate given, in that order, plus {@code extra}. */
    private static byte[] openssl(byte[] signedDer, String cipher, List<java.nio.file.Path> recipients, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-binary", cipher));
        for (java.nio.file.Path p : recipients) {
            args.add("-recip");
            args.add(p.toString());
        }
        args.addAll(extra);
        args.addAll(List.of("-outform", "DER"));
        return OpenSsl.run(args, signedDer);
    }

    /** Bouncy Castle's generators, as they are, for the signed sample. */
    private static byte[] bc(byte[] content, boolean gcm, List<RecipientInfoGenerator> infos) throws Exception {
        if (gcm) {
            CMSAuthEnvelopedDataGenerator g = new CMSAuthEnvelopedDataGenerator();
            infos.forEach(g::addRecipientInfoGenerator);
            return g.generate(new CMSProcessableByteArray(content), (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(
                    CMSAlgorithm.AES256_GCM).setProvider(Providers.BC).build()).toASN1Structure().getEncoded(ASN1Encoding.DER);
        }
        CMSEnvelopedDataGenerator g = new CMSEnvelopedDataGenerator();
        infos.forEach(g::addRecipientInfoGenerator);
        return g.generate(new CMSProcessableByteArray(content), new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                .setProvider(Providers.BC).build()).toASN1Structure().getEncoded(ASN1Encoding.DER);
    }

    private static RecipientInfoGenerator keyTransport(X509Certificate cert) throws Exception {
        return new JceKeyTransRecipientInfoGenerator(cert).setProvider(Providers.BC);
    }

    /** One KeyAgreeRecipientInfo (one ephemeral key) with a RecipientEncryptedKey for each certificate. */
    private static RecipientInfoGenerator keyAgreement(List<X509Certificate> certs) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC", Providers.bc());
        kpg.initialize(((ECPublicKey) certs.get(0).getPublicKey()).getParams());
        KeyPair ephemeral = kpg.generateKeyPair();
        JceKeyAgreeRecipientInfoGenerator g = new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF,
                ephemeral.getPrivate(), ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP);
        for (X509Certificate c : certs) {
            g.addRecipient(c);
        }
        return g.setProvider(Providers.BC);
    }

    /** The envelope with its RecipientInfos changed by {@code change} (in order; nothing else touched). */
    static byte[] withRecipientInfos(byte[] env, UnaryOperator<List<ASN1Encodable>> change) throws Exception {
        ContentInfo ci = ContentInfo.getInstance(env);
        ASN1EncodableVector v = new ASN1EncodableVector();
        if (CMSObjectIdentifiers.authEnvelopedData.equals(ci.getContentType())) {
            AuthEnvelopedData a = AuthEnvelopedData.getInstance(ci.getContent());
            change.apply(new ArrayList<>(List.of(a.getRecipientInfos().toArray()))).forEach(v::add);
            return new ContentInfo(ci.getContentType(), new AuthEnvelopedData(a.getOriginatorInfo(), new DLSet(v),
                    a.getAuthEncryptedContentInfo(), a.getAuthAttrs(), a.getMac(), a.getUnauthAttrs())).getEncoded(ASN1Encoding.DL);
        }
        EnvelopedData e = EnvelopedData.getInstance(ci.getContent());
        change.apply(new ArrayList<>(List.of(e.getRecipientInfos().toArray()))).forEach(v::add);
        return new ContentInfo(ci.getContentType(), new EnvelopedData(e.getOriginatorInfo(), new DLSet(v),
                e.getEncryptedContentInfo(), e.getUnprotectedAttrs())).getEncoded(ASN1Encoding.DL);
    }

    /** A KeyTransRecipientInfo for a certificate nobody has, with an encrypted key of {@code size} bytes. */
    static ASN1Encodable someoneElse(int size) {
        return new RecipientInfo(new KeyTransRecipientInfo(new RecipientIdentifier(new IssuerAndSerialNumber(
                new X500Name("CN=somebody else"), BigInteger.valueOf(size))),
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), new DEROctetString(new byte[size])));
    }

    // ---- one for the hub among others ----

    @Test
    void theHubsRecipientInfoAmongOthersOpensWhereverItIs() throws Exception {
        for (boolean gcm : List.of(true, false)) {
            ContentEncryption enc = gcm ? ContentEncryption.AES_256_GCM : ContentEncryption.AES_256_CBC;
            // first, in the middle, last; RSA and EC recipients mixed
            opens(Samples.hubOpener(ec), sealer.encrypt(signed(ec), List.of(cert(ec, "hub"), cert(rsa, "mash-bpl")), enc));
            opens(Samples.hubOpener(ec), sealer.encrypt(signed(ec), List.of(cert(rsa, "police-fib"), cert(ec, "hub"),
                    cert(ec, "mash-bpl")), enc));
            opens(Samples.hubOpener(rsa), sealer.encrypt(signed(rsa), List.of(cert(ec, "police-fib"), cert(rsa, "mash-bpl"),
                    cert(rsa, "hub")), enc));
            // one KeyAgreeRecipientInfo holding a RecipientEncryptedKey for the hub and one for another
            opens(Samples.hubOpener(ec), bc(signed(ec), gcm, List.of(keyAgreement(List.of(cert(ec, "mash-bpl"), cert(ec, "hub"))))));
            // and a KeyTransRecipientInfo for someone the hub does not know, never decrypted
            opens(Samples.hubOpener(ec), withRecipientInfos(sealer.encrypt(signed(ec), List.of(cert(ec, "hub")), enc),
                    l -> { l.add(0, someoneElse(256)); return l; }));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-aes-256-gcm", "-aes-256-cbc"})
    void opensslWithSeveralRecipientsOpens(String cipher) throws Exception {
        byte[] signed = OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), List.of());
        opens(Samples.hubOpener(ec), openssl(signed, cipher, List.of(ec.cert("mash-bpl"), ec.cert("hub"), rsa.cert("police-fib")),
                List.of()));
        opens(Samples.hubOpener(rsa), openssl(signed, cipher, List.of(rsa.cert("hub"), ec.cert("mash-bpl")), List.of()));
    }

    @Test
    void noneForTheHubIsNotAddressed() throws Exception {
        byte[] env = sealer.encrypt(signed(ec), List.of(cert(ec, "mash-bpl"), cert(rsa, "police-fib")),
                ContentEncryption.AES_256_GCM);
        byte[] fromOpenSsl = openssl(signed(ec), "-aes-256-gcm", List.of(ec.cert("mash-bpl"), ec.cert("police-fib")), List.of());

        for (byte[] e : List.of(env, fromOpenSsl)) {
            assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), e, UNDECRYPTABLE)).isEqualTo("the envelope is not"
                    + " addressed to the hub: no RecipientInfo names one of its current certificates; encrypt to the hub's"
                    + " current certificate");
        }
    }

    // ---- duplicates ----

    @Test
    void twoRecipientInfosForTheSameHubCertificateAreRefused() throws Exception {
        String detail = "two RecipientInfos name the same certificate of the hub; address each certificate once";
        byte[] signed = OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), List.of());
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), openssl(signed, "-aes-256-gcm",
                List.of(ec.cert("hub"), ec.cert("hub")), List.of()), UNDECRYPTABLE)).isEqualTo(detail);
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(rsa), sealer.encrypt(signed(rsa), List.of(cert(rsa, "hub"),
                cert(rsa, "mash-bpl"), cert(rsa, "hub")), ContentEncryption.AES_256_CBC), UNDECRYPTABLE)).isEqualTo(detail);
        // within one KeyAgreeRecipientInfo too
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), bc(signed(ec), true, List.of(keyAgreement(List.of(
                cert(ec, "hub"), cert(ec, "hub"))))), UNDECRYPTABLE)).isEqualTo(detail);
    }

    @Test
    void aBrokenCopyOfTheHubsRecipientInfoBeforeAGoodOneIsNotTriedAround() throws Exception {
        // the hub does one private-key operation per certificate, not one per RecipientInfo until one works
        byte[] env = sealer.encrypt(signed(rsa), List.of(cert(rsa, "hub")), ContentEncryption.AES_256_GCM);
        byte[] twice = withRecipientInfos(env, l -> {
            KeyTransRecipientInfo good = KeyTransRecipientInfo.getInstance(RecipientInfo.getInstance(l.get(0)).getInfo());
            KeyTransRecipientInfo broken = new KeyTransRecipientInfo(good.getRecipientIdentifier(),
                    good.getKeyEncryptionAlgorithm(), new DEROctetString(new byte[good.getEncryptedKey().getOctets().length]));
            l.add(0, new RecipientInfo(broken));
            return l;
        });
        WeakAlgorithmTest.refused(Samples.hubOpener(rsa), twice, UNDECRYPTABLE);
    }

    @Test
    void bothCertificatesOfAHubDuringRolloverAreNotDuplicates() throws Exception {
        Identity second = rsa.identity("hub");
        EnvelopeOpener rollover = new EnvelopeOpener(List.of(ec.identity("hub"), second), Samples.POLICY);
        opens(rollover, sealer.encrypt(signed(ec), List.of(cert(ec, "hub"), second.certificate()), ContentEncryption.AES_256_GCM));
    }

    // ---- how many ----

    @Test
    void atMostSixteenRecipients() throws Exception {
        List<X509Certificate> others = TestPki.PARTICIPANTS.stream().filter(p -> !p.equals("hub")).map(p -> cert(ec, p)).toList();
        List<X509Certificate> sixteen = new ArrayList<>(others.subList(0, 15));
        sixteen.add(cert(ec, "hub"));
        opens(Samples.hubOpener(ec), sealer.encrypt(signed(ec), sixteen, ContentEncryption.AES_256_GCM));

        String detail = "the envelope names more than 16 recipients; address at most 16, the hub's certificate among them";
        List<X509Certificate> seventeen = new ArrayList<>(others.subList(0, 16));
        seventeen.add(cert(ec, "hub"));
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), sealer.encrypt(signed(ec), seventeen,
                ContentEncryption.AES_256_GCM), UNDECRYPTABLE)).isEqualTo(detail);
        // seventeen RecipientEncryptedKeys in one KeyAgreeRecipientInfo count as seventeen
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), bc(signed(ec), true, List.of(keyAgreement(seventeen))),
                UNDECRYPTABLE)).isEqualTo(detail);
    }

    @Test
    void recipientInfosOverTheHeaderLimitAreRefusedBeforeBouncyCastleReadsThem() throws Exception {
        // five RecipientInfos of 60 KiB each (the guard lets a primitive of up to 64 KiB through)
        byte[] env = withRecipientInfos(sealer.encrypt(signed(ec), List.of(cert(ec, "hub")), ContentEncryption.AES_256_GCM),
                l -> {
                    for (int i = 0; i < 5; i++) {
                        l.add(someoneElse(60 * 1024 + i));
                    }
                    return l;
                });
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), env, UNDECRYPTABLE)).isEqualTo("the envelope's originator"
                + " information and RecipientInfos take more than 256 KiB; address at most 16 recipients");
    }

    // ---- which kinds ----

    @Test
    void keyEncryptionKeyPasswordAndOtherRecipientInfosAreRefusedEvenBesideTheHubs() throws Exception {
        String tail = "; the hub accepts only KeyTransRecipientInfo (RSA) and KeyAgreeRecipientInfo (ECDH), because it keeps"
                + " the sealed message and a sealed message is only as safe as its weakest RecipientInfo: encrypt to"
                + " certificates only (openssl cms -encrypt -recip)";
        for (boolean gcm : List.of(true, false)) {
            RecipientInfoGenerator hub = keyAgreement(List.of(cert(ec, "hub")));
            byte[] kek = bc(signed(ec), gcm, List.of(hub, new JceKEKRecipientInfoGenerator(new byte[] {1, 2, 3},
                    new SecretKeySpec(new byte[32], "AES")).setProvider(Providers.BC)));
            assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), kek, UNDECRYPTABLE))
                    .isEqualTo("the envelope has a KEKRecipientInfo (a key agreed in advance)" + tail);
            byte[] password = bc(signed(ec), gcm, List.of(hub, new JcePasswordRecipientInfoGenerator(CMSAlgorithm.AES256_CBC,
                    "correct horse".toCharArray()).setProvider(Providers.BC)
                    .setPasswordConversionScheme(PasswordRecipient.PKCS5_SCHEME2_UTF8)));
            assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), password, UNDECRYPTABLE))
                    .isEqualTo("the envelope has a PasswordRecipientInfo" + tail);
            // an OtherRecipientInfo (id-ori-kem) that Bouncy Castle would silently drop
            byte[] other = withRecipientInfos(bc(signed(ec), gcm, List.of(hub)), l -> {
                l.add(new RecipientInfo(new OtherRecipientInfo(new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.13.3"),
                        new DERSequence())));
                return l;
            });
            assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), other, UNDECRYPTABLE))
                    .isEqualTo("the envelope has an OtherRecipientInfo (such as a KEMRecipientInfo)" + tail);
        }
    }

    @Test
    void opensslPasswordAndSecretKeyRecipientsAreRefused() throws Exception {
        byte[] signed = OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), List.of());
        byte[] password = openssl(signed, "-aes-256-cbc", List.of(ec.cert("hub")), List.of("-pwri_password", "correct horse"));
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), password, UNDECRYPTABLE)).startsWith("the envelope has a"
                + " PasswordRecipientInfo;");
        byte[] secret = openssl(signed, "-aes-256-cbc", List.of(ec.cert("hub")), List.of("-secretkey",
                "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f", "-secretkeyid", "0a0b0c"));
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), secret, UNDECRYPTABLE)).startsWith("the envelope has a"
                + " KEKRecipientInfo");
    }

    // ---- which algorithms ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "OpenSSL's default | | dhSinglePass-stdDH-sha1kdf-scheme",
            "SHA-256 KDF | -keyopt ecdh_kdf_md:sha256 | dhSinglePass-stdDH-sha256kdf-scheme",
            "SHA-384 KDF | -keyopt ecdh_kdf_md:sha384 | dhSinglePass-stdDH-sha384kdf-scheme",
            "SHA-512 KDF | -keyopt ecdh_kdf_md:sha512 | dhSinglePass-stdDH-sha512kdf-scheme"})
    void ecdhWithTheKdfTheMessageNamesOpens(String what, String keyopt, String scheme) throws Exception {
        byte[] signed = OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), List.of());
        List<String> extra = keyopt == null ? List.of() : List.of(keyopt.split(" "));
        byte[] env = openssl(signed, "-aes-256-gcm", List.of(ec.cert("hub")), extra);
        assertThat(OpenSsl.print(env)).contains(scheme);
        opens(Samples.hubOpener(ec), env);
    }

    @Test
    void cofactorEcdhIsNotAcceptedAndSaysWhatIs() {
        byte[] signed = OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), List.of());
        byte[] env = openssl(signed, "-aes-256-gcm", List.of(ec.cert("hub")), List.of("-keyopt", "ecdh_cofactor_mode:1"));
        assertThat(OpenSsl.print(env)).contains("dhSinglePass-cofactorDH");
        assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(ec), env, WEAK_ALGORITHM)).isEqualTo("a RecipientInfo uses a key"
                + " agreement algorithm the hub does not accept; encrypt to an EC certificate with ECDH-SHA1KDF,"
                + " ECDH-SHA256KDF, ECDH-SHA384KDF or ECDH-SHA512KDF (dhSinglePass-stdDH, OpenSSL's default)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "PKCS#1 v1.5, OpenSSL's default | ",
            "RSA-OAEP with SHA-1 | -keyopt rsa_padding_mode:oaep",
            "RSA-OAEP with SHA-256 | -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha256",
            "RSA-OAEP with SHA-512 | -keyopt rsa_padding_mode:oaep -keyopt rsa_oaep_md:sha512"})
    void rsaKeyTransportOpens(String what, String keyopt) throws Exception {
        byte[] signed = OpenSsl.sign(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), List.of());
        List<String> extra = keyopt == null ? List.of() : List.of(keyopt.split(" "));
        opens(Samples.hubOpener(rsa), openssl(signed, "-aes-256-gcm", List.of(rsa.cert("hub")), extra));
    }

    @Test
    void anotherRecipientsAlgorithmOutsideThePolicyIsRefusedToo() throws Exception {
        // a policy without PKCS#1 v1.5 key transport; the envelope is for the hub (ECDH) and for an RSA recipient (PKCS#1 v1.5)
        AlgorithmPolicy noPkcs1 = Samples.POLICY.withAllowedKeyManagement(Set.of("RSA-OAEP", "ECDH-SHA1KDF", "ECDH-SHA256KDF",
                "AES-256-WRAP"));
        byte[] signed = OpenSsl.sign(Samples.JSON, ec.cert("lancs-police"), ec.key("lancs-police"), List.of());
        byte[] env = openssl(signed, "-aes-256-gcm", List.of(ec.cert("hub"), rsa.cert("mash-bpl")), List.of());
        EnvelopeOpener strict = new EnvelopeOpener(List.of(ec.identity("hub")), noPkcs1);
        assertThat(WeakAlgorithmTest.refused(strict, env, WEAK_ALGORITHM)).isEqualTo("a RecipientInfo uses RSA PKCS#1 v1.5 key"
                + " transport, which the hub accepts only where the partnership allows it for that participant"
                + " (allowRsaPkcs1v15); encrypt with RSA-OAEP (openssl cms -encrypt -keyopt rsa_padding_mode:oaep"
                + " -keyopt rsa_oaep_md:sha256) or to an EC certificate");
        opens(strict, openssl(signed, "-aes-256-gcm", List.of(ec.cert("hub"), rsa.cert("mash-bpl")),
                List.of("-keyopt", "rsa_padding_mode:oaep")));
    }

    // ---- no oracle ----

    @Test
    void aBrokenKeyTransportAndABrokenTagAnswerAlike() throws Exception {
        byte[] signed = OpenSsl.sign(Samples.JSON, rsa.cert("lancs-police"), rsa.key("lancs-police"), List.of());
        for (String padding : List.of("pkcs1", "oaep")) {
            byte[] env = openssl(signed, "-aes-256-gcm", List.of(rsa.cert("hub")), List.of("-keyopt", "rsa_padding_mode:" + padding));
            AuthEnvelopedData a = AuthEnvelopedData.getInstance(ContentInfo.getInstance(env).getContent());
            byte[] key = KeyTransRecipientInfo.getInstance(RecipientInfo.getInstance(a.getRecipientInfos().getObjectAt(0))
                    .getInfo()).getEncryptedKey().getOctets();
            byte[] badKey = Samples.flip(env, Samples.indexOf(env, key) + key.length / 2);
            byte[] badTag = Samples.flip(env, env.length - 1);
            String keyDetail = WeakAlgorithmTest.refused(Samples.hubOpener(rsa), badKey, UNDECRYPTABLE);
            assertThat(WeakAlgorithmTest.refused(Samples.hubOpener(rsa), badTag, UNDECRYPTABLE)).as(padding).isEqualTo(keyDetail)
                    .isEqualTo("decryption failed (wrong key or tampered message)");
        }
    }
}
