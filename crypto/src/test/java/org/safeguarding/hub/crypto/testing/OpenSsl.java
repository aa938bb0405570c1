package org.safeguarding.hub.crypto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command line (OpenSSL 3) with a bounded timeout. */
public final class OpenSsl {
    public static final long TIMEOUT_SECONDS = 60;

    private OpenSsl() {}

    /** {@code openssl <args>}; returns stdout; throws with stderr when the exit code is not 0. */
    public static byte[] run(List<String> args, byte[] stdin) {
        Path work = null;
        try {
            work = Files.createTempDirectory("openssl-run-");
            Path in = work.resolve("stdin");
            Path out = work.resolve("stdout");
            Path err = work.resolve("stderr");
            Files.write(in, stdin == null ? new byte[0] : stdin);
            List<String> cmd = new ArrayList<>();
            cmd.add("openssl");
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new OpenSslException("openssl timed out: " + String.join(" ", args));
            }
            if (p.exitValue() != 0) {
                throw new OpenSslException("openssl " + String.join(" ", args) + " exited " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenSslException("interrupted");
        } finally {
            if (work != null) {
                TestPki.deleteRecursively(work);
            }
        }
    }

    /** {@code openssl cms -sign -binary -nodetach -md sha256 -in - -signer cert -inkey key -outform DER} plus extra options. */
    public static byte[] sign(byte[] content, Path signerCert, Path signerKey, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("cms", "-sign", "-binary", "-nodetach", "-md", "sha256",
                "-signer", signerCert.toString(), "-inkey", signerKey.toString(), "-outform", "DER"));
        args.addAll(extra);
        return run(args, content);
    }

    /** {@code openssl cms -encrypt -binary <cipher> -recip cert [extra] -outform DER}; extra such as -keyopt go after -recip. */
    public static byte[] encrypt(byte[] content, Path recipientCert, String cipher, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("cms", "-encrypt", "-binary", cipher, "-recip", recipientCert.toString()));
        args.addAll(extra);
        args.addAll(List.of("-outform", "DER"));
        return run(args, content);
    }

    /** Exactly the partner recipe of the contract: sign (SHA-256, nodetach) then encrypt with {@code cipher}, e.g. "-aes-256-gcm". */
    public static byte[] signAndEncrypt(byte[] json, Path signerCert, Path signerKey, Path recipientCert, String cipher) {
        return encrypt(sign(json, signerCert, signerKey, List.of()), recipientCert, cipher, List.of());
    }

    public static byte[] signAndEncrypt(byte[] json, Path signerCert, Path signerKey, Path recipientCert, String cipher,
            List<String> signOptions, List<String> encryptOptions) {
        return encrypt(sign(json, signerCert, signerKey, signOptions), recipientCert, cipher, encryptOptions);
    }

    /** {@code openssl cms -decrypt -inform DER -recip cert -inkey key}; returns the inner (signed) DER. */
    public static byte[] decrypt(byte[] p7m, Path recipCert, Path recipKey) {
        return run(List.of("cms", "-decrypt", "-binary", "-inform", "DER", "-recip", recipCert.toString(), "-inkey", recipKey.toString()), p7m);
    }

    /** {@code openssl cms -verify -inform DER -CAfile ca -purpose any}; returns the content. */
    public static byte[] verify(byte[] signedDer, Path caPem) {
        return run(List.of("cms", "-verify", "-binary", "-inform", "DER", "-CAfile", caPem.toString(), "-purpose", "any"), signedDer);
    }

    /** Decrypt then verify, as a recipient does with the hub's packages; returns the content. */
    public static byte[] decryptAndVerify(byte[] p7m, Path recipCert, Path recipKey, Path caPem) {
        return verify(decrypt(p7m, recipCert, recipKey), caPem);
    }

    /** {@code openssl cms -cmsout -print -inform DER}: a readable dump, for asserting on algorithm names. */
    public static String print(byte[] der) {
        return new String(run(List.of("cms", "-cmsout", "-print", "-inform", "DER"), der), StandardCharsets.UTF_8);
    }

    public static final class OpenSslException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OpenSslException(String message) {
            super(message);
        }
    }
}
