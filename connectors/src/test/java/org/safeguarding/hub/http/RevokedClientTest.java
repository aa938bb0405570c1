package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * A client's certificate is checked at every request, not only at the handshake: a connection kept alive (or a TLS
 * session resumed) after the CRL revoked the certificate gets 403 and the refusal is audited; while the CRL file
 * cannot be read it gets 503, no verdict. Real sockets, a PKI of
 * its own, one HttpClient (so one pooled connection) for both requests.
 */
class RevokedClientTest {
    @TempDir
    Path dir;
    TestPki pki;
    Vertx vertx;
    HttpsApiServer server;
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final List<String> handshakes = new CopyOnWriteArrayList<>();
    HttpClient client;
    HttpRequest inbox;

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.createIn(dir, List.of("hub", "police-fib"), KeyAlgorithm.EC_P256, Clock.systemUTC());
        vertx = Vertx.vertx();
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl()));
        server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, 4096, 4),
                TlsMaterial.keyManager(pki.identity("hub")), new HandshakeRefusals(trust.tlsTrustManager(Clock.systemUTC()),
                        (peer, fingerprint, reason) -> handshakes.add(peer + "|" + fingerprint + "|" + reason)),
                new RecordingApi() {
                    @Override
                    public void refusedConnection(String participantId, String why) {
                        refusals.add(participantId + ": " + why);
                    }
                });
        server.start();
        // one client, so one pooled HTTP/1.1 connection kept alive across a test's requests, as police-fib
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsClients.context(pki.p12("police-fib"), pki.caPem())).build();
        inbox = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/api/v1/inbox")).build();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aRevokedClientOnAKeptAliveConnectionIsRefused() throws Exception {
        assertThat(client.send(inbox, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        DemoPki.revoke(pki.dir(), Pem.readCertificate(pki.cert("police-fib")), Clock.systemUTC());
        HttpResponse<String> after = client.send(inbox, HttpResponse.BodyHandlers.ofString());

        assertThat(after.statusCode()).isEqualTo(403);
        assertThat(after.body()).contains("FORBIDDEN").contains("not trusted now");
        assertThat(refusals).singleElement().satisfies(r -> assertThat(r)
                .startsWith("police-fib: client certificate not trusted now").contains("revoked"));
    }

    @Test
    void aRevokedClientsNewHandshakeIsRefusedAndReportedByPeerAndFingerprintOnly() throws Exception {
        java.security.cert.X509Certificate police = Pem.readCertificate(pki.cert("police-fib"));
        DemoPki.revoke(pki.dir(), police, Clock.systemUTC());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.send(inbox, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);

        String fingerprint = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(police.getEncoded()));
        assertThat(handshakes).isNotEmpty().allSatisfy(h -> assertThat(h).isEqualTo("127.0.0.1|" + fingerprint
                + "|client certificate not trusted (revoked)")); // the client may try its handshake twice
        assertThat(handshakes.get(0)).doesNotContain("police-fib");
    }

    @Test
    void whileTheCrlFileIsUnreadableAKeptAliveClientIsAskedToRetry() throws Exception {
        assertThat(client.send(inbox, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        Path crl = pki.crl();
        byte[] whole = java.nio.file.Files.readAllBytes(crl);

        java.nio.file.Files.write(crl, java.util.Arrays.copyOf(whole, whole.length / 2)); // caught mid-rewrite
        HttpResponse<String> during = client.send(inbox, HttpResponse.BodyHandlers.ofString());

        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).isPresent();
        assertThat(refusals).as("no verdict on the caller").isEmpty();
        assertThat(handshakes).isEmpty();
        java.nio.file.Files.write(crl, whole);
        assertThat(client.send(inbox, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
}
