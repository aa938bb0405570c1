package org.safeguarding.hub.http;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The HTTPS listener's trust manager, telling {@link Listener} of every client certificate it refuses in the TLS
 * handshake (revoked, expired, from another CA): the peer's host and the certificate's SHA-256 fingerprint, never its
 * names (a stranger's certificate can say anything). The decision itself is the wrapped trust manager's.
 */
public final class HandshakeRefusals extends X509ExtendedTrustManager {
    /** Told of a refused client certificate; called on the TLS thread, so it must not block. */
    @FunctionalInterface
    public interface Listener {
        void refused(String peerHost, String certificateSha256, String reason);

        Listener NONE = (peer, fingerprint, reason) -> { };
    }

    private final X509TrustManager trust;
    private final Listener listener;

    public HandshakeRefusals(X509TrustManager trust, Listener listener) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, authType, engine == null ? null : engine.getPeerHost());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, authType, socket == null || socket.getInetAddress() == null ? null
                : socket.getInetAddress().getHostAddress());
    }

    /** Outside a handshake (the server checking a kept-alive caller again): decided, not reported here. */
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.checkClientTrusted(chain, authType);
    }

    private void check(X509Certificate[] chain, String authType, String peer) throws CertificateException {
        try {
            trust.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            listener.refused(peer, chain == null || chain.length == 0 ? null : fingerprint(chain[0]), reason(e));
            throw e;
        }
    }

    /** A short reason of plain words from the refusal (no names, whatever the message held). */
    static String reason(CertificateException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        for (String word : new String[] {"revoked", "expired", "not yet valid", "no certificate", "key usage",
                "crl"}) {
            if (m.contains(word)) {
                return "client certificate not trusted (" + word + ")";
            }
        }
        return "client certificate not trusted";
    }

    static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return null;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        trust.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust.getAcceptedIssuers();
    }
}
