package org.safeguarding.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.CryptoFailure;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.live.LivePartnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.safeguarding.hub.spool.SealedBody;

/**
 * At intake RSA PKCS#1 v1.5 key transport is accepted only from a partner whose partnership entry allows it (the
 * connection's participant decides, before anything is decrypted); RSA-OAEP from anyone.
 */
class RsaPkcs1IntakeTest {
    private static final byte[] CONTENT = "{\"partnerId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    private final TestPki rsa = TestPki.rsa();

    private SubmissionOpener opener() {
        String yaml = PartnershipLoader.referencePartnershipYaml().replace("  - id: lancs-police\n",
                "  - id: lancs-police\n    allowRsaPkcs1v15: true\n");
        LivePartnership partnership = new LivePartnership(PartnershipLoader.parse(yaml.getBytes(StandardCharsets.UTF_8),
                "test"), new Pseudonymiser(new byte[Pseudonymiser.SECRET_BYTES]));
        AlgorithmPolicy policy = AlgorithmPolicy.defaults();
        return new SubmissionOpener(new EnvelopeOpener(List.of(rsa.identity("hub")), policy),
                new EnvelopeOpener(List.of(rsa.identity("hub")), policy.withRsaPkcs1KeyTransport()),
                new TrustValidator(new FileTrustMaterial(rsa.caPem(), rsa.crl())), partnership);
    }

    private SealedBody sealedBy(String partner, List<String> keyOptions) {
        return SealedBody.of(OpenSsl.signAndEncrypt(CONTENT, rsa.cert(partner), rsa.key(partner), rsa.cert("hub"),
                "-aes-256-cbc", List.of(), keyOptions));
    }

    @Test
    void aPartnerAllowedPkcs1IsOpened() throws Exception {
        SubmissionOpener.Signed s = opener().openSigned(sealedBy("lancs-police", List.of()), "lancs-police", Instant.now());
        assertThat(s.signer()).isEqualTo("lancs-police");
    }

    @Test
    void aPartnerNotAllowedPkcs1IsRefusedAsAWeakAlgorithm() {
        CryptoException e = catchThrowableOfType(() -> opener().openSigned(sealedBy("nhs-lsc", List.of()), "nhs-lsc",
                Instant.now()), CryptoException.class);
        assertThat(e.failure()).isEqualTo(CryptoFailure.WEAK_ALGORITHM);
        assertThat(e.detail()).contains("allowRsaPkcs1v15");
    }

    @Test
    void theChannelDecidesNotTheSigner() {
        // nhs-lsc's connection, an envelope signed by lancs-police: refused before decryption, as nhs-lsc is not allowed
        CryptoException e = catchThrowableOfType(() -> opener().openSigned(sealedBy("lancs-police", List.of()), "nhs-lsc",
                Instant.now()), CryptoException.class);
        assertThat(e.failure()).isEqualTo(CryptoFailure.WEAK_ALGORITHM);
    }

    @Test
    void oaepFromAnyPartner() throws Exception {
        List<String> oaep = List.of("-keyopt", "rsa_padding_mode:oaep", "-keyopt", "rsa_oaep_md:sha256");
        assertThat(opener().openSigned(sealedBy("nhs-lsc", oaep), "nhs-lsc", Instant.now()).signer()).isEqualTo("nhs-lsc");
    }
}
