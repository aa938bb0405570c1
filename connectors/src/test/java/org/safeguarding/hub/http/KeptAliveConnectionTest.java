package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.spool.SealedBody;

/**
 * A refusal whose request body was read in full leaves the TLS connection open for the client's next request (a busy
 * partner retrying after 503 does not pay a handshake each time); only a body left unread closes it. One raw TLS
 * socket per client, which never reconnects, so a second answer on it proves the connection was kept.
 */
class KeptAliveConnectionTest {
    static final TestPki PKI = TestPki.ec();
    static final int MAX_BYTES = 64 * 1024;

    Vertx vertx;
    HttpsApiServer server;
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger holding = new AtomicInteger();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(PKI.caPem(), PKI.crl()));
        // one submission at a time: a second concurrent one is refused with 503
        server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, MAX_BYTES, 1),
                TlsMaterial.keyManager(PKI.identity("hub")), trust.tlsTrustManager(Clock.systemUTC()),
                new RecordingApi() {
                    @Override
                    public ApiResponse submit(Caller caller, String contentType, SealedBody body) {
                        if (body.size() == 3) {
                            throw new HubException(ErrorCode.UNAVAILABLE, "the broker is busy");
                        }
                        if (body.size() == 7) {
                            holding.incrementAndGet();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return super.submit(caller, contentType, body);
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    SSLContext partner() throws Exception {
        return TlsClients.context(PKI.p12("lancs-police"), PKI.caPem());
    }

    @Test
    void aRetryAfterA503FromTheOperationGoesOnTheSameConnection() throws Exception {
        try (RawHttpConnection c = new RawHttpConnection(partner(), server.port())) {
            RawHttpConnection.Response busy = c.post("/api/v1/submissions", new byte[3]);
            RawHttpConnection.Response retry = c.post("/api/v1/submissions", new byte[100]);

            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).isNotBlank();
            assertThat(busy.header("Connection")).isNull();
            assertThat(retry.status()).isEqualTo(202);
            assertThat(c.handshakes()).isEqualTo(1);
        }
    }

    @Test
    void aRetryAfterA503ForWantOfASubmissionSlotGoesOnTheSameConnection() throws Exception {
        try (RawHttpConnection first = new RawHttpConnection(partner(), server.port());
             RawHttpConnection second = new RawHttpConnection(partner(), server.port())) {
            CompletableFuture<RawHttpConnection.Response> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return first.post("/api/v1/submissions", new byte[7]);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the first submission to hold the only slot", Duration.ofSeconds(10),
                    () -> holding.get() == 1);

            RawHttpConnection.Response busy = second.post("/api/v1/submissions", new byte[40 * 1024]);
            release.countDown();
            assertThat(held.get(30, TimeUnit.SECONDS).status()).isEqualTo(202);
            // the slot is free once the first answer has ended: the client retries, always on its one connection
            RawHttpConnection.Response retry = Await.value("a retry on the same connection to be accepted",
                    Duration.ofSeconds(10), () -> second.post("/api/v1/submissions", new byte[100]),
                    r -> r.status() != 503);

            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).isNotBlank();
            assertThat(new String(busy.body(), StandardCharsets.UTF_8)).contains("UNAVAILABLE");
            assertThat(busy.header("Connection")).isNull();
            assertThat(retry.status()).isEqualTo(202);
            assertThat(second.handshakes()).isEqualTo(1);
        }
    }

    @Test
    void aBodyCutOffAsTooLargeClosesTheConnection() throws Exception {
        try (RawHttpConnection c = new RawHttpConnection(partner(), server.port())) {
            RawHttpConnection.Response tooLarge = c.postChunked("/api/v1/submissions", 4 * MAX_BYTES);

            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.header("Connection")).isEqualTo("close");
            c.setReadTimeout(10_000);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void otherAnswersKeepTheConnectionToo() throws Exception {
        try (RawHttpConnection c = new RawHttpConnection(partner(), server.port())) {
            assertThat(c.get("/api/v1/submissions/x").status()).isEqualTo(503);
            assertThat(c.get("/nothing/here").status()).isEqualTo(404);
            assertThat(c.post("/api/v1/submissions", new byte[1]).status()).isEqualTo(422);
            assertThat(c.get("/api/v1/inbox").status()).isEqualTo(200);
            assertThat(c.handshakes()).isEqualTo(1);
        }
    }
}
