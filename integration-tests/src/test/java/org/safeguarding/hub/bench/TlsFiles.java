package org.safeguarding.hub.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.safeguarding.hub.crypto.testing.TestPki;

/** A participant's mutual-TLS material from the test PKI: its PKCS#12 as key, the partnership CA as trust. */
final class TlsFiles {
    private TlsFiles() {
    }

    static SSLContext clientContext(Path p12, Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, TestPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, TestPki.PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(caKeyStore(caPem));
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }

    /** The partnership CA as a PKCS#12 trust store file (for the Artemis client, which takes file paths). */
    static Path caTrustStore(Path caPem, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            caKeyStore(caPem).store(out, TestPki.PASSWORD.toCharArray());
        }
        return file;
    }

    private static KeyStore caKeyStore(Path caPem) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ts.setCertificateEntry("ca-" + i++, (X509Certificate) c);
            }
        }
        return ts;
    }
}
