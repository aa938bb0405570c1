package org.safeguarding.hub.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * Drives {@code POST /api/v1/submissions} over mutual TLS with kept-alive HTTP/1.1 connections
 * ({@link HttpClient}, a small fixed pool of threads), either closed-loop (C connections, each sending the next as soon
 * as it has its answer) or open-loop (requests issued on a fixed schedule whatever the answers; latency from the
 * scheduled time). A 503 is sent again after its {@code Retry-After} (capped), and counted. Bounded: every submission
 * has at most {@code maxAttempts} attempts, and every phase a deadline after which nothing new is sent.
 */
final class IntakeDriver implements AutoCloseable {
    private final HttpClient http;
    private final CountingSslContext tls;
    private final ExecutorService executor;
    private final ScheduledExecutorService retries;
    private final URI submissions;
    /** One submissions URL per hub node; submission i goes to node i mod n (a balancer's round robin). */
    private final java.util.List<URI> nodes;
    private final int maxAttempts;
    private final long maxRetryAfterNanos;

    /** What one phase's sending saw. */
    static final class Counts {
        final LongAdder accepted = new LongAdder();
        final LongAdder busy = new LongAdder();
        final LongAdder ioErrors = new LongAdder();
        final LongAdder failed = new LongAdder();
        /** Final answers other than 202, by status and problem code. */
        final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
        volatile long deadline;
        /** Requests sent late in the open loop because too many were already in flight. */
        final LongAdder late = new LongAdder();

        boolean expired() {
            return System.nanoTime() - deadline > 0;
        }
    }

    IntakeDriver(SSLContext ssl, URI base, int threads, int maxAttempts, Duration maxRetryAfter) {
        this(ssl, java.util.List.of(base), threads, maxAttempts, maxRetryAfter);
    }

    /** Sends to several hub nodes, submission i to node i mod n, each over its own kept-alive connections. */
    IntakeDriver(SSLContext ssl, java.util.List<URI> bases, int threads, int maxAttempts, Duration maxRetryAfter) {
        URI base = bases.get(0);
        this.executor = Executors.newFixedThreadPool(threads, daemon("bench-http"));
        this.retries = Executors.newSingleThreadScheduledExecutor(daemon("bench-retry"));
        this.tls = CountingSslContext.of(ssl);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls).executor(executor)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.submissions = base.resolve("api/v1/submissions");
        this.nodes = bases.stream().map(b -> b.resolve("api/v1/submissions")).toList();
        this.maxAttempts = maxAttempts;
        this.maxRetryAfterNanos = maxRetryAfter.toNanos();
    }

    /**
     * Closed loop over {@code ledger}: {@code connections} senders, each taking the next unsent submission when its
     * previous one has its final answer. Returns when all have answers, or at {@code timeout}.
     */
    Counts closedLoop(Ledger ledger, int connections, Duration timeout) throws InterruptedException {
        Counts counts = new Counts();
        counts.deadline = System.nanoTime() + timeout.toNanos();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch senders = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            executor.execute(new Runnable() {
                @Override
                public void run() {
                    int i = next.getAndIncrement();
                    if (i >= ledger.size() || counts.expired()) {
                        senders.countDown();
                        return;
                    }
                    ledger.start.set(i, System.nanoTime());
                    send(ledger, i, counts, 1, this);
                }
            });
        }
        senders.await(timeout.toNanos() + TimeUnit.SECONDS.toNanos(70), TimeUnit.NANOSECONDS);
        return counts;
    }

    /**
     * Open loop over {@code ledger} at {@code rate} per second: submission k is due at start + k/rate and its latency
     * counts from then, even when it leaves late because {@code maxInFlight} are already out (counted as late).
     */
    Counts openLoop(Ledger ledger, double rate, int maxInFlight, Duration timeout) throws InterruptedException {
        Counts counts = new Counts();
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        counts.deadline = t0 + timeout.toNanos();
        double period = 1e9 / rate;
        Semaphore inFlight = new Semaphore(maxInFlight);
        CountDownLatch answered = new CountDownLatch(ledger.size());
        int sent = 0;
        for (int i = 0; i < ledger.size(); i++) {
            long due = t0 + (long) (i * period);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (counts.expired()) {
                break;
            }
            if (!inFlight.tryAcquire()) {
                counts.late.increment();
                if (!inFlight.tryAcquire(Math.max(0, counts.deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
            ledger.start.set(i, due);
            send(ledger, i, counts, 1, () -> {
                inFlight.release();
                answered.countDown();
            });
            sent++;
        }
        for (int i = sent; i < ledger.size(); i++) {
            answered.countDown();
        }
        answered.await(Math.max(0, counts.deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(70),
                TimeUnit.NANOSECONDS);
        return counts;
    }

    /** Sends submission {@code i}; runs {@code done} once it has a final answer (202, a refusal, or given up). */
    private void send(Ledger ledger, int i, Counts counts, int attempt, Runnable done) {
        // a retry goes to the next node, as a balancer would send a new connection
        URI to = nodes.get((i + attempt - 1) % nodes.size());
        HttpRequest request = HttpRequest.newBuilder(to).header("Content-Type", "application/pkcs7-mime")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(ledger.bodies.get(i)))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, failure) -> {
            long now = System.nanoTime();
            if (failure != null) {
                counts.ioErrors.increment();
                retryOrGiveUp(ledger, i, counts, attempt, done, TimeUnit.MILLISECONDS.toNanos(100));
                return;
            }
            int status = r.statusCode();
            if (status != 503) {
                ledger.finalStatus.set(i, status);
            }
            if (status == 202) {
                ledger.accepted.set(i, now);
                counts.accepted.increment();
                done.run();
            } else if (status == 503) {
                counts.busy.increment();
                long after = r.headers().firstValueAsLong("Retry-After").orElse(1);
                retryOrGiveUp(ledger, i, counts, attempt, done,
                        Math.min(TimeUnit.SECONDS.toNanos(Math.max(0, after)), maxRetryAfterNanos));
            } else {
                counts.refused.computeIfAbsent(status + " " + problemCode(r.body()), k -> new LongAdder()).increment();
                done.run();
            }
        });
    }

    private void retryOrGiveUp(Ledger ledger, int i, Counts counts, int attempt, Runnable done, long delayNanos) {
        if (attempt >= maxAttempts || counts.expired()) {
            counts.failed.increment();
            done.run();
            return;
        }
        retries.schedule(() -> send(ledger, i, counts, attempt + 1, done), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Posts {@code body} once more, outside any phase, and returns the status (-1 on an I/O error). */
    int postAgain(byte[] body) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(submissions).header("Content-Type", "application/pkcs7-mime")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** TLS connections opened so far (one handshake each). */
    long connectionsOpened() {
        return tls.connections();
    }

    /** {@code GET /api/v1/submissions/{id}} as the partner: the status JSON (for checking where the sample goes). */
    String status(String submissionId) throws java.io.IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(submissions.resolve("submissions/" + submissionId))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the status of a warm-up submission answered " + r.statusCode());
        }
        return r.body();
    }

    /** The problem document's {@code code} (no value from the submission is ever in it), or "?". */
    private static String problemCode(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 2000), StandardCharsets.UTF_8);
        int k = s.indexOf("\"code\"");
        if (k < 0) {
            return "?";
        }
        int q1 = s.indexOf('"', s.indexOf(':', k) + 1);
        int q2 = q1 < 0 ? -1 : s.indexOf('"', q1 + 1);
        return q2 < 0 ? "?" : s.substring(q1 + 1, Math.min(q2, q1 + 41));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        retries.shutdownNow();
        executor.shutdownNow();
    }
}
