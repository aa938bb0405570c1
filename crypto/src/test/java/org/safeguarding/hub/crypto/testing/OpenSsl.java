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

    /** A certificate and its unencrypted PKCS#8 key, as PEM files. */
    public record Issued(Path cert, Path key) {}

    /**
     * A participant certificate made by OpenSSL alone, as a partner's own tooling would: {@code openssl req -newkey
     * <newKey>} then {@code openssl x509 -req} signed by {@code caCert}/{@code caKey}, valid for 30 days, key usage
     * digitalSignature (and keyEncipherment), EKU clientAuth and emailProtection. Written as {@code dir/<base>.pem} and
     * {@code dir/<base>.key}.
     *
     * @param newKey the {@code -newkey} argument and its options, e.g. {@code List.of("rsa:1024")} or
     *               {@code List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-384")}
     */
    public static Issued issue(Path caCert, Path caKey, String cn, List<String> newKey, Path dir, String base) {
        return issue(caCert, caKey, cn, newKey, dir, base, "digitalSignature,keyEncipherment");
    }

    /** As {@link #issue(Path, Path, String, List, Path, String)} with the key usage given (OpenSSL's names). */
    public static Issued issue(Path caCert, Path caKey, String cn, List<String> newKey, Path dir, String base,
                               String keyUsage) {
        try {
            Path key = dir.resolve(base + ".key");
            Path csr = dir.resolve(base + ".csr");
            Path cert = dir.resolve(base + ".pem");
            Path ext = dir.resolve(base + ".ext");
            Files.writeString(ext, String.join("\n",
                    "basicConstraints=critical,CA:FALSE",
                    "keyUsage=critical," + keyUsage,
                    "extendedKeyUsage=clientAuth,emailProtection",
                    "subjectKeyIdentifier=hash",
                    "authorityKeyIdentifier=keyid") + "\n");
            List<String> req = new ArrayList<>(List.of("req", "-new", "-nodes", "-subj", "/CN=" + cn, "-keyout", key.toString(),
                    "-out", csr.toString(), "-newkey"));
            req.addAll(newKey);
            run(req, null);
            String serial = "0x" + java.util.HexFormat.of().formatHex(randomSerial());
            run(List.of("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                    "-set_serial", serial, "-days", "30", "-sha256", "-extfile", ext.toString(), "-out", cert.toString()), null);
            Files.delete(csr);
            Files.delete(ext);
            return new Issued(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomSerial() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        b[0] &= 0x7f;
        b[0] |= 0x10;
        return b;
    }

    public static final class OpenSslException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OpenSslException(String message) {
            super(message);
        }
    }
}
