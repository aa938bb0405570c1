package org.safeguarding.hub.crypto;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A verified SignedData.
 *
 * @param content          the signed (encapsulated) content bytes, e.g. the submission JSON
 * @param signer           the certificate whose key made the (verified) signature; its trust is NOT yet validated
 * @param certificates     every certificate carried in the SignedData (usable as intermediates)
 * @param contentSha256Hex lower-case hex SHA-256 of {@code content}
 */
public record OpenedMessage(byte[] content, X509Certificate signer, List<X509Certificate> certificates, String contentSha256Hex) {
    public OpenedMessage {
        certificates = List.copyOf(certificates);
    }

    @Override
    public String toString() {
        // never print content
        return "OpenedMessage[signer=" + signer.getSubjectX500Principal() + ", contentSha256=" + contentSha256Hex
                + ", length=" + content.length + "]";
    }
}
