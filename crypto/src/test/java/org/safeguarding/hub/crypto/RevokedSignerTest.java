package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.safeguarding.hub.crypto.CryptoFailure.UNTRUSTED_SIGNER;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.TestPki;

/** R06 (second half): the partnership CA revoked the signer; the new CRL takes effect without a restart. */
class RevokedSignerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void revokedSignerIsUntrustedOnceTheCrlFileChanges() throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police", "hub"), KeyAlgorithm.EC_P256, Clock.fixed(T0, ZoneOffset.UTC));
        FileTrustMaterial material = new FileTrustMaterial(pki.caPem(), pki.crl());
        TrustValidator validator = new TrustValidator(material);
        Identity police = pki.identity("lancs-police");
        byte[] crlBefore = Files.readAllBytes(pki.crl());

        validator.validate(police.certificate(), List.of(), T0.plusSeconds(60));

        Instant revokedAt = T0.plus(Duration.ofHours(1));
        DemoPki.revoke(dir, police.certificate(), Clock.fixed(revokedAt, ZoneOffset.UTC));
        assertThat(Files.readAllBytes(pki.crl())).isNotEqualTo(crlBefore);

        // same validator, same material: the rewritten file is picked up
        CryptoException e = Failures.expectFailure(UNTRUSTED_SIGNER,
                () -> validator.validate(police.certificate(), List.of(), revokedAt.plusSeconds(1)));
        assertThat(e.getMessage()).contains("revoked");
        assertThat(material.crls().get(0).getRevokedCertificate(police.certificate().getSerialNumber())).isNotNull();
        // judged at a receipt time before the revocation, the signature still counts
        assertThatCode(() -> validator.validate(police.certificate(), List.of(), revokedAt.minusSeconds(1))).doesNotThrowAnyException();
        // other participants are unaffected
        validator.validate(pki.identity("hub").certificate(), List.of(), revokedAt.plusSeconds(1));
    }

    @Test
    void crlRewrittenInPlaceWithSameSizeAndTimeIsStillNoticed() throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police"), KeyAlgorithm.EC_P256, Clock.fixed(T0, ZoneOffset.UTC));
        FileTrustMaterial material = new FileTrustMaterial(pki.caPem(), pki.crl());
        var mtime = Files.getLastModifiedTime(pki.crl());
        var first = material.crls().get(0);
        DemoPki.revoke(dir, pki.identity("lancs-police").certificate(), Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC));
        Files.setLastModifiedTime(pki.crl(), mtime); // a coarse file system could show the same time
        assertThat(material.crls().get(0)).isNotEqualTo(first);
    }

    /**
     * An unreadable CRL (garbage, cut short mid-rewrite, empty, gone) trusts nobody, and says it is the hub's file, not
     * the signer, so that the submission is tried again rather than refused for good; once the file is whole again the
     * same validator trusts the signer.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"garbage", "truncated", "empty", "deleted"})
    void anUnreadableCrlFailsClosedAsTrustUnavailableUntilItIsWholeAgain(String damage) throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police"), KeyAlgorithm.EC_P256, Clock.fixed(T0, ZoneOffset.UTC));
        Path crl = pki.crl();
        TrustValidator validator = new TrustValidator(new FileTrustMaterial(pki.caPem(), crl));
        X509Certificate police = pki.identity("lancs-police").certificate();
        byte[] whole = Files.readAllBytes(crl);
        switch (damage) {
            case "garbage" -> Files.writeString(crl, "not a crl");
            case "truncated" -> Files.write(crl, java.util.Arrays.copyOf(whole, whole.length / 2));
            case "empty" -> Files.write(crl, new byte[0]);
            default -> Files.delete(crl);
        }

        CryptoException e = Failures.expectFailure(CryptoFailure.TRUST_UNAVAILABLE,
                () -> validator.validate(police, List.of(), T0.plusSeconds(60)));
        assertThat(e.getMessage()).doesNotContain("lancs-police");

        Files.write(crl, whole);
        assertThatCode(() -> validator.validate(police, List.of(), T0.plusSeconds(60))).doesNotThrowAnyException();
    }

    /**
     * A CRL past its nextUpdate (the demo CA's run a year) no longer says whether a certificate was revoked since: the
     * hub trusts nobody it covers, as a passing failure, and its health check says why, until a current CRL is in place.
     */
    @Test
    void aCrlPastItsNextUpdateIsNotCurrentUntilANewOneIsInstalled() throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police"), KeyAlgorithm.EC_P256, Clock.fixed(T0, ZoneOffset.UTC));
        TrustValidator validator = new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl()));
        X509Certificate police = pki.identity("lancs-police").certificate();
        Instant nextUpdate = Pem.readCrl(pki.crl()).getNextUpdate().toInstant();
        Instant later = nextUpdate.plusSeconds(1);

        assertThatCode(() -> validator.validate(police, List.of(), nextUpdate.minusSeconds(1))).doesNotThrowAnyException();
        assertThat(validator.problem(nextUpdate.minusSeconds(1))).isNull();
        CryptoException e = Failures.expectFailure(CryptoFailure.TRUST_UNAVAILABLE,
                () -> validator.validate(police, List.of(), later));
        assertThat(e.getMessage()).contains("expired at " + nextUpdate).contains("install a current CRL");
        assertThat(validator.problem(later)).isEqualTo("a CRL expired at " + nextUpdate);

        DemoPki.revoke(dir, null, Clock.fixed(later, ZoneOffset.UTC)); // the CA publishes again, revoking nobody new
        assertThatCode(() -> validator.validate(police, List.of(), later)).doesNotThrowAnyException();
        assertThat(validator.problem(later)).isNull();
    }

    @Test
    void crlFromAnotherCaDoesNotCount() throws Exception {
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police"), KeyAlgorithm.EC_P256, Clock.fixed(T0, ZoneOffset.UTC));
        TrustMaterial material = TrustMaterial.of(List.of(Pem.readCertificate(pki.caPem())), List.of(),
                List.of(Pem.readCrl(TestPki.foreign().crl())));
        CryptoException e = Failures.expectFailure(UNTRUSTED_SIGNER,
                () -> new TrustValidator(material).validate(pki.identity("lancs-police").certificate(), List.of(), T0.plusSeconds(60)));
        assertThat(e.getMessage()).contains("no CRL");
    }
}
