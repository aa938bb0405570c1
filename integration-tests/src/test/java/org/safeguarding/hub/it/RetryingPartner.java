package org.safeguarding.hub.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * A partner system as a real one behaves: one kept-alive mutual-TLS connection (HTTP/1.1), its submissions sent one
 * after another, and each sent again, the same sealed bytes, until a final answer (202, 200 or a 4xx): after a cut or
 * refused connection or a timeout (once the hub is up again), after a 503 (as its Retry-After asks, at most
 * {@link #MAX_RETRY_AFTER}) or another 5xx. Bounded: at most {@link #MAX_ATTEMPTS} attempts and {@link #DEADLINE} per
 * submission.
 */
final class RetryingPartner implements Runnable {
    static final int MAX_ATTEMPTS = 40;
    static final Duration DEADLINE = Duration.ofSeconds(150);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(2);

    private final PartnerTarget hub;
    private final HubKiller.Progress progress;
    private final List<CrashLoad.Planned> share;
    private final Map<String, CrashLoad.Outcome> outcomes;
    private final HttpClient http;
    private final URI submissions;
    private final java.util.function.Function<CrashLoad.Planned, URI> target;
    /** When this partner's current run of failures (cut connections, 5xx) began, or 0; its gaps to the next 202. */
    private long failingSince;
    private final List<long[]> outages = new java.util.concurrent.CopyOnWriteArrayList<>();

    RetryingPartner(PartnerTarget hub, TestPki pki, String partner, HubKiller.Progress progress,
                    List<CrashLoad.Planned> share, Map<String, CrashLoad.Outcome> outcomes) {
        this.hub = hub;
        this.progress = progress;
        this.share = share;
        this.outcomes = outcomes;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(pki.p12(partner), pki.caPem())).connectTimeout(Duration.ofSeconds(5)).build();
        this.submissions = URI.create(hub.baseUrl()).resolve("api/v1/submissions");
        this.target = p -> submissions;
    }

    /** A partner that posts each planned body to {@code path} of it (a withdrawal's or a correction's URL). */
    RetryingPartner(PartnerTarget hub, TestPki pki, String partner, HubKiller.Progress progress,
                    List<CrashLoad.Planned> share, Map<String, CrashLoad.Outcome> outcomes,
                    java.util.function.Function<CrashLoad.Planned, String> path) {
        this.hub = hub;
        this.progress = progress;
        this.share = share;
        this.outcomes = outcomes;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(pki.p12(partner), pki.caPem())).connectTimeout(Duration.ofSeconds(5)).build();
        this.submissions = URI.create(hub.baseUrl()).resolve("api/v1/submissions");
        this.target = p -> URI.create(hub.baseUrl()).resolve(path.apply(p));
    }

    @Override
    public void run() {
        for (CrashLoad.Planned p : share) {
            send(p, outcomes.get(p.submissionId()));
        }
    }

    private void send(CrashLoad.Planned p, CrashLoad.Outcome o) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (o.attempts < MAX_ATTEMPTS && System.nanoTime() < deadline) {
            o.attempts++;
            progress.attempted();
            HttpResponse<byte[]> r;
            try {
                r = http.send(HttpRequest.newBuilder(target.apply(p)).timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/pkcs7-mime")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(p.sealed())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                o.unanswered++;
                failing();
                awaitHub();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int status = r.statusCode();
            if (status == 202 || status == 200) {
                answered();
                String receipt = HubHttpClient.json(r).path("receiptId").asText(null);
                o.receipts.add(receipt);
                o.receipt = receipt;
                o.status = status;
                return;
            }
            if (status >= 400 && status < 500) {
                o.code = problemCode(r);
                o.status = status;
                return;
            }
            if (status == 503) {
                o.busy++;
                long after = r.headers().firstValueAsLong("Retry-After").orElse(1);
                LockSupport.parkNanos(Math.min(TimeUnit.SECONDS.toNanos(Math.max(after, 0)),
                        MAX_RETRY_AFTER.toNanos()));
            } else {
                o.serverErrors++;
                failing();
                o.code = status + " " + problemCode(r);
                awaitHub();
            }
        }
    }

    private void failing() {
        if (failingSince == 0) {
            failingSince = System.nanoTime();
        }
    }

    private void answered() {
        if (failingSince != 0) {
            outages.add(new long[] {failingSince, System.nanoTime()});
            failingSince = 0;
        }
    }

    /**
     * What this partner saw of each outage: {@code [first failed request, next 202 or 200]} in {@code System.nanoTime()};
     * a failover's time as a partner sees it.
     */
    List<long[]> outages() {
        return List.copyOf(outages);
    }

    /** A client whose connection failed waits until the hub is back (bounded) before it sends again. */
    private void awaitHub() {
        try {
            hub.awaitUp(ForkedHub.START_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String problemCode(HttpResponse<byte[]> r) {
        try {
            return HubHttpClient.JSON.readTree(r.body()).path("code").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    static SSLContext sslContext(Path p12, Path caPem) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(p12)) {
                ks.load(in, TestPki.PASSWORD.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, TestPki.PASSWORD.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", Pem.readCertificate(caPem));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException("TLS client for " + p12.getFileName(), e);
        }
    }
}
