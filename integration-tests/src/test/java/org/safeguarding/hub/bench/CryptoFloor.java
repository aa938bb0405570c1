package org.safeguarding.hub.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.SealerOptions;
import org.safeguarding.hub.crypto.StreamedMessage;
import org.safeguarding.hub.crypto.TrustValidator;

/**
 * The crypto-only floor: what Bouncy Castle alone allows per submission on {@code threads} threads, the hub's way:
 * open and verify the sealed submission ({@link EnvelopeOpener}, streaming, with the hub's key) and validate its
 * signer ({@link TrustValidator} on the partnership CA and CRL), then sign as the hub and encrypt one package to each
 * recipient's certificate ({@link CmsSealer#sealing}, AES-256-GCM, the hub's default options). The package content
 * is the opened submission JSON (a package is about that size); no JSON work, no I/O. Bounded by time.
 */
final class CryptoFloor {
    private CryptoFloor() {
    }

    record Result(double perSecond, long submissions, double seconds, int threads) {
    }

    static Result measure(List<byte[]> sealed, Identity hub, TrustValidator trust, List<X509Certificate> recipients,
                          int threads, Duration warmup, Duration measure) throws InterruptedException {
        EnvelopeOpener opener = new EnvelopeOpener(List.of(hub), AlgorithmPolicy.defaults());
        CmsSealer sealer = new CmsSealer(AlgorithmPolicy.defaults(), SealerOptions.defaults());
        AtomicInteger next = new AtomicInteger();
        LongAdder done = new LongAdder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    ByteArrayOutputStream content = new ByteArrayOutputStream(8192);
                    ByteArrayOutputStream pkg = new ByteArrayOutputStream(8192);
                    while (true) {
                        long now = System.nanoTime();
                        if (now - end >= 0) {
                            return;
                        }
                        byte[] body = sealed.get(Math.floorMod(next.getAndIncrement(), sealed.size()));
                        content.reset();
                        StreamedMessage opened = opener.open(new ByteArrayInputStream(body), content);
                        trust.validate(opened.signer(), opened.certificates(), Instant.now());
                        for (X509Certificate recipient : recipients) {
                            pkg.reset();
                            try (OutputStream sealing = sealer.sealing(pkg, hub, List.of(recipient),
                                    ContentEncryption.AES_256_GCM)) {
                                content.writeTo(sealing);
                            }
                        }
                        if (now - measureFrom >= 0) {
                            done.increment();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-floor-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(warmup.toMillis() + measure.toMillis() + 60_000);
        }
        long finished = System.nanoTime();
        if (failure.get() != null) {
            throw new IllegalStateException("the crypto floor failed: " + failure.get(), failure.get());
        }
        // a submission counts when it was started within the window; the window ends when the last one finished
        double seconds = (finished - measureFrom) / 1e9;
        return new Result(done.sum() / seconds, done.sum(), seconds, threads);
    }
}
