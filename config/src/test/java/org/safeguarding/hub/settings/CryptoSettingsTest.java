package org.safeguarding.hub.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings.Crypto;

class CryptoSettingsTest {
    @TempDir
    Path dir;

    private Crypto load(String yaml) throws IOException {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml, StandardCharsets.UTF_8);
        return SettingsLoader.load(dir).crypto();
    }

    private List<FieldError> problems(String yaml) throws IOException {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml, StandardCharsets.UTF_8);
        HubException e = catchThrowableOfType(HubException.class, () -> SettingsLoader.load(dir));
        assertThat(e).as("the crypto block should have been refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).startsWith(dir.resolve("hub.yaml") + ": ");
        for (FieldError f : e.errors()) {
            assertThat(e.detail()).contains("  " + f.path() + ": " + f.message());
        }
        return e.errors();
    }

    @Test
    void defaultsAreTheSafeOnes() {
        Crypto c = SettingsLoader.load(dir).crypto();
        assertThat(c.minRsaBits()).isEqualTo(2048);
        assertThat(c.allowedDigests()).containsExactly("SHA-256", "SHA-384", "SHA-512");
        assertThat(c.allowedContentEncryption()).containsExactly("AES-256-GCM", "AES-256-CBC");
        assertThat(c.packageEncryption()).isEqualTo(Crypto.PackageEncryption.AES_256_GCM);
        assertThat(c.rsaKeyTransport()).isEqualTo(Crypto.RsaKeyTransport.OAEP_SHA256);
        assertThat(c.ecdhKdf()).isEqualTo(Crypto.EcdhKdf.SHA256);
    }

    @Test
    void everyKeyCanBeSet() throws IOException {
        Crypto c = load("""
                crypto:
                  minRsaBits: 3072
                  allowedDigests: [SHA-256, SHA-512]
                  allowedContentEncryption: [AES-256-CBC]
                  packageEncryption: AES_256_CBC
                  rsaKeyTransport: PKCS1_V15
                  ecdhKdf: SHA1
                """);
        assertThat(c).isEqualTo(new Crypto(3072, List.of("SHA-256", "SHA-512"), List.of("AES-256-CBC"),
                Crypto.PackageEncryption.AES_256_CBC, Crypto.RsaKeyTransport.PKCS1_V15, Crypto.EcdhKdf.SHA1));
    }

    @Test
    void aPartialBlockKeepsTheOtherDefaults() throws IOException {
        Crypto c = load("""
                crypto:
                  minRsaBits: 3072
                """);
        assertThat(c).isEqualTo(new Crypto(3072, Crypto.defaults().allowedDigests(),
                Crypto.defaults().allowedContentEncryption(), Crypto.PackageEncryption.AES_256_GCM,
                Crypto.RsaKeyTransport.OAEP_SHA256, Crypto.EcdhKdf.SHA256));
    }

    @Test
    void rsaUnder2048BitsCannotBeAllowed() throws IOException {
        assertThat(problems("crypto:\n  minRsaBits: 1024\n")).containsExactly(new FieldError("crypto.minRsaBits",
                "must be at least 2048: RSA keys under 2048 bits are never accepted"));
        assertThat(problems("crypto:\n  minRsaBits: 2047\n")).extracting(FieldError::path)
                .containsExactly("crypto.minRsaBits");
        assertThat(problems("crypto:\n  minRsaBits: 100000\n")).containsExactly(
                new FieldError("crypto.minRsaBits", "must be at most 16384"));
        assertThat(problems("crypto:\n  minRsaBits: 2048.5\n")).containsExactly(
                new FieldError("crypto.minRsaBits", "must be a whole number"));
    }

    @Test
    void sha1AndMd5SignatureDigestsCannotBeAllowed() throws IOException {
        List<FieldError> p = problems("""
                crypto:
                  allowedDigests: [SHA-256, SHA-1, MD5, sha-384, 256]
                """);
        assertThat(p).extracting(FieldError::path).containsExactly(
                "crypto.allowedDigests[1]", "crypto.allowedDigests[2]", "crypto.allowedDigests[3]",
                "crypto.allowedDigests[4]");
        assertThat(p).extracting(FieldError::message).containsOnly(
                "must be one of SHA-256, SHA-384, SHA-512 (SHA-1 and MD5 signatures are never accepted)");
    }

    @Test
    void desTripleDesAndRc2CannotBeAllowed() throws IOException {
        List<FieldError> p = problems("""
                crypto:
                  allowedContentEncryption: [AES-256-GCM, DES-EDE3-CBC, DES-CBC, RC2-CBC, AES-256-CTR]
                """);
        assertThat(p).extracting(FieldError::path).containsExactly(
                "crypto.allowedContentEncryption[1]", "crypto.allowedContentEncryption[2]",
                "crypto.allowedContentEncryption[3]", "crypto.allowedContentEncryption[4]");
        assertThat(p.get(0).message()).startsWith("must be one of AES-256-GCM, AES-256-CBC")
                .endsWith("(DES, 3DES and RC2 are never accepted)");
    }

    @Test
    void smallerAesKeysMayBeAcceptedFromPartners() throws IOException {
        Crypto c = load("""
                crypto:
                  allowedContentEncryption: [AES-256-GCM, AES-128-GCM]
                """);
        assertThat(c.allowedContentEncryption()).containsExactly("AES-256-GCM", "AES-128-GCM");
    }

    @Test
    void listsMustBeListsAndNotEmpty() throws IOException {
        assertThat(problems("crypto:\n  allowedDigests: SHA-256\n")).containsExactly(new FieldError(
                "crypto.allowedDigests", "must be a list such as [SHA-256, SHA-384, SHA-512]"));
        assertThat(problems("crypto:\n  allowedDigests: []\n")).containsExactly(new FieldError(
                "crypto.allowedDigests", "must name at least one digest"));
        assertThat(problems("crypto:\n  allowedContentEncryption: []\n")).containsExactly(new FieldError(
                "crypto.allowedContentEncryption", "must name at least one algorithm"));
    }

    @Test
    void theHubMustBeAbleToSignWithSha256() throws IOException {
        assertThat(problems("crypto:\n  allowedDigests: [SHA-384, SHA-512]\n")).containsExactly(new FieldError(
                "crypto.allowedDigests", "must include SHA-256: the hub signs its packages with it"));
    }

    @Test
    void thePackageEncryptionMustBeOneTheHubAccepts() throws IOException {
        List<FieldError> p = problems("""
                crypto:
                  allowedContentEncryption: [AES-256-GCM]
                  packageEncryption: AES_256_CBC
                """);
        assertThat(p).containsExactly(new FieldError("crypto.packageEncryption",
                "must be one of crypto.allowedContentEncryption (AES-256-CBC is not in it)"));
    }

    @Test
    void choicesNameTheirAllowedValues() throws IOException {
        List<FieldError> p = problems("""
                crypto:
                  packageEncryption: AES-256-GCM
                  rsaKeyTransport: OAEP
                  ecdhKdf: [SHA256]
                """);
        assertThat(p).containsExactlyInAnyOrder(
                new FieldError("crypto.packageEncryption", "must be one of AES_256_GCM, AES_256_CBC"),
                new FieldError("crypto.rsaKeyTransport", "must be one of OAEP_SHA256, PKCS1_V15"),
                new FieldError("crypto.ecdhKdf", "must be a single value"));
    }

    @Test
    void unknownCryptoKeysAreRefused() throws IOException {
        assertThat(problems("crypto:\n  minEcBits: 384\n  allowedDigest: [SHA-256]\n"))
                .extracting(FieldError::path).containsExactlyInAnyOrder("crypto.minEcBits", "crypto.allowedDigest");
    }
}
