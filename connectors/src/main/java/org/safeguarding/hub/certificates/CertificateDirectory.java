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
 */
public final class CertificateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateDirectory.class);

    private final Path directory;
    private final TrustValidator trust;
    private String fingerprint = "";
    private Map<String, List<X509Certificate>> byParticipant = Map.of();

    public CertificateDirectory(Path directory, TrustValidator trust) {
        this.directory = directory;
        this.trust = trust;
    }

    /** Every certificate of the participant that chains to the partnership CA and is valid and unrevoked at {@code at}. */
    public List<X509Certificate> validCertificates(String participantId, Instant at) {
        List<X509Certificate> valid = new ArrayList<>();
        for (X509Certificate c : all().getOrDefault(participantId, List.of())) {
            try {
                trust.validate(c, List.of(), at);
                valid.add(c);
            } catch (CryptoException e) {
                LOG.debug("certificate {} of {} not usable: {}", Certificates.sha256Fingerprint(c), participantId,
                        e.failure());
            }
        }
        return valid;
    }

    private synchronized Map<String, List<X509Certificate>> all() {
        String now = listingFingerprint();
        if (!now.equals(fingerprint)) {
            byParticipant = read();
            fingerprint = now;
        }
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
