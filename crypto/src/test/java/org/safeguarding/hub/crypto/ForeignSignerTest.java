package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.UNTRUSTED_SIGNER;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/** R06 (first half): signed by a key whose certificate another CA issued, even with the right name. */
class ForeignSignerTest {
    private final TestPki pki = TestPki.ec();
    private final TestPki foreign = TestPki.foreign();

    @Test
    void foreignLancsPoliceSignatureVerifiesButIsNotTrusted() throws Exception {
        byte[] env = OpenSsl.signAndEncrypt(Samples.JSON, foreign.cert("lancs-police"), foreign.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm");
        OpenedMessage opened = Samples.hubOpener(pki).open(env);
        assertThat(Certificates.commonName(opened.signer())).isEqualTo("lancs-police");

        CryptoException e = Failures.expectFailure(UNTRUSTED_SIGNER,
                () -> Samples.validator(pki).validate(opened.signer(), opened.certificates(), Instant.now()));
        assertThat(e.getMessage()).contains("chain");
    }

    @Test
    void foreignCaCertificateCarriedInTheMessageDoesNotHelp() throws Exception {
        Identity foreignSigner = foreign.identity("lancs-police");
        List<java.security.cert.X509Certificate> offered = List.of(Pem.readCertificate(foreign.caPem()));
        Failures.expectFailure(UNTRUSTED_SIGNER,
                () -> Samples.validator(pki).validate(foreignSigner.certificate(), offered, Instant.now()));
    }
}
