package org.safeguarding.hub.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.PublicKey;
import java.time.Clock;
import java.util.Set;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;

class PartnerKeyAuthenticatorTest {
    private static final Set<String> PARTNERS = Set.of("lancs-police", "nhs-lsc");
    private final TestPki pki = TestPki.ec();
    private final CertificateDirectory certificates = new CertificateDirectory(pki.dir(),
            new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl())));
    private final PartnerKeyAuthenticator auth = new PartnerKeyAuthenticator(certificates, PARTNERS::contains,
            Clock.systemUTC());

    /** The key as an SSH client offers it: its OpenSSH public-key line ({@code ssh-keygen -y -f P.key}), parsed back. */
    private PublicKey sshFormOf(String participant) throws Exception {
        String line = PublicKeyEntry.toString(pki.identity(participant).certificate().getPublicKey());
        assertThat(line).startsWith("ecdsa-sha2-nistp256 ");
        return AuthorizedKeyEntry.parseAuthorizedKeyEntry(line).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
    }

    @Test
    void aPartnerLogsInWithTheKeyOfItsOwnCertificate() throws Exception {
        assertThat(auth.authenticate("lancs-police", sshFormOf("lancs-police"), null)).isTrue();
        assertThat(auth.certificateFor("lancs-police", sshFormOf("lancs-police")))
                .contains(pki.identity("lancs-police").certificate());
    }

    @Test
    void anotherPartnersKeyIsRefused() throws Exception {
        assertThat(auth.authenticate("lancs-police", sshFormOf("nhs-lsc"), null)).isFalse();
        assertThat(auth.authenticate("nhs-lsc", sshFormOf("nhs-lsc"), null)).isTrue();
    }

    @Test
    void aRecipientIsRefusedEvenWithItsOwnKey() throws Exception {
        assertThat(auth.authenticate("police-fib", sshFormOf("police-fib"), null)).isFalse();
        // the same key and directory pass once the id is a partner: the role is what refused it
        assertThat(new PartnerKeyAuthenticator(certificates, id -> true, Clock.systemUTC())
                .authenticate("police-fib", sshFormOf("police-fib"), null)).isTrue();
    }

    @Test
    void anUnknownOrMalformedUserIsRefused() throws Exception {
        PartnerKeyAuthenticator anyone = new PartnerKeyAuthenticator(certificates, id -> true, Clock.systemUTC());
        assertThat(anyone.authenticate("nobody", sshFormOf("lancs-police"), null)).isFalse();
        assertThat(anyone.authenticate("../lancs-police", sshFormOf("lancs-police"), null)).isFalse();
        assertThat(anyone.authenticate("", sshFormOf("lancs-police"), null)).isFalse();
    }

    @Test
    void aKeyFromAnotherCaIsRefused() throws Exception {
        PublicKey foreign = TestPki.foreign().identity("lancs-police").certificate().getPublicKey();
        assertThat(auth.authenticate("lancs-police", foreign, null)).isFalse();
    }
}
