package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.crypto.CryptoFailure.UNTRUSTED_SIGNER;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.TestPki;

/** Validity is judged at the time of receipt, not at signing time and not on the wall clock. */
class ExpiredSignerTest {
    private static final Instant ISSUED = Instant.parse("2026-01-10T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void expiredAtReceiptIsUntrusted() throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police"), KeyAlgorithm.EC_P256, Clock.fixed(ISSUED, ZoneOffset.UTC));
        TrustValidator validator = Samples.validator(pki);
        var cert = pki.identity("lancs-police").certificate();
        // the CA keeps publishing: a current CRL at the time of receipt, revoking nobody
        DemoPki.revoke(dir, null, Clock.fixed(ISSUED.plus(Duration.ofDays(700)), ZoneOffset.UTC));

        validator.validate(cert, List.of(), ISSUED.plus(Duration.ofDays(700)));
        CryptoException e = Failures.expectFailure(UNTRUSTED_SIGNER, () -> validator.validate(cert, List.of(), ISSUED.plus(Duration.ofDays(800))));
        assertThat(e.getMessage()).contains("expired");
    }

    @Test
    void notYetValidAtReceiptIsUntrusted() throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police"), KeyAlgorithm.EC_P256, Clock.fixed(ISSUED, ZoneOffset.UTC));
        CryptoException e = Failures.expectFailure(UNTRUSTED_SIGNER,
                () -> Samples.validator(pki).validate(pki.identity("lancs-police").certificate(), List.of(), ISSUED.minus(Duration.ofDays(2))));
        assertThat(e.getMessage()).contains("not yet valid");
    }

    @Test
    void messageFromExpiredSignerStillOpensButIsUntrusted() throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police", "hub"), KeyAlgorithm.EC_P256, Clock.fixed(ISSUED, ZoneOffset.UTC));
        byte[] env = new CmsSealer(Samples.POLICY).seal(Samples.JSON, pki.identity("lancs-police"),
                List.of(pki.identity("hub").certificate()), ContentEncryption.AES_256_GCM);
        OpenedMessage opened = Samples.hubOpener(pki).open(env);
        Failures.expectFailure(UNTRUSTED_SIGNER,
                () -> Samples.validator(pki).validate(opened.signer(), opened.certificates(), ISSUED.plus(Duration.ofDays(3 * 365))));
    }
}
