package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.spool.SealedBody;

/**
 * A spooled body is handed on only when every byte of it is in the spool file: many concurrent uploads of varied
 * sizes over real mutual TLS, and the SHA-256 of each body as the API read it equals that of what was sent.
 */
class SpooledBodyIntegrityTest {
    static final TestPki PKI = TestPki.ec();
    static final int UPLOADS = 2_000;
    static final int CLIENT_THREADS = 24;

    @TempDir
    Path spool;
    Vertx vertx;
    HttpsApiServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(PKI.caPem(), PKI.crl()));
        server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, 1024 * 1024, 64),
                TlsMaterial.keyManager(PKI.identity("hub")), trust.tlsTrustManager(Clock.systemUTC()),
                new RecordingApi() {
                    @Override
                    public ApiResponse submit(Caller caller, String contentType, SealedBody body) {
                        try (InputStream in = body.open()) {
                            String digest = sha256(in.readAllBytes());
                            return ApiResponse.json(202, ("{\"sha256\":\"" + digest + "\",\"size\":" + body.size()
                                    + "}").getBytes(StandardCharsets.UTF_8));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }, spool);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void everySpooledBodyIsReadWhole() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsClients.context(PKI.p12("lancs-police"), PKI.caPem())).build();
        URI uri = URI.create("https://localhost:" + server.port() + "/api/v1/submissions");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        List<Future<String>> answers = new ArrayList<>();
        Random random = new Random(20_240_610);
        for (int i = 0; i < UPLOADS; i++) {
            // mostly small bodies (one chunk, where a pending write is most likely unread), some of many chunks
            int size = i % 10 == 0 ? 16 * 1024 + random.nextInt(512 * 1024) : 2 + random.nextInt(8 * 1024);
            byte[] body = new byte[size];
            random.nextBytes(body);
            String expected = sha256(body);
            answers.add(pool.submit(() -> {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/pkcs7-mime")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                String want = "{\"sha256\":\"" + expected + "\",\"size\":" + body.length + "}";
                return r.statusCode() == 202 && r.body().equals(want) ? "ok"
                        : "size " + body.length + ": " + r.statusCode() + " " + r.body();
            }));
        }
        List<String> wrong = new ArrayList<>();
        for (Future<String> f : answers) {
            String a = f.get();
            if (!a.equals("ok")) {
                wrong.add(a);
            }
        }
        pool.shutdown();

        assertThat(wrong).as("bodies read otherwise than sent").isEmpty();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
