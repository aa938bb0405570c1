package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Keys as operators hold them: the hub's identity as an encrypted PKCS#8 PEM key or as a PKCS#12, each with its
 * password in a file; the hub starts on it and takes a submission, {@code audit verify} checks its trail with it, and a
 * partner's command line signs with its own encrypted key.
 */
class OperatorKeysIT {
    private static final String PASSWORD = "correct horse battery";
    @TempDir
    Path dir;

    private static CommandLineIT.Run hub(String... args) {
        return CommandLineIT.hub(args);
    }

    private Path encrypted(TestPki pki, String who) throws Exception {
        Path key = dir.resolve(who + "-encrypted.key");
        Files.write(key, OpenSsl.run(List.of("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", pki.key(who).toString(),
                "-passout", "pass:" + PASSWORD), null));
        assertThat(Files.readString(key)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        return key;
    }

    @Test
    void anEncryptedPemKeyAndAPkcs12EachRunTheHubAndVerifyItsTrail() throws Exception {
        TestPki pki = TestPki.ec();
        Path passwordFile = Files.writeString(dir.resolve("key-password"), PASSWORD + "\n");
        Path p12Password = Files.writeString(dir.resolve("p12-password"), TestPki.PASSWORD + "\n");
        Path hubKey = encrypted(pki, "hub");
        for (String identity : List.of(
                "identity:\n  privateKey: " + hubKey + "\n  keyPasswordFile: " + passwordFile + "\n",
                "identity:\n  certificate: " + pki.p12("hub") + "\n  keyPasswordFile: " + p12Password + "\n")) {
            RunningHub running = RunningHub.start(pki, identity);
            String config = running.app().settings().configDirectory().toString();
            try {
                byte[] json = Submissions.current("C01-police-cce-blackpool.json");
                Path sub = Files.write(dir.resolve("sub.json"), json);
                Path sealed = dir.resolve("sub.p7m");
                CommandLineIT.Run seal = hub("seal", "--in", sub.toString(), "--cert", pki.cert("lancs-police").toString(),
                        "--key", encrypted(pki, "lancs-police").toString(), "--key-password-file",
                        passwordFile.toString(), "--to", pki.cert("hub").toString(), "--out", sealed.toString());
                assertThat(seal.exit()).as(seal.err()).isZero();
                CommandLineIT.Run submit = hub("submit", "--url", running.baseUrl(), "--cert", pki.cert("lancs-police").toString(),
                        "--key", encrypted(pki, "lancs-police").toString(), "--key-password-file",
                        passwordFile.toString(), "--ca", pki.caPem().toString(), sealed.toString());
                assertThat(submit.exit()).as(identity + submit.err()).isZero();
                assertThat(submit.out()).contains("\"status\":\"ACCEPTED\"");
                running.awaitRecorded();
                running.app().close(); // stopped, its files kept: the embedded audit store is read offline

                CommandLineIT.Run verify = hub("audit", "verify", "--config", config);
                assertThat(verify.exit()).as(identity + verify.err()).isZero();
                assertThat(verify.out()).startsWith("audit trail OK: ");
            } finally {
                running.close();
            }
        }
    }

    @Test
    void aWrongOrMissingPasswordSaysWhatToDoAndNeverRepeatsIt() throws Exception {
        TestPki pki = TestPki.ec();
        Path wrong = Files.writeString(dir.resolve("wrong"), "Tr0ub4dor\n");
        CommandLineIT.Run seal = hub("seal", "--in", pki.caPem().toString(), "--cert", pki.cert("lancs-police").toString(),
                "--key", encrypted(pki, "lancs-police").toString(), "--key-password-file", wrong.toString(),
                "--to", pki.cert("hub").toString(), "--out", dir.resolve("x.p7m").toString());

        assertThat(seal.exit()).isNotZero();
        assertThat(seal.err()).contains("cannot be decrypted").doesNotContain("Tr0ub4dor").doesNotContain(PASSWORD);
    }
}
