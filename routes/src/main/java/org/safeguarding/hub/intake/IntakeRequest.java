package org.safeguarding.hub.intake;

import java.security.cert.X509Certificate;
import org.safeguarding.hub.spool.SealedBody;

/** A sealed submission as it arrived: from whom (the TLS client or SFTP account) and the body, in memory or spooled. */
public record IntakeRequest(String channelParticipant, X509Certificate channelCertificate, SealedBody body) {
    public IntakeRequest(String channelParticipant, X509Certificate channelCertificate, byte[] body) {
        this(channelParticipant, channelCertificate, SealedBody.of(body));
    }
}
