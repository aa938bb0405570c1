package org.safeguarding.hub.notices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.Identities;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.PackageFormat;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.partnership.Sector;
import org.safeguarding.hub.sealing.RecipientSealer;

/**
 * The hub's own notices (recalls, updates' recalls, escalation notices) are sealed, as packages are, in the format
 * their recipient declared, to the certificates that format needs, from the certificate directory.
 */
class HubNoticesFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestPki pki = TestPki.ec();
    @TempDir
    Path dir;
    private X509Certificate mashRsa;
    private Identity mashRsaIdentity;
    private HubNotices notices;

    private static Participant recipient(String id, PackageFormat format) {
        return new Participant(id, id, Sector.LOCAL_AUTHORITY, Set.of(Role.RECIPIENT), Set.of(), false, Set.of(), format,
                false);
    }

    @BeforeEach
    void setUp() throws Exception {
        // the directory: mash-bpl with its EC certificate and an RSA one of the same CA, police-fib and mash-bwd EC only
        Files.copy(pki.caPem(), dir.resolve("ca.pem"));
        Files.copy(pki.caKey(), dir.resolve("ca.key"));
        for (String id : List.of("mash-bpl", "police-fib", "mash-bwd")) {
            Files.copy(pki.cert(id), dir.resolve(id + ".pem"));
        }
        mashRsa = DemoPki.issue(dir, "mash-bpl", KeyAlgorithm.RSA_2048, TestPki.PASSWORD.toCharArray(), Clock.systemUTC());
        String base = "mash-bpl-" + mashRsa.getSerialNumber().toString(16);
        mashRsaIdentity = Identities.load(dir.resolve(base + ".pem"), dir.resolve(base + ".key"), null);
        Files.delete(dir.resolve("ca.key"));
        Map<String, Participant> participants = Map.of(
                "mash-bpl", recipient("mash-bpl", PackageFormat.ENVELOPED_AES256_CBC_RSA_OAEP),
                "police-fib", recipient("police-fib", null),
                "mash-bwd", recipient("mash-bwd", PackageFormat.ENVELOPED_AES256_CBC_RSA_OAEP));
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl()));
        notices = new HubNotices(new CertificateDirectory(dir, trust), new RecipientSealer(
                new CmsSealer(AlgorithmPolicy.defaults()), ContentEncryption.AES_256_GCM, pki.identity("hub"),
                id -> Optional.ofNullable(participants.get(id))));
    }

    @Test
    void aNoticeForAnRsaFormatIsEnvelopedDataToTheRsaCertificateOnly() throws Exception {
        List<X509Certificate> certs = notices.sealableCertificates("mash-bpl", Instant.now(), "recall");
        assertThat(certs).containsExactly(mashRsa);
        HubNotices.Sealed sealed = notices.seal(JSON.createObjectNode().put("kind", "recall"), "mash-bpl", certs);
        assertThat(ContentInfo.getInstance(sealed.body()).getContentType()).isEqualTo(CMSObjectIdentifiers.envelopedData);
        assertThat(new String(new EnvelopeOpener(List.of(mashRsaIdentity), AlgorithmPolicy.defaults()).open(sealed.body())
                .content())).contains("recall");
    }

    @Test
    void aNoticeForARecipientWithoutAFormatIsTheHubsDefault() {
        List<X509Certificate> certs = notices.sealableCertificates("police-fib", Instant.now(), "recall");
        HubNotices.Sealed sealed = notices.seal(JSON.createObjectNode().put("kind", "recall"), "police-fib", certs);
        assertThat(ContentInfo.getInstance(sealed.body()).getContentType())
                .isEqualTo(CMSObjectIdentifiers.authEnvelopedData);
    }

    @Test
    void anRsaFormatWithoutAnRsaCertificateIsNoRecipientCertificateNamingTheFormat() {
        HubException e = catchThrowableOfType(() -> notices.sealableCertificates("mash-bwd", Instant.now(), "recall"),
                HubException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.NO_RECIPIENT_CERTIFICATE);
        assertThat(e.getMessage()).contains("enveloped-aes256-cbc-rsa-oaep").contains("RSA certificate");
    }
}
