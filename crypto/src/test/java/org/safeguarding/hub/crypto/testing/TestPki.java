package org.safeguarding.hub.crypto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.Identities;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.KeyAlgorithm;

/**
 * A demo PKI generated once per JVM (lazily, thread-safe) in a temporary directory deleted at exit. Treat it as
 * read-only: tests that revoke or rotate make their own with {@link DemoPki#generate}.
 */
public final class TestPki {
    public static final String PASSWORD = "changeit";

    /** Every participant of the reference partnership. */
    public static final List<String> PARTICIPANTS = List.of(
            "lancs-police", "nhs-lsc", "bwd-education", "bpl-education", "lancs-vcs", "bpl-csc",
            "police-fib", "mash-bwd", "mash-bpl", "mash-lancs", "health-safeguarding", "education-bwd", "education-bpl",
            "vcs-missing", "placing-manchester", "youth-justice", "hub", "ig-lead", "board");

    private final Path dir;
    private final Map<String, Identity> identities = new ConcurrentHashMap<>();

    private TestPki(Path dir) {
        this.dir = dir;
    }

    private static final class Ec {
        static final TestPki INSTANCE = create("ec", PARTICIPANTS, KeyAlgorithm.EC_P256);
    }

    private static final class Rsa {
        static final TestPki INSTANCE = create("rsa", PARTICIPANTS, KeyAlgorithm.RSA_2048);
    }

    private static final class Rsa3072 {
        static final TestPki INSTANCE = create("rsa3072", List.of("lancs-police", "hub", "mash-bpl"), KeyAlgorithm.RSA_3072);
    }

    private static final class Foreign {
        static final TestPki INSTANCE = create("foreign", List.of("lancs-police", "hub"), KeyAlgorithm.EC_P256);
    }

    /** EC P-256 for everyone. */
    public static TestPki ec() {
        return Ec.INSTANCE;
    }

    /** RSA-2048 for everyone. */
    public static TestPki rsa() {
        return Rsa.INSTANCE;
    }

    /** RSA-3072, for lancs-police, hub and mash-bpl only. */
    public static TestPki rsa3072() {
        return Rsa3072.INSTANCE;
    }

    /** A second, unrelated CA with a "lancs-police" (and a "hub"): for untrusted-signer tests. */
    public static TestPki foreign() {
        return Foreign.INSTANCE;
    }

    /** A fresh PKI in {@code dir} (for tests that change it: revoke, rotate). */
    public static TestPki createIn(Path dir, List<String> participants, KeyAlgorithm alg, Clock clock) {
        try {
            DemoPki.generate(dir, participants, alg, PASSWORD.toCharArray(), clock);
            return new TestPki(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestPki create(String name, List<String> participants, KeyAlgorithm alg) {
        try {
            Path dir = Files.createTempDirectory("hub-testpki-" + name + "-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return createIn(dir, participants, alg, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path cert(String id) {
        return existing(id + ".pem");
    }

    public Path key(String id) {
        return existing(id + ".key");
    }

    public Path p12(String id) {
        return existing(id + ".p12");
    }

    /**
     * The PKCS#12 of {@code name}'s person certificate for {@code participant} (for the console), issued by this PKI's CA
     * the first time it is asked for. Only on a PKI of the test's own ({@link #createIn}): it adds files.
     */
    public synchronized Path person(String participant, String name) {
        Path p12 = dir.resolve(DemoPki.personFileBase(participant, name) + ".p12");
        if (!Files.exists(p12)) {
            try {
                DemoPki.issuePerson(dir, participant, name, KeyAlgorithm.EC_P256, PASSWORD.toCharArray(),
                        Clock.systemUTC());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p12;
    }

    public Path caPem() {
        return existing("ca.pem");
    }

    public Path caKey() {
        return existing("ca.key");
    }

    public Path crl() {
        return existing("ca.crl");
    }

    public Identity identity(String id) {
        return identities.computeIfAbsent(id, k -> {
            try {
                return Identities.fromPem(cert(k), key(k));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private Path existing(String file) {
        Path p = dir.resolve(file);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no " + file + " in test PKI " + dir);
        }
        return p;
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
