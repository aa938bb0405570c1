package org.safeguarding.hub.inbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.Pem;

/** A participant's HTTPS client for the hub: its certificate for mutual TLS, the partnership CA for the server. */
public final class HubClient {
    private final HttpClient http;
    private final URI base;
    private final Path ca;
    private final String subject;

    public HubClient(URI base, Identity me, Path caPem) throws IOException, GeneralSecurityException {
        this.base = base;
        this.ca = caPem;
        this.subject = me.certificate().getSubjectX500Principal().getName();
        char[] pw = "in-memory".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        List<Certificate> chain = new ArrayList<>(me.chain().isEmpty() ? List.of(me.certificate()) : me.chain());
        if (!chain.get(0).equals(me.certificate())) {
            chain.add(0, me.certificate());
        }
        ks.setKeyEntry("me", me.privateKey(), pw, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (var c : Pem.readCertificates(caPem)) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        this.http = HttpClient.newBuilder().sslContext(ssl).sslParameters(params)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return get(base.resolve(path));
    }

    public HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build());
    }

    public HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    /** Sends; a request that got no answer (refused connection, failed handshake) says where and with what. */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new HubConnectionException(request.uri(), ca, subject, e);
        }
    }
}
