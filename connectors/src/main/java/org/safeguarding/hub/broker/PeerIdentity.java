package org.safeguarding.hub.broker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.apache.activemq.artemis.core.remoting.CertificateUtil;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

/**
 * Where a broker connection comes from, as far as it is known: the remote host (without the port, which changes with
 * every connection) and the SHA-256 fingerprint of the certificate it presented. Either may be null.
 */
record PeerIdentity(String host, String certificateSha256) {
    static final PeerIdentity UNKNOWN = new PeerIdentity(null, null);

    static PeerIdentity of(RemotingConnection connection) {
        if (connection == null) {
            return UNKNOWN;
        }
        X509Certificate[] certs = CertificateUtil.getCertsFromConnection(connection);
        return new PeerIdentity(host(connection.getRemoteAddress()),
                certs == null || certs.length == 0 ? null : sha256(certs[0]));
    }

    /** {@code 127.0.0.1} of {@code /127.0.0.1:5432}, {@code ::1} of {@code /[::1]:5432} or {@code /0:0:0:0:0:0:0:1:5432}. */
    static String host(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank() || remoteAddress.startsWith("invm")) {
            return remoteAddress == null || remoteAddress.isBlank() ? null : "invm";
        }
        String a = remoteAddress.startsWith("/") ? remoteAddress.substring(1) : remoteAddress;
        int slash = a.indexOf('/'); // host.name/1.2.3.4:port
        if (slash >= 0) {
            a = a.substring(slash + 1);
        }
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end > 0 ? a.substring(1, end) : a;
        }
        int colon = a.lastIndexOf(':');
        return colon > 0 && a.substring(colon + 1).chars().allMatch(Character::isDigit) ? a.substring(0, colon) : a;
    }

    static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return null;
        }
    }

    BrokerRefusal refusal(String who, boolean authenticated, String what) {
        return new BrokerRefusal(who, authenticated, host, certificateSha256, what, 1);
    }
}
