package org.safeguarding.hub.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
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
import org.safeguarding.hub.partnership.PackageFormat;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.partnership.Sector;

/**
 * Each recipient's envelope in the format it declared: the hub's default when it declared none; EnvelopedData to its
 * RSA certificates only for the RSA formats; PKCS#1 v1.5 only where the partnership allows it.
 */
class RecipientSealerTest {
    private static final byte[] JSON = "{\"packageId\":\"p1\"}".getBytes(StandardCharsets.UTF_8);
    private final TestPki rsa = TestPki.rsa();
    private final TestPki ec = TestPki.ec();
    private final Identity hub = ec.identity("hub");

    private static Participant recipient(String id, PackageFormat format, boolean pkcs1) {
        return new Participant(id, id, Sector.LOCAL_AUTHORITY, Set.of(Role.RECIPIENT), Set.of(), false, Set.of(),
                format, pkcs1);
    }

    private RecipientSealer sealer(SealerOptions options, ContentEncryption defaultEncryption, Participant... ps) {
        Map<String, Participant> byId = new java.util.HashMap<>();
        for (Participant p : ps) {
            byId.put(p.id(), p);
        }
        return new RecipientSealer(new CmsSealer(AlgorithmPolicy.defaults(), options), defaultEncryption, hub,
                id -> Optional.ofNullable(byId.get(id)));
    }

    private RecipientSealer sealer(Participant... ps) {
        return sealer(SealerOptions.defaults(), ContentEncryption.AES_256_GCM, ps);
    }

