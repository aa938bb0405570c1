package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/** Streamed answers on real sockets: chunked, sent while produced, refused cleanly, cut off on failure. */
class StreamedResponseTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Vertx vertx;
    static HttpsApiServer server;
    static TestPki pki = TestPki.ec();
    static HttpClient client;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl()));
        server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, 4096, 4),
                TlsMaterial.keyManager(pki.identity("hub")), trust.tlsTrustManager(Clock.systemUTC()),
                new RecordingApi());
        port = server.start();
        client = HttpClient.newBuilder().sslContext(TlsClients.context(pki.p12("ig-lead"), pki.caPem())).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static HttpRequest export(String query) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/audit/export?format="
                + query.replace('=', '-')))
                .build();
    }

    @Test
    void aLargeBodyArrivesWholeInChunks() throws Exception {
        HttpResponse<String> r = client.send(export("lines=200000"), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"test.txt\"");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        String[] lines = r.body().split("\n");
        assertThat(lines).hasSize(200_000);
        assertThat(lines[0]).isEqualTo("line 0");
        assertThat(lines[199_999]).isEqualTo("line 199999");
    }

    @Test
    void aBodyOfKnownLengthIsSentWithItsLengthNotInChunks() throws Exception {
        HttpResponse<byte[]> r = client.send(export("bytes=300000"), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue("300000");
        assertThat(r.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(r.body()).hasSize(300_000);
        assertThat(r.body()[299_999]).isEqualTo((byte) (299_999 % 251));
    }

    @Test
    void theFirstBytesArriveBeforeTheBodyIsFinished() throws Exception {
        StreamingBodies.gate = new CountDownLatch(1);
        HttpResponse<InputStream> r = client.send(export("gate"), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            // the producer is still waiting for the gate while we read its first line
            assertThat(in.readLine()).isEqualTo("first");
            assertThat(StreamingBodies.gate.getCount()).isEqualTo(1);
            StreamingBodies.gate.countDown();
            assertThat(in.readLine()).isEqualTo("second");
            assertThat(in.readLine()).isNull();
        }
    }

    @Test
    void aClientThatGoesAwayStopsTheProducer() throws Exception {
        StreamingBodies.stopped = new CountDownLatch(1);
        HttpResponse<InputStream> r = client.send(export("endless"), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            assertThat(in.readNBytes(100_000)).hasSize(100_000);
        }
        assertThat(StreamingBodies.stopped.await(60, TimeUnit.SECONDS))
                .as("the endless producer was stopped by a failed write").isTrue();
        // backpressure: it never ran far ahead of what the client took (socket buffers and a few chunks)
        assertThat(StreamingBodies.endlessBytes.get()).isLessThan(8L * 1024 * 1024);
    }

    @Test
    void aRefusalBeforeTheBodyIsAProblemDocument() throws Exception {
        HttpResponse<String> r = client.send(export("refuse"), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(ProblemDocuments.MEDIA_TYPE);
        assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void aFailureBeforeTheFirstChunkLeftIsA500WithoutDetailOrPartialBody() throws Exception {
        HttpResponse<String> r = client.send(export("failEarly"), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(ProblemDocuments.MEDIA_TYPE);
        assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
        assertThat(r.body()).doesNotContain("a little").doesNotContain("secret");
    }

    @Test
    void aFailurePartWayCutsTheConnectionSoTheBodyIsNeverTakenForWhole() {
        assertThatThrownBy(() -> client.send(export("failLate"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }
}
