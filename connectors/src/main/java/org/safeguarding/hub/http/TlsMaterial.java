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

/** Turns the hub's identity into what a TLS stack wants. */
public final class TlsMaterial {
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

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
