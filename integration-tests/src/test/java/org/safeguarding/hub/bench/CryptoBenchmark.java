package org.safeguarding.hub.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.OpenedMessage;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The hub's two crypto steps per message, for each algorithm family, content encryption and size:
 * <ul>
 *   <li>{@code openSubmission}: decrypt a partner's sealed submission addressed to the hub and verify its signature
 *       ({@link EnvelopeOpener#open(byte[])}, as intake and routing do);</li>
 *   <li>{@code sealPackage}: sign a package as the hub and encrypt it to one recipient
 *       ({@link CmsSealer#seal(byte[], Identity, List, ContentEncryption)}, as routing does per recipient).</li>
 * </ul>
 * The hub's default package options (ECDH SHA-256 KDF, RSA-OAEP-SHA256, RSA PKCS#1 v1.5 signatures). One thread:
 * the figures are per core. Run it as crypto/README.md says; {@code mvn verify} does not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CryptoBenchmark {
    @Param({"EC_P256", "RSA_2048", "RSA_3072"})
    public KeyAlgorithm family;

    @Param({"AES_256_GCM", "AES_256_CBC"})
    public ContentEncryption encryption;

    @Param({"4096", "1048576"})
    public int size;

    private Path dir;
    private byte[] content;
    private byte[] submission;
    private Identity hub;
    private List<X509Certificate> recipient;
    private CmsSealer sealer;
    private EnvelopeOpener opener;

    @Setup(Level.Trial)
    public void setUp() throws IOException, CryptoException {
        dir = Files.createTempDirectory("crypto-bench-");
        TestPki pki = TestPki.createIn(dir, List.of("lancs-police", "hub", "mash-bpl"), family, Clock.systemUTC());
        content = new byte[size];
        SplittableRandom random = new SplittableRandom(size);
        for (int i = 0; i < size; i++) {
            content[i] = (byte) random.nextInt(256);
        }
        AlgorithmPolicy policy = AlgorithmPolicy.defaults();
        sealer = new CmsSealer(policy);
        hub = pki.identity("hub");
        recipient = List.of(pki.identity("mash-bpl").certificate());
        submission = sealer.seal(content, pki.identity("lancs-police"), List.of(hub.certificate()), encryption);
        opener = new EnvelopeOpener(List.of(hub), policy);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public OpenedMessage openSubmission() throws CryptoException {
        return opener.open(submission);
    }

    @Benchmark
    public byte[] sealPackage() throws CryptoException {
        return sealer.seal(content, hub, recipient, encryption);
    }
}
