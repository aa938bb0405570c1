package org.safeguarding.hub.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * What a TLS listener agrees to, asked with OpenSSL's own client ({@code openssl s_client}, with a participant's
 * certificate, so that only the protocol and cipher decide): the cipher negotiated, or null when the handshake failed.
 */
public final class TlsProbe {
    /** TLS 1.2 suites with CBC and SHA-1 or SHA-2 MACs, in OpenSSL's names: none may be agreed to. */
    public static final List<String> TLS12_CBC_ECDSA = List.of("ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA",
            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384");
    /** The TLS 1.2 AEAD suites an EC certificate can use: each must be agreed to. */
    public static final List<String> TLS12_AEAD_ECDSA = List.of("ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305");
    private static final Pattern CIPHER = Pattern.compile("Cipher is (\\S+)");

    private TlsProbe() {
    }

    /** TLS 1.2 with {@code cipher} (an OpenSSL cipher list) only. */
    public static String tls12(int port, TestPki pki, String participant, String cipher) {
        return handshake(port, pki, participant, List.of("-tls1_2", "-cipher", cipher));
    }

    /** TLS 1.3 with {@code suite} only. */
    public static String tls13(int port, TestPki pki, String participant, String suite) {
        return handshake(port, pki, participant, List.of("-tls1_3", "-ciphersuites", suite));
    }

    static String handshake(int port, TestPki pki, String participant, List<String> options) {
        Path work = null;
        try {
            work = Files.createTempDirectory("s-client-");
            Path out = work.resolve("out");
            Path empty = Files.createFile(work.resolve("in"));
            List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-servername", "localhost", "-CAfile", pki.caPem().toString(),
                    "-cert", pki.cert(participant).toString(), "-key", pki.key(participant).toString()));
            cmd.addAll(options);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(empty.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("openssl s_client did not finish: " + cmd);
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Matcher m = CIPHER.matcher(text);
            String cipher = null;
            while (m.find()) {
                cipher = m.group(1);
            }
            // "Cipher is (NONE)" when the handshake did not complete
            return p.exitValue() != 0 || cipher == null || cipher.equals("(NONE)") ? null : cipher;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        } finally {
            if (work != null) {
                try (var files = Files.list(work)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(work);
                } catch (IOException e) {
                    // a temporary directory left behind
                }
            }
        }
    }
}
