package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

class PemTest {
    @TempDir
    Path dir;

    @Test
    void readsPkcs8AndTraditionalEcAndRsaKeys() throws Exception {
        Path ecTraditional = dir.resolve("ec-trad.key");
        Files.write(ecTraditional, OpenSsl.run(List.of("ec", "-in", TestPki.ec().key("hub").toString()), null));
        assertThat(Files.readString(ecTraditional)).contains("BEGIN EC PRIVATE KEY");
        Path rsaTraditional = dir.resolve("rsa-trad.key");
        Files.write(rsaTraditional, OpenSsl.run(List.of("rsa", "-traditional", "-in", TestPki.rsa().key("hub").toString()), null));
        assertThat(Files.readString(rsaTraditional)).contains("BEGIN RSA PRIVATE KEY");

        assertThat(Files.readString(TestPki.ec().key("hub"))).contains("BEGIN PRIVATE KEY");
        assertThat(Pem.readPrivateKey(TestPki.ec().key("hub")).getEncoded()).isEqualTo(Pem.readPrivateKey(ecTraditional).getEncoded());
        assertThat(Pem.readPrivateKey(TestPki.rsa().key("hub")).getEncoded()).isEqualTo(Pem.readPrivateKey(rsaTraditional).getEncoded());
        // and the traditional files make working identities
        Identities.fromPem(TestPki.ec().cert("hub"), ecTraditional);
        Identities.fromPem(TestPki.rsa().cert("hub"), rsaTraditional);
    }

    @Test
    void readsBundlesAndRoundTripsEncodings() throws Exception {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(TestPki.ec().caPem()) + Files.readString(TestPki.foreign().caPem()));
        assertThat(Pem.readCertificates(bundle)).hasSize(2);
        assertThat(Pem.readCertificate(bundle)).isEqualTo(Pem.readCertificate(TestPki.ec().caPem()));

        var crl = Pem.readCrl(TestPki.ec().crl());
        Path crlCopy = Files.writeString(dir.resolve("copy.crl"), Pem.encode(crl));
        assertThat(Pem.readCrl(crlCopy)).isEqualTo(crl);
        var cert = Pem.readCertificate(TestPki.ec().cert("mash-bpl"));
        assertThat(Pem.encode(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Pem.encode(Pem.readPrivateKey(TestPki.ec().key("mash-bpl")))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void readsKeysEncryptedAsOpenSslWritesThemWithTheirPassword() throws Exception {
        var plain = Pem.readPrivateKey(TestPki.ec().key("hub"));
        for (List<String> how : List.of(
                List.of("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", TestPki.ec().key("hub").toString()),
                List.of("pkcs8", "-topk8", "-in", TestPki.ec().key("hub").toString()),
                List.of("ec", "-aes256", "-in", TestPki.ec().key("hub").toString()))) {
            Path encrypted = dir.resolve("enc.key");
            List<String> args = new java.util.ArrayList<>(how);
            args.addAll(List.of("-passout", "pass:correct horse"));
            Files.write(encrypted, OpenSsl.run(args, null));

            assertThat(Pem.readPrivateKey(encrypted, "correct horse".toCharArray()).getEncoded()).as(how.toString())
                    .isEqualTo(plain.getEncoded());
            assertThatThrownBy(() -> Pem.readPrivateKey(encrypted, "Tr0ub4dor".toCharArray())).as(how.toString())
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot be decrypted")
                    .hasMessageNotContaining("Tr0ub4dor").hasMessageNotContaining("horse");
            assertThatThrownBy(() -> Pem.readPrivateKey(encrypted)).as(how.toString())
                    .isInstanceOf(IOException.class).hasMessageContaining("is encrypted: give its password");
        }
    }

    @Test
    void refusesFilesWithoutTheObject() throws Exception {
        assertThatThrownBy(() -> Pem.readPrivateKey(TestPki.ec().caPem())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Pem.readCrl(TestPki.ec().caPem())).isInstanceOf(IOException.class);
        Path junk = Files.writeString(dir.resolve("junk.pem"), "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Pem.readCertificate(junk)).isInstanceOf(IOException.class);
    }
}
