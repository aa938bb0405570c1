package org.safeguarding.hub.certificates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.TrustValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participants' certificates, read from the {@code *.pem} files of one directory and
 * grouped by the CN they name. It is read again when the directory's files change, so a new
 * or rolled-over certificate takes effect without a restart. A participant may hold several
 * certificates at once; packages are sealed to every one that is currently valid.
 *
 * <p>Routing asks for every recipient of every submission, so the directory is looked at again at most once a
 * second, and a certificate's path validation (its CA signature and the CRL) is remembered for {@link #CHECK_TTL}
 * while the CA and CRL files stay as they were: a new or rolled-over certificate takes effect within a second, a
 * revocation as soon as the new CRL is installed. Its validity period is checked every time.
 */
public final class CertificateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateDirectory.class);

    private final Path directory;
    private final TrustValidator trust;
    /** How long a path validation is remembered; the broker's trust sweep runs every 15 s. */
    static final java.time.Duration CHECK_TTL = java.time.Duration.ofSeconds(5);
    private static final long LISTING_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private String fingerprint = "";
    private Map<String, List<X509Certificate>> byParticipant = Map.of();
    private long listedAtNanos;
    private boolean listed;
    private final Map<X509Certificate, Check> checks = new java.util.concurrent.ConcurrentHashMap<>();

    /** A path validation's outcome and when (monotonic) it was made. */
    private record Check(long atNanos, Object generation, CryptoException failure) {
    }

    public CertificateDirectory(Path directory, TrustValidator trust) {
        this.directory = directory;
        this.trust = trust;
    }

    /** Every certificate of the participant that chains to the partnership CA and is valid and unrevoked at {@code at}. */
    public List<X509Certificate> validCertificates(String participantId, Instant at) {
        List<X509Certificate> valid = new ArrayList<>();
        for (X509Certificate c : all().getOrDefault(participantId, List.of())) {
            try {
                validate(c, at);
                valid.add(c);
            } catch (CryptoException e) {
                LOG.debug("certificate {} of {} not usable: {}", Certificates.sha256Fingerprint(c), participantId,
                        e.failure());
            }
        }
        return valid;
    }

    /** The validity period at {@code at}, then the remembered (or a fresh) path validation. */
    private void validate(X509Certificate c, Instant at) throws CryptoException {
        try {
            c.checkValidity(java.util.Date.from(at));
        } catch (java.security.cert.CertificateException e) {
            trust.validate(c, List.of(), at); // says why, in the validator's own terms
        }
        long now = System.nanoTime();
        Object generation = trust.generation();
        Check check = checks.get(c);
        if (check == null || now - check.atNanos() > CHECK_TTL.toNanos() || !check.generation().equals(generation)) {
            CryptoException failure = null;
            try {
                trust.validate(c, List.of(), at);
            } catch (CryptoException e) {
                failure = e;
            }
            check = new Check(now, generation, failure);
            if (failure == null || failure.failure() != org.safeguarding.hub.crypto.CryptoFailure.TRUST_UNAVAILABLE) {
                checks.put(c, check); // a CA or CRL file that cannot be read now is asked again next time
            }
        }
        if (check.failure() != null) {
            throw check.failure();
        }
    }

    private synchronized Map<String, List<X509Certificate>> all() {
        long nowNanos = System.nanoTime();
        if (listed && nowNanos - listedAtNanos < LISTING_TTL_NANOS) {
            return byParticipant;
        }
        String now = listingFingerprint();
        if (!now.equals(fingerprint)) {
            byParticipant = read();
            fingerprint = now;
            checks.clear();
        }
        listed = true;
        listedAtNanos = nowNanos;
        return byParticipant;
    }

    private String listingFingerprint() {
        StringBuilder sb = new StringBuilder();
        for (Path p : pemFiles()) {
            try {
                sb.append(p.getFileName()).append(':').append(Files.getLastModifiedTime(p).toMillis())
                        .append(':').append(Files.size(p)).append(';');
            } catch (IOException e) {
                sb.append(p.getFileName()).append(":gone;");
            }
        }
        return sb.toString();
    }

    private List<Path> pemFiles() {
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".pem")).sorted().toList();
        } catch (IOException e) {
            LOG.warn("cannot list the certificate directory {}: {}", directory, e.toString());
            return List.of();
        }
    }

    private Map<String, List<X509Certificate>> read() {
        Map<String, List<X509Certificate>> map = new HashMap<>();
        for (Path p : pemFiles()) {
            try {
                for (X509Certificate c : Pem.readCertificates(p)) {
                    if (c.getBasicConstraints() >= 0) {
                        continue; // a CA certificate
                    }
                    if (!Certificates.organisationalUnit(c).isEmpty() || Certificates.tlsClientOnly(c)) {
                        continue; // a person's, for the console: never a participant's certificate to seal to
                    }
                    String cn = Certificates.commonName(c);
                    if (cn != null) {
                        List<X509Certificate> list = map.computeIfAbsent(cn, k -> new ArrayList<>());
                        if (!list.contains(c)) {
                            list.add(c);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping {}: not a PEM certificate file ({})", p.getFileName(), e.getMessage());
            }
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(map);
    }
}
