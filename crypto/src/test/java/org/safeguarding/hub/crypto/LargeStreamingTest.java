package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * A 50 MiB message sealed and opened with the streaming API in a JVM whose whole heap (64 MiB) is smaller than the
 * content plus its envelope: it can only pass if neither side holds the message in memory. OpenSSL opens what the hub
 * sealed, and the hub (in the small JVM) opens what OpenSSL sealed (DER, definite lengths, one 50 MiB primitive).
 */
class LargeStreamingTest {
    private static final long LENGTH = 50L * 1024 * 1024;

    @TempDir
    Path work;

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(OpenSsl.TIMEOUT_SECONDS * 3, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
    }

    @Test
    void fiftyMegabytesStreamThroughA64MegabyteHeap() throws Exception {
        TestPki pki = TestPki.ec();
        Path content = work.resolve("content.bin");
        try (InputStream in = new LargeStreamingMain.GeneratedContent(LENGTH); OutputStream out = Files.newOutputStream(content)) {
            in.transferTo(out);
        }
        String expected = sha256(content);
        openssl(work, "cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-in", "content.bin",
                "-signer", pki.cert("lancs-police").toString(), "-inkey", pki.key("lancs-police").toString(),
                "-outform", "DER", "-out", "signed.der");
        openssl(work, "cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "signed.der", "-recip", pki.cert("hub").toString(),
                "-outform", "DER", "-out", "openssl.p7m");
        Files.delete(work.resolve("signed.der"));
        Files.delete(content);

        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-cp", classpath,
                LargeStreamingMain.class.getName(), pki.dir().toString(), work.toString(), Long.toString(LENGTH),
                work.resolve("openssl.p7m").toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("child.log").toFile()).start();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the small-heap JVM finished").isTrue();
        String log = Files.readString(work.resolve("child.log"), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(log).isZero();
        assertThat(log).contains("hub-sealed-AES_256_GCM " + expected + " " + LENGTH + " hub")
                .contains("hub-sealed-AES_256_CBC " + expected + " " + LENGTH + " hub")
                .contains("openssl-sealed " + expected + " " + LENGTH + " lancs-police");
        long maxHeap = Long.parseLong(log.lines().filter(l -> l.startsWith("max-heap ")).findFirst().orElseThrow().substring(9));
        assertThat(maxHeap).isLessThan(2 * LENGTH); // content and envelope together could not have fitted

        // and the recipient's OpenSSL opens the hub's 50 MiB package
        openssl(work, "cms", "-decrypt", "-binary", "-inform", "DER", "-in", "hub-AES_256_GCM.p7m",
                "-recip", pki.cert("mash-bpl").toString(), "-inkey", pki.key("mash-bpl").toString(), "-out", "inner.der");
        openssl(work, "cms", "-verify", "-binary", "-inform", "DER", "-in", "inner.der", "-CAfile", pki.caPem().toString(),
                "-purpose", "any", "-out", "opened.bin");
        assertThat(sha256(work.resolve("opened.bin"))).isEqualTo(expected);
    }
}
