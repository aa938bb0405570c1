package org.safeguarding.hub.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.TestPki;

class TlsTrustManagerTest {
    private final TestPki pki = TestPki.ec();

    @TempDir
    Path dir;

    @Test
    void clientAndServerChecks() throws Exception {
        X509TrustManager tm = Samples.validator(pki).tlsTrustManager(Clock.systemUTC());
        tm.checkClientTrusted(new X509Certificate[] {pki.identity("lancs-police").certificate()}, "ECDHE_ECDSA");
        tm.checkServerTrusted(new X509Certificate[] {pki.identity("hub").certificate()}, "ECDHE_ECDSA");
        assertThatThrownBy(() -> tm.checkServerTrusted(new X509Certificate[] {pki.identity("lancs-police").certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[] {TestPki.foreign().identity("lancs-police").certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> tm.checkClientTrusted(new X509Certificate[0], "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
        assertThat(tm.getAcceptedIssuers()).hasSize(1);
    }

    @Test
    void revokedClientIsRefusedWithoutRestart() throws Exception {
        Instant now = Instant.parse("2026-05-01T00:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        TestPki local = TestPki.createIn(dir, List.of("lancs-police"), KeyAlgorithm.EC_P256, clock);
        X509TrustManager tm = Samples.validator(local).tlsTrustManager(clock);
        X509Certificate[] chain = {local.identity("lancs-police").certificate()};
        tm.checkClientTrusted(chain, "ECDHE_ECDSA");
        DemoPki.revoke(dir, chain[0], clock);
        assertThatThrownBy(() -> tm.checkClientTrusted(chain, "ECDHE_ECDSA")).isInstanceOf(CertificateException.class).hasMessageContaining("revoked");
    }

    @Test
    @Timeout(30)
    void realMutualTlsHandshakeWithP12Keys() throws Exception {
        SSLContext server = context("hub");
        SSLContext client = context("lancs-police");
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ss.setNeedClientAuth(true);
            ss.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    InputStream in = s.getInputStream();
                    int b = in.read();
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                    return Certificates.commonName((X509Certificate) s.getSession().getPeerCertificates()[0]);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) client.getSocketFactory().createSocket("localhost", ss.getLocalPort())) {
                SSLParameters params = c.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                c.setSSLParameters(params);
                OutputStream out = c.getOutputStream();
                out.write(42);
                out.flush();
                assertThat(c.getInputStream().read()).isEqualTo(42);
            }
            assertThat(peer.get(20, TimeUnit.SECONDS)).isEqualTo("lancs-police");
        }
    }

    private SSLContext context(String id) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(pki.p12(id))) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {Samples.validator(pki).tlsTrustManager(Clock.systemUTC())}, null);
        return ctx;
    }
}
