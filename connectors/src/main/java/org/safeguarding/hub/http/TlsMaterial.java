package org.safeguarding.hub.http;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.safeguarding.hub.crypto.Identity;

/** Turns the hub's identity into what a TLS stack wants; the protocols and suites every TLS listener of the hub offers. */
public final class TlsMaterial {
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * AEAD suites only, with forward secrecy: TLS 1.3's three, and for TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305
     * (for EC and for RSA certificates). No CBC suite, no SHA-1 MAC, no static RSA key exchange. The HTTPS API and the
     * broker's AMQP and CORE acceptors all offer exactly these.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsMaterial() {
    }

    public static X509KeyManager keyManager(Identity identity) {
        try {
            char[] pw = "in-memory".toCharArray();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            List<Certificate> chain = new ArrayList<>();
            chain.add(identity.certificate());
            for (var c : identity.chain()) {
                if (!c.equals(identity.certificate())) {
                    chain.add(c);
                }
            }
            ks.setKeyEntry("hub", identity.privateKey(), pw, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            for (KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509KeyManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509KeyManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS key manager: " + e.getMessage(), e);
        }
    }
}
