package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.TestPki;

/** A participant's real TLS client: its PKCS#12 for mutual TLS, the partnership CA for the server. */
final class HubHttpClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI base;

    private HubHttpClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    static HubHttpClient as(TestPki pki, String participant, String baseUrl) {
        return with(participant == null ? null : pki.p12(participant), pki.caPem(), baseUrl);
    }

    /** A client holding the given PKCS#12 (none if null) and trusting the given CA for the server. */
    static HubHttpClient with(java.nio.file.Path p12, java.nio.file.Path caPem, String baseUrl) {
        return new HubHttpClient(HttpClient.newBuilder().sslContext(sslContext(p12, caPem))
                .connectTimeout(Duration.ofSeconds(10)).build(), URI.create(baseUrl));
    }

    /** The TLS context of such a client, for tests that speak HTTP over their own sockets (SlowUploadIT). */
    static SSLContext sslContext(java.nio.file.Path p12, java.nio.file.Path caPem) {
        try {
            KeyManagerFactory kmf = null;
            if (p12 != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (var in = java.nio.file.Files.newInputStream(p12)) {
                    ks.load(in, TestPki.PASSWORD.toCharArray());
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, TestPki.PASSWORD.toCharArray());
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", Pem.readCertificate(caPem));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException("test client for " + p12, e);
        }
    }

    HttpResponse<byte[]> submit(byte[] sealed) {
        return send(HttpRequest.newBuilder(base.resolve("api/v1/submissions"))
                .header("Content-Type", "application/pkcs7-mime")
                .POST(HttpRequest.BodyPublishers.ofByteArray(sealed)));
    }

    HttpResponse<byte[]> postWithType(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A POST with {@code headers} besides its content type (a browser's Origin, Sec-Fetch-Site). */
    HttpResponse<byte[]> postWith(String path, String contentType, byte[] body, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    HttpResponse<byte[]> put(String path, byte[] json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    HttpResponse<byte[]> delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    HttpResponse<byte[]> post(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Sends once (every answer checked against the OpenAPI document: {@link OpenApiContract}); a request whose kept-alive connection closed before any byte of an answer came back is sent once
     * more on a new connection, as a partner's client does (a submission sent twice is answered as a repeat).
     */
    private HttpResponse<byte[]> send(HttpRequest.Builder b) {
        HttpRequest request = b.timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<byte[]> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (e.getMessage() == null || !e.getMessage().contains("received no bytes")) {
                    throw e;
                }
                r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            }
            OpenApiContract.check(request.method(), request.uri().getRawPath(), r);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
