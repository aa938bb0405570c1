package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * The HTTPS API's TLS on real sockets. The known pitfall of platform-http on Vert.x is that
 * "client authentication required" never reaches the server: here a client without a
 * certificate must fail the handshake and never get an HTTP answer.
 */
class HttpsApiServerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Vertx vertx;
    static HttpsApiServer server;
    static TestPki pki = TestPki.ec();
    static int port;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl()));
        server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, 4096, 4),
                TlsMaterial.keyManager(pki.identity("hub")), trust.tlsTrustManager(Clock.systemUTC()),
                new RecordingApi());
        port = server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static HttpResponse<byte[]> send(Path p12, HttpRequest.Builder request) throws Exception {
        SSLContext ssl = TlsClients.context(p12, pki.caPem());
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static URI uri(String path) {
        return URI.create("https://localhost:" + port + path);
    }

    @Test
    void aParticipantsCertificateNamesTheCaller() throws Exception {
        HttpResponse<byte[]> r = send(pki.p12("police-fib"), HttpRequest.newBuilder(uri("/api/v1/inbox")));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("caller").asText()).isEqualTo("police-fib");
    }

    @Test
    void aClientWithoutACertificateFailsTheHandshake() throws Exception {
        SSLContext ssl = TlsClients.context(null, pki.caPem());
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
            assertThatThrownBy(() -> {
                socket.startHandshake();
                // TLS 1.3 reports the server's refusal on the first read after the handshake.
                OutputStream out = socket.getOutputStream();
                out.write("GET /api/v1/inbox HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                int first = in.read();
                if (first == -1) {
                    throw new SSLException("closed without an answer");
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() {
        TestPki foreign = TestPki.foreign();
        assertThatThrownBy(() -> send(foreign.p12("lancs-police"), HttpRequest.newBuilder(uri("/api/v1/inbox"))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void tlsOlderThan12IsRefused() throws Exception {
        SSLContext ssl = TlsClients.context(pki.p12("police-fib"), pki.caPem());
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
        }
    }

    @Test
    void onlyAeadSuitesAreOffered() {
        for (String cbc : TlsProbe.TLS12_CBC_ECDSA) {
            assertThat(TlsProbe.tls12(port, pki, "police-fib", cbc)).as("TLS 1.2 " + cbc).isNull();
        }
        for (String aead : TlsProbe.TLS12_AEAD_ECDSA) {
            assertThat(TlsProbe.tls12(port, pki, "police-fib", aead)).as("TLS 1.2 " + aead).isEqualTo(aead);
        }
        assertThat(TlsProbe.tls13(port, pki, "police-fib", "TLS_AES_256_GCM_SHA384")).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(TlsProbe.tls13(port, pki, "police-fib", "TLS_CHACHA20_POLY1305_SHA256"))
                .isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void anOversizedBodyIsRefusedWith413() throws Exception {
        HttpResponse<byte[]> r = send(pki.p12("lancs-police"), HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .header("Content-Type", "application/pkcs7-mime")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("TOO_LARGE");
    }

    @Test
    void aHubExceptionBecomesAProblemDocumentWithEveryFailingPath() throws Exception {
        HttpResponse<byte[]> r = send(pki.p12("lancs-police"), HttpRequest.newBuilder(uri("/api/v1/submissions"))
                .header("Content-Type", "application/pkcs7-mime")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1])));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("code").asText()).isEqualTo("INVALID_SUBMISSION");
        assertThat(p.path("errors").get(0).path("path").asText()).isEqualTo("categories");
    }

    @Test
    void unavailableAsksTheClientToRetryLater() throws Exception {
        HttpResponse<byte[]> r = send(pki.p12("lancs-police"), HttpRequest.newBuilder(uri("/api/v1/submissions/x")));

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void anUnexpectedFailureIsA500WithoutItsMessage() throws Exception {
        HttpResponse<byte[]> r = send(pki.p12("police-fib"), HttpRequest.newBuilder(uri("/api/v1/inbox/abc")));

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("secret");
    }

    @Test
    void anUnknownPathIsAProblem404() throws Exception {
        HttpResponse<byte[]> r = send(pki.p12("police-fib"), HttpRequest.newBuilder(uri("/nothing/here")));

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("NOT_FOUND");
    }
}
