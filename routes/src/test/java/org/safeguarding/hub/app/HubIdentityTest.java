package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;

/** The hub's own key from PKCS#12 or PEM, with its password from the environment or a file. */
class HubIdentityTest {
    private static final String NO_SUCH_VARIABLE = "HUB_IDENTITY_TEST_UNSET_VARIABLE";

    @TempDir
    Path dir;

    private static HubSettings.Identity settings(Path certificate, Path key, String passwordEnv, Path passwordFile) {
        TestPki pki = TestPki.ec();
        return new HubSettings.Identity(certificate, key, passwordEnv, passwordFile, pki.caPem(), null, pki.dir());
    }

    private Path passwordFile(String password) throws IOException {
        return Files.writeString(dir.resolve("key-password"), password + "\n");
    }

    /** A copy of the hub's key and certificate in a PKCS#12 file with the given password. */
    private Path p12With(String password) throws Exception {
        Identity hub = TestPki.ec().identity("hub");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("hub", hub.privateKey(), password.toCharArray(), hub.chain().toArray(new Certificate[0]));
        Path p12 = dir.resolve("hub.p12");
        try (OutputStream out = Files.newOutputStream(p12)) {
            ks.store(out, password.toCharArray());
        }
        return p12;
    }

    /** The first (by name) environment variable with a plain printable value other than {@code except}. */
    private static Map.Entry<String, String> setVariable(String except) {
        return new TreeMap<>(System.getenv()).entrySet().stream()
                .filter(e -> e.getValue().matches("[!-~]+") && !e.getValue().equals(except))
                .findFirst().orElseThrow(() -> new AssertionError("no environment variable to test with"));
    }

    @Test
    void loadsFromPkcs12WithThePasswordFromAFile() throws IOException {
        TestPki pki = TestPki.ec();
        Identity id = HubIdentity.load(settings(pki.p12("hub"), dir.resolve("unused.key"), NO_SUCH_VARIABLE,
                passwordFile(TestPki.PASSWORD)));
        assertThat(id.participantId()).isEqualTo("hub");
        assertThat(id.certificate()).isEqualTo(pki.identity("hub").certificate());
        assertThat(id.privateKey().getEncoded()).isEqualTo(pki.identity("hub").privateKey().getEncoded());
    }

    @Test
    void loadsFromPkcs12WithThePasswordFromTheNamedEnvironmentVariable() throws Exception {
        // The test cannot set a variable in its own process: it uses one that is set, whatever its value.
        Map.Entry<String, String> variable = setVariable("");
        Path p12 = p12With(variable.getValue());
        Identity id = HubIdentity.load(settings(p12, dir.resolve("unused.key"), variable.getKey(), null));
        assertThat(id.certificate()).isEqualTo(TestPki.ec().identity("hub").certificate());
    }

    @Test
    void theEnvironmentVariableWinsOverThePasswordFile() throws Exception {
        Map.Entry<String, String> variable = setVariable("wrong-password");
        Path p12 = p12With(variable.getValue());
        Identity id = HubIdentity.load(settings(p12, null, variable.getKey(), passwordFile("wrong-password")));
        assertThat(id.participantId()).isEqualTo("hub");
    }

    @Test
    void loadsFromPemCertificateAndKey() {
        TestPki pki = TestPki.rsa();
        Identity id = HubIdentity.load(settings(pki.cert("hub"), pki.key("hub"), NO_SUCH_VARIABLE, null));
        assertThat(id.certificate()).isEqualTo(pki.identity("hub").certificate());
        assertThat(id.privateKey().getAlgorithm()).isEqualTo("RSA");
    }

    @Test
    void aWrongPkcs12PasswordIsOneLineNamingTheFile() throws IOException {
        Path p12 = TestPki.ec().p12("hub");
        HubException e = catchThrowableOfType(HubException.class, () -> HubIdentity.load(
                settings(p12, dir.resolve("unused.key"), NO_SUCH_VARIABLE, passwordFile("not-the-password"))));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).contains(p12.toString()).doesNotContain("not-the-password").doesNotContain("\n");
        assertThat(e.detail()).contains("identity.keyPasswordFile");
    }

    @Test
    void aMissingPasswordForPkcs12IsRefusedLikeAWrongOne() {
        Path p12 = TestPki.ec().p12("hub");
        HubException e = catchThrowableOfType(HubException.class, () -> HubIdentity.load(
                settings(p12, null, NO_SUCH_VARIABLE, null)));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).contains(p12.toString()).contains("$" + NO_SUCH_VARIABLE).doesNotContain("\n");
    }

    @Test
    void aKeyThatDoesNotMatchTheCertificateIsRefused() {
        TestPki pki = TestPki.ec();
        HubException e = catchThrowableOfType(HubException.class, () -> HubIdentity.load(
                settings(pki.cert("hub"), pki.key("board"), NO_SUCH_VARIABLE, null)));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).contains("does not match").contains(pki.cert("hub").toString()).doesNotContain("\n");
    }

    @Test
    void aMissingCertificateSaysWhatToDo() {
        Path absent = dir.resolve("hub.pem");
        HubException e = catchThrowableOfType(HubException.class, () -> HubIdentity.load(
                settings(absent, dir.resolve("hub.key"), NO_SUCH_VARIABLE, null)));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).startsWith("identity.certificate: " + absent).contains("./hub pki init");
    }

    @Test
    void anUnreadablePasswordFileNamesIt() {
        Path absent = dir.resolve("no-password-file");
        HubException e = catchThrowableOfType(HubException.class, () -> HubIdentity.load(
                settings(TestPki.ec().p12("hub"), null, NO_SUCH_VARIABLE, absent)));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).contains(absent.toString());
    }

    private static HubSettings.Identity withRsa(Path rsaCertificate, Path rsaKey) {
        TestPki pki = TestPki.ec();
        return new HubSettings.Identity(pki.cert("hub"), pki.key("hub"), NO_SUCH_VARIABLE, null, pki.caPem(), null,
                pki.dir(), rsaCertificate, rsaKey);
    }

    @Test
    void theRsaEncryptionIdentityIsOptionalAndMustBeTheHubsRsaKey() {
        TestPki pki = TestPki.ec();
        Identity hub = HubIdentity.load(withRsa(null, null));
        assertThat(HubIdentity.loadRsa(withRsa(null, null), hub)).isEmpty();
        Identity rsa = HubIdentity.loadRsa(withRsa(pki.cert("hub-rsa"), pki.key("hub-rsa")), hub).orElseThrow();
        assertThat(rsa.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> HubIdentity.loadRsa(
                withRsa(pki.cert("hub"), pki.key("hub")), hub), HubException.class))
                .as("an EC certificate").hasMessageContaining("not RSA");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> HubIdentity.loadRsa(
                withRsa(TestPki.rsa().cert("mash-bpl"), TestPki.rsa().key("mash-bpl")), hub), HubException.class))
                .as("another CN").hasMessageContaining("does not name the hub");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> HubIdentity.loadRsa(
                withRsa(null, pki.key("hub-rsa")), hub), HubException.class))
                .hasMessageContaining("identity.rsaPrivateKey is set without identity.rsaCertificate");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> HubIdentity.loadRsa(
                withRsa(pki.cert("hub-rsa"), null), hub), HubException.class))
                .hasMessageContaining("needs identity.rsaPrivateKey");
    }
}
