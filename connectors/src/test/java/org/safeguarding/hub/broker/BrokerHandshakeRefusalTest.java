package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.DemoPki;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * A client certificate the broker's TLS acceptors refuse in the handshake is reported as a refusal of an unknown
 * peer, by host and SHA-256 fingerprint only (a stranger's certificate can say anything): one from another CA, a
 * revoked one (taking effect without a restart, since the handshake asks the hub's live trust check), and
 * 400 strangers' self-signed certificates on both acceptors, each reported once; a recipient still connects. A
 * handshake without any certificate fails in JSSE before a trust manager is asked, and is not reported.
 */
class BrokerHandshakeRefusalTest {
    static TestPki foreign;

    @TempDir
    Path dir;
    TestPki pki;
    Path trustStore;
    EmbeddedBroker broker;
    final List<BrokerRefusal> refusals = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void foreignPki() {
        foreign = TestPki.foreign();
    }

    @BeforeEach
    void start() throws Exception {
        pki = TestPki.createIn(dir.resolve("pki"), List.of("hub", "police-fib"), KeyAlgorithm.EC_P256,
                Clock.systemUTC()); // of its own: one test revokes
        trustStore = TlsAcceptorTest.trustStore(pki, dir);
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, 2, Duration.ZERO, Duration.ZERO),
                Set.of("police-fib"), Set.of("police-fib")::contains, new BrokerAccessListener() {
                    @Override
                    public void refused(String who, String what) {
                        refusals.add(new BrokerRefusal(who, false, null, null, what, 1));
                    }

                    @Override
                    public void refused(BrokerRefusal refusal) {
                        refusals.add(refusal);
                    }
                }, TlsAcceptorTest.brokerTls(pki), InboxAckListener.NONE);
        broker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAndReportedByHostAndFingerprint() throws Exception {
        X509Certificate stranger = Pem.readCertificate(foreign.cert("lancs-police"));
        assertThat(handshake(broker.corePort(), foreign.p12("lancs-police"))).as("refused").isFalse();
        Await.until("the refusal", Duration.ofSeconds(10), () -> !refusals.isEmpty());
        BrokerRefusal r = refusals.get(0);
        assertThat(r.who()).isEqualTo("unknown");
        assertThat(r.authenticated()).isFalse();
        assertThat(r.peer()).isEqualTo("127.0.0.1");
        assertThat(r.certificateSha256()).isEqualTo(sha256(stranger));
        assertThat(r.what()).isEqualTo("TLS handshake: client certificate not trusted");
        assertThat(r.toString()).doesNotContain("lancs-police");
    }

    @Test
    void aRevokedCertificateIsRefusedAtItsNextHandshakeWithoutARestart() throws Exception {
        assertThat(handshake(broker.amqpPort(), pki.p12("police-fib"))).as("trusted before").isTrue();
        assertThat(refusals).isEmpty();
        X509Certificate police = Pem.readCertificate(pki.cert("police-fib"));
        DemoPki.revoke(pki.dir(), police, Clock.systemUTC());
        assertThat(handshake(broker.amqpPort(), pki.p12("police-fib"))).as("revoked").isFalse();
        Await.until("the refusal", Duration.ofSeconds(10), () -> !refusals.isEmpty());
        assertThat(refusals).allSatisfy(r -> {
            assertThat(r.certificateSha256()).isEqualTo(sha256(police));
            assertThat(r.what()).isEqualTo("TLS handshake: client certificate not trusted (revoked)");
        });
    }

    @Test
    void fourHundredStrangersAreEachReportedOnceAndARecipientStillConnects() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            X509Certificate cert = selfSigned(keys, "police-fib");
            expected.add(sha256(cert));
            int port = i % 2 == 0 ? broker.corePort() : broker.amqpPort();
            assertThat(handshake(port, keys, cert)).as("stranger %d", i).isFalse();
        }
        Await.until("every refusal", Duration.ofSeconds(30), () -> refusals.size() >= expected.size());
        assertThat(refusals).extracting(BrokerRefusal::certificateSha256).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(refusals).allSatisfy(r -> assertThat(r.what()).isEqualTo("TLS handshake: client certificate not trusted"));
        try (Connection c = TlsAcceptorTest.coreClient(pki, trustStore, broker.corePort(), "police-fib")
                .createConnection()) {
            c.start();
        }
    }

    /** Whether a TLS handshake with the certificate in {@code p12} got as far as application data both ways. */
    static boolean handshake(int port, Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(p12)) {
            ks.load(in, TestPki.PASSWORD.toCharArray());
        }
        return handshake(port, ks);
    }

    static boolean handshake(int port, KeyPair keys, X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", keys.getPrivate(), TestPki.PASSWORD.toCharArray(), new X509Certificate[] {cert});
        return handshake(port, ks);
    }

    private static boolean handshake(int port, KeyStore ks) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, TestPki.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new AlwaysPresent((X509KeyManager) kmf.getKeyManagers()[0],
                ks.aliases().nextElement())}, new TrustManager[] {new AnyServer()}, new SecureRandom());
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            s.startHandshake();
            // TLS 1.3: the server judges the client's certificate after the client's Finished; a refusal arrives as an
            // alert on the next read, an acceptance as silence until the timeout
            s.setSoTimeout(300);
            try {
                return s.getInputStream().read() != -1;
            } catch (java.net.SocketTimeoutException stillOpen) {
                return true;
            }
        } catch (IOException refused) {
            return false;
        }
    }

    static X509Certificate selfSigned(KeyPair keys, String cn) throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3_600)), name, keys.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    static String sha256(X509Certificate c) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    /**
     * A client that sends its certificate whatever CAs the server names (as a hostile one does; JSSE's own key manager
     * would send none, and a handshake without a certificate fails before any trust manager is asked).
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509KeyManager keys;
        private final String alias;

        AlwaysPresent(X509KeyManager keys, String alias) {
            this.keys = keys;
            this.alias = alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                                              javax.net.ssl.SSLEngine engine) {
            return alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return alias;
        }

        @Override
        public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String name) {
            return keys.getCertificateChain(name);
        }

        @Override
        public java.security.PrivateKey getPrivateKey(String name) {
            return keys.getPrivateKey(name);
        }
    }

    /** The client's side: the server's certificate is not what these tests are about. */
    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
