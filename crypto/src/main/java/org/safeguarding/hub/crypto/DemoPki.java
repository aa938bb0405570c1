package org.safeguarding.hub.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Generates a demo/test PKI for the partnership. Everything it writes (keys, PKCS#12) is demo material: generated at
 * run time, never committed.
 * <p>Layout: {@code DIR/ca.pem}, {@code DIR/ca.key}, {@code DIR/ca.crl}, and per participant P {@code DIR/P.pem}
 * (CN=P), {@code DIR/P.key} (unencrypted PKCS#8), {@code DIR/P.p12} (key, certificate and CA chain).
 */
public final class DemoPki {
    static final String CA_NAME = "Safeguarding Partnership Demo CA";
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration PARTICIPANT_VALIDITY = Duration.ofDays(2 * 365);
    private static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);

    private DemoPki() {}

    public static void generate(Path outDir, Collection<String> participantIds, KeyAlgorithm alg, char[] p12Password, Clock clock)
            throws IOException {
        Files.createDirectories(outDir);
        Instant now = clock.instant();
        CertAuthority ca = CertAuthority.selfSigned(CA_NAME, CertAuthority.generateKeyPair(alg), now.minus(BACKDATE), now.plus(CA_VALIDITY));
        writeString(outDir.resolve("ca.pem"), Pem.encode(ca.certificate), false);
        writeString(outDir.resolve("ca.key"), Pem.encode(ca.key), true);
        writeString(outDir.resolve("ca.crl"), Pem.encode(ca.crl(null, null, now)), false);
        for (String id : participantIds) {
            writeParticipant(outDir, id, id, ca, alg, p12Password, now);
        }
        if (participantIds.contains(HUB) && alg == KeyAlgorithm.EC_P256) {
            // the hub's RSA encryption certificate beside its EC one, for partners whose CMS library encrypts only to RSA
            writeParticipant(outDir, HUB, HUB_RSA, ca, KeyAlgorithm.RSA_2048, p12Password, now);
        }
    }

    private static final String HUB = "hub";
    /** The file base of the hub's RSA encryption certificate and key ({@code hub-rsa.pem}, {@code .key}, {@code .p12}). */
    public static final String HUB_RSA = "hub-rsa";

    /**
     * Another certificate (and key) for a participant, for rollover or for a second key algorithm (an RSA certificate
     * beside an EC one); written as {@code P-<serial hex>.pem/.key/.p12}.
     */
    public static X509Certificate issue(Path pkiDir, String participantId, KeyAlgorithm alg, char[] p12Password, Clock clock)
            throws IOException {
        CertAuthority ca = loadCa(pkiDir);
        return writeParticipant(pkiDir, participantId, null, ca, alg, p12Password, clock.instant());
    }

    /**
     * A person's TLS client certificate, for a browser: the person {@code person} acting for {@code participantId}
     * (OU), for client authentication only. Written as {@code person-<participant>-<name>.pem/.key/.p12}; a CMS
     * package can never be sealed to it and it signs no CMS.
     */
    public static X509Certificate issuePerson(Path pkiDir, String participantId, String person, KeyAlgorithm alg,
            char[] p12Password, Clock clock) throws IOException {
        if (person == null || person.isBlank() || participantId == null || participantId.isBlank()) {
            throw new IllegalArgumentException("a person's certificate needs a participant and a name");
        }
        CertAuthority ca = loadCa(pkiDir);
        Instant now = clock.instant();
        KeyPair kp = CertAuthority.generateKeyPair(alg);
        X509Certificate cert = ca.issuePerson(participantId, person.strip(), kp.getPublic(), now.minus(BACKDATE),
                now.minus(BACKDATE).plus(PERSON_VALIDITY));
        writeFiles(pkiDir, personFileBase(participantId, person), person.strip(), kp, cert, ca.chainFor(cert),
                p12Password);
        return cert;
    }

    /** {@code person-lancs-police-jane-smith}: the file base of a person's certificate, key and PKCS#12. */
    public static String personFileBase(String participantId, String person) {
        String slug = Certificates.slug(person);
        return "person-" + participantId + "-" + (slug.isEmpty() ? "unnamed" : slug);
    }

    private static final Duration PERSON_VALIDITY = Duration.ofDays(365);

    /** Adds {@code cert} to {@code DIR/ca.crl} (revoked at the clock's instant) and re-signs it; replaces the file atomically. */
    public static void revoke(Path pkiDir, X509Certificate cert, Clock clock) throws IOException {
        CertAuthority ca = loadCa(pkiDir);
        Path crlFile = pkiDir.resolve("ca.crl");
        X509CRL previous = Files.exists(crlFile) ? Pem.readCrl(crlFile) : null;
        writeString(crlFile, Pem.encode(ca.crl(previous, cert, clock.instant())), false);
    }

    static CertAuthority loadCa(Path pkiDir) throws IOException {
        return new CertAuthority(Pem.readPrivateKey(pkiDir.resolve("ca.key")), Pem.readCertificate(pkiDir.resolve("ca.pem")));
    }

    private static X509Certificate writeParticipant(Path dir, String id, String fileBase, CertAuthority ca, KeyAlgorithm alg,
            char[] password, Instant now) throws IOException {
        KeyPair kp = CertAuthority.generateKeyPair(alg);
        CertAuthority.Profile profile = "hub".equals(id) ? CertAuthority.Profile.HUB : CertAuthority.Profile.PARTICIPANT;
        X509Certificate cert = ca.issue(id, kp.getPublic(), profile, now.minus(BACKDATE), now.minus(BACKDATE).plus(PARTICIPANT_VALIDITY));
        String base = fileBase != null ? fileBase : id + "-" + cert.getSerialNumber().toString(16);
        writeFiles(dir, base, id, kp, cert, ca.chainFor(cert), password);
        return cert;
    }

    static void writeFiles(Path dir, String base, String alias, KeyPair kp, X509Certificate cert, List<X509Certificate> chain,
            char[] password) throws IOException {
        writeString(dir.resolve(base + ".pem"), Pem.encode(cert), false);
        writeString(dir.resolve(base + ".key"), Pem.encode(kp.getPrivate()), true);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, kp.getPrivate(), password, chain.toArray(new Certificate[0]));
            Path p12 = dir.resolve(base + ".p12");
            Path tmp = Files.createTempFile(dir, ".tmp-", ".p12");
            restrict(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, password);
            }
            move(tmp, p12);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write PKCS#12 for " + alias, e);
        }
    }

    /** Writes via a temporary file and an atomic rename, so readers never see half a file. */
    static void writeString(Path target, String content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".tmp-", ".pem");
        if (secret) {
            restrict(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        move(tmp, target);
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void restrict(Path p) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