    private static byte[] sealStreaming(RecipientSealer s, String to, List<X509Certificate> certs) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream sealing = s.sealing(out, to, certs)) {
            sealing.write(JSON);
        }
        return out.toByteArray();
    }

    private static String contentType(byte[] sealed) {
        return ContentInfo.getInstance(sealed).getContentType().getId();
    }

    private static String keyTransport(byte[] sealed) {
        EnvelopedData e = EnvelopedData.getInstance(ContentInfo.getInstance(sealed).getContent());
        return KeyTransRecipientInfo.getInstance(RecipientInfo.getInstance(e.getRecipientInfos().getObjectAt(0)).getInfo())
                .getKeyEncryptionAlgorithm().getAlgorithm().getId();
    }

    private X509Certificate rsaCert(String id) {
        return rsa.identity(id).certificate();
    }

    @Test
    void aCertificateThatDoesNotAllowSealingIsPassedOverAndAloneItIsRefused(@org.junit.jupiter.api.io.TempDir
                                                                              java.nio.file.Path dir) throws Exception {
        // a person's certificate for TLS client authentication only, from the partnership CA, as OpenSSL issues it
        X509Certificate person = org.safeguarding.hub.crypto.Pem.readCertificate(org.safeguarding.hub.crypto.testing
                .OpenSsl.issue(ec.caPem(), ec.caKey(), "police-fib", List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
                        dir, "person", "digitalSignature").cert());
        RecipientSealer s = sealer(recipient("police-fib", null, false));

        byte[] sealed = s.seal(JSON, "police-fib", List.of(person, ec.identity("police-fib").certificate()));
        AuthEnvelopedRecipients.assertOne(sealed);
        assertThat(new EnvelopeOpener(List.of(ec.identity("police-fib")), AlgorithmPolicy.defaults()).open(sealed)
                .content()).isEqualTo(JSON);
        assertThat(s.choose("police-fib", List.of(person, ec.identity("police-fib").certificate())).certificates())
                .containsExactly(ec.identity("police-fib").certificate());

        CryptoException alone = catchThrowableOfType(() -> s.seal(JSON, "police-fib", List.of(person)),
                CryptoException.class);
        assertThat(alone.failure()).isEqualTo(CryptoFailure.RECIPIENT_KEY_USAGE);
        assertThat(alone.detail()).contains("police-fib").contains("install its encryption certificate");
    }

    /** How many recipients an AuthEnvelopedData names. */
    private static final class AuthEnvelopedRecipients {
        static void assertOne(byte[] sealed) {
            var e = org.bouncycastle.asn1.cms.AuthEnvelopedData.getInstance(ContentInfo.getInstance(sealed).getContent());
            assertThat(e.getRecipientInfos().size()).as("sealed to the encryption certificate only").isEqualTo(1);
        }
    }

    @Test
    void noDeclaredFormatIsTheHubsDefault() throws Exception {
        RecipientSealer s = sealer(recipient("mash-bpl", null, false));
        byte[] sealed = s.seal(JSON, "mash-bpl", List.of(ec.identity("mash-bpl").certificate()));
        assertThat(contentType(sealed)).isEqualTo(CMSObjectIdentifiers.authEnvelopedData.getId());
        assertThat(new EnvelopeOpener(List.of(ec.identity("mash-bpl")), AlgorithmPolicy.defaults()).open(sealed).content())
                .isEqualTo(JSON);
        RecipientSealer cbc = sealer(SealerOptions.defaults(), ContentEncryption.AES_256_CBC, recipient("mash-bpl", null, false));
        assertThat(contentType(cbc.seal(JSON, "unknown-to-the-partnership", List.of(rsaCert("mash-bpl")))))
                .isEqualTo(CMSObjectIdentifiers.envelopedData.getId());
        assertThat(s.choose("mash-bpl", List.of(rsaCert("mash-bpl"))).format()).isNull();
    }

    @Test
    void authEnvelopedGoesToEveryCertificateWithOaepForRsa() throws Exception {
        RecipientSealer s = sealer(recipient("mash-bpl", PackageFormat.AUTH_ENVELOPED_AES256_GCM, false));
        List<X509Certificate> both = List.of(ec.identity("mash-bpl").certificate(), rsaCert("mash-bpl"));
        RecipientSealer.Choice c = s.choose("mash-bpl", both);
        assertThat(c.encryption()).isEqualTo(ContentEncryption.AES_256_GCM);
        assertThat(c.certificates()).hasSize(2);
        byte[] sealed = sealStreaming(s, "mash-bpl", both);
        assertThat(new EnvelopeOpener(List.of(rsa.identity("mash-bpl")), AlgorithmPolicy.defaults()).open(sealed).content())
                .isEqualTo(JSON);
    }

    @Test
    void envelopedOaepGoesToTheRsaCertificatesOnly() throws Exception {
        RecipientSealer s = sealer(recipient("mash-bpl", PackageFormat.ENVELOPED_AES256_CBC_RSA_OAEP, false));
        List<X509Certificate> both = List.of(ec.identity("mash-bpl").certificate(), rsaCert("mash-bpl"));
        assertThat(s.choose("mash-bpl", both).certificates()).containsExactly(rsaCert("mash-bpl"));
        for (byte[] sealed : List.of(s.seal(JSON, "mash-bpl", both), sealStreaming(s, "mash-bpl", both))) {
            assertThat(contentType(sealed)).isEqualTo(CMSObjectIdentifiers.envelopedData.getId());
            assertThat(keyTransport(sealed)).isEqualTo(PKCSObjectIdentifiers.id_RSAES_OAEP.getId());
            assertThat(new EnvelopeOpener(List.of(rsa.identity("mash-bpl")), AlgorithmPolicy.defaults()).open(sealed)
                    .content()).isEqualTo(JSON);
        }
    }

    @Test
    void anRsaFormatWithoutAnRsaCertificateIsRefusedNamingTheFormat() {
        RecipientSealer s = sealer(recipient("mash-bpl", PackageFormat.ENVELOPED_AES256_CBC_RSA_OAEP, false));
        CryptoException e = catchThrowableOfType(() -> s.requireSealable("mash-bpl",
                List.of(ec.identity("mash-bpl").certificate())), CryptoException.class);
        assertThat(e.failure()).isEqualTo(CryptoFailure.WEAK_ALGORITHM);
        assertThat(e.detail()).contains("enveloped-aes256-cbc-rsa-oaep").contains("needs an RSA certificate");
    }

    @Test
    void pkcs1ForARecipientAllowedIt() throws Exception {
        RecipientSealer s = sealer(recipient("mash-bpl", PackageFormat.ENVELOPED_AES256_CBC_RSA_PKCS1, true));
        byte[] sealed = sealStreaming(s, "mash-bpl", List.of(rsaCert("mash-bpl")));
        assertThat(contentType(sealed)).isEqualTo(CMSObjectIdentifiers.envelopedData.getId());
        assertThat(keyTransport(sealed)).isEqualTo(PKCSObjectIdentifiers.rsaEncryption.getId());
        assertThat(new EnvelopeOpener(List.of(rsa.identity("mash-bpl")), AlgorithmPolicy.defaults()
                .withRsaPkcs1KeyTransport()).open(sealed).content()).isEqualTo(JSON);
    }

    @Test
    void pkcs1IsRefusedAtSealingForARecipientNotAllowedIt() throws Exception {
        // hub.yaml's default key transport PKCS#1 v1.5 does not reach a recipient the partnership does not allow it
        RecipientSealer s = sealer(SealerOptions.defaults().withRsaKeyTransport(SealerOptions.RsaKeyTransport.PKCS1_V15),
                ContentEncryption.AES_256_CBC, recipient("mash-bpl", null, false), recipient("mash-bwd", null, true));
        CryptoException e = catchThrowableOfType(() -> s.seal(JSON, "mash-bpl", List.of(rsaCert("mash-bpl"))),
                CryptoException.class);
        assertThat(e.failure()).isEqualTo(CryptoFailure.WEAK_ALGORITHM);
        assertThat(catchThrowableOfType(() -> s.requireSealable("mash-bpl", List.of(rsaCert("mash-bpl"))),
                CryptoException.class)).isNotNull();
        assertThat(catchThrowableOfType(() -> s.seal(JSON, "unknown", List.of(rsaCert("mash-bpl"))),
                CryptoException.class)).as("unknown to the partnership: not allowed").isNotNull();
        assertThat(s.choose("mash-bwd", List.of(rsaCert("mash-bwd"))).encryption()).isEqualTo(ContentEncryption.AES_256_CBC);
    }

    @Test
    void aDeclaredPkcs1FormatWithoutTheAllowanceCannotExist() {
        assertThat(catchThrowableOfType(() -> recipient("mash-bpl", PackageFormat.ENVELOPED_AES256_CBC_RSA_PKCS1, false),
                IllegalArgumentException.class)).hasMessageContaining("allowRsaPkcs1v15");
    }
}
