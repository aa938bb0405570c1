package org.safeguarding.hub.crypto;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a streaming open or verify established; the content itself went to the caller's output stream.
 *
 * @param signer           the certificate whose key made the (verified) signature; its trust is NOT yet validated;
 *                         null when the message was reopened without checking its signature again
 * @param certificates     every certificate carried in the SignedData (usable as intermediates)
 * @param contentSha256Hex lower-case hex SHA-256 of the content written
 * @param contentLength    bytes of content written
 */
public record StreamedMessage(X509Certificate signer, List<X509Certificate> certificates, String contentSha256Hex,
                              long contentLength) {
    public StreamedMessage {
        certificates = List.copyOf(certificates);
    }

    @Override
    public String toString() {
        return "StreamedMessage[signer=" + (signer == null ? "not checked" : signer.getSubjectX500Principal()) + ", contentSha256=" + contentSha256Hex
                + ", length=" + contentLength + "]";
    }
}
