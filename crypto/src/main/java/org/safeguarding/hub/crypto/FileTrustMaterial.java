package org.safeguarding.hub.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Trust material from PEM files: the CA file (self-signed certificates are anchors, the others intermediates) and an
 * optional CRL file (one or more CRLs). Each call checks whether a file changed (modification time, size, and, while
 * the modification time is too recent to be trusted, a content digest) and re-reads it, so a new CRL takes effect
 * without a restart. A file that cannot be read or parsed fails closed: the calls throw {@link UncheckedIOException},
 * which {@link TrustValidator} reports as {@link CryptoFailure#TRUST_UNAVAILABLE} (nothing is trusted, and the caller
 * tries again later), until the file is readable again.
 */
public final class FileTrustMaterial implements TrustMaterial {
    /** Modification times this close to the moment we read the file may hide a later write in the same tick. */
    private static final Duration RACY = Duration.ofSeconds(3);

    private final Watched<List<X509Certificate>> ca;
    private final Watched<List<X509CRL>> crl;

    public FileTrustMaterial(Path caPem, Path crlOrNull) {
        Providers.ensure();
        this.ca = new Watched<>(Objects.requireNonNull(caPem, "caPem"), Pem::certificatesFrom);
        this.crl = crlOrNull == null ? null : new Watched<>(crlOrNull, Pem::crlsFrom);
        // fail fast on bad files at start-up
        ca.get();
        if (crl != null) {
            crl.get();
        }
    }

    @Override
    public List<X509Certificate> anchors() {
        return ca.get().stream().filter(Certificates::isSelfSigned).toList();
    }

    @Override
    public List<X509Certificate> intermediates() {
        return ca.get().stream().filter(c -> !Certificates.isSelfSigned(c)).toList();
    }

    @Override
    public List<X509CRL> crls() {
        return crl == null ? List.of() : crl.get();
    }

    private interface Loader<T> {
        T load(byte[] pem, String where) throws IOException;
    }

    private static final class Watched<T> {
        private final Path path;
        private final Loader<T> loader;
        private State<T> state;

        private record State<T>(FileTime mtime, long size, byte[] digest, Instant readAt, T value) {}

        Watched(Path path, Loader<T> loader) {
            this.path = path;
            this.loader = loader;
        }

        synchronized T get() {
            try {
                BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
                State<T> s = state;
                if (s != null && s.mtime.equals(attrs.lastModifiedTime()) && s.size == attrs.size()) {
                    boolean racy = s.mtime.toInstant().isAfter(s.readAt.minus(RACY));
                    if (!racy) {
                        return s.value;
                    }
                    byte[] bytes = Files.readAllBytes(path);
                    if (Arrays.equals(digest(bytes), s.digest)) {
                        return s.value;
                    }
                }
                Instant readAt = Instant.now();
                byte[] bytes = Files.readAllBytes(path);
                T value;
                try {
                    value = loader.load(bytes, path.toString());
                } catch (RuntimeException e) {
                    // a parser's unchecked failure on a half-written file is the same: unreadable for now
                    throw new IOException("cannot parse " + path, e);
                }
                state = new State<>(attrs.lastModifiedTime(), attrs.size(), digest(bytes), readAt, value);
                return value;
            } catch (IOException e) {
                state = null;
                throw new UncheckedIOException("cannot read trust material " + path, e);
            }
        }

        private static byte[] digest(byte[] bytes) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public String toString() {
        return "FileTrustMaterial[" + ca.path + (crl == null ? "" : ", " + crl.path) + "]";
    }

}
