package org.safeguarding.hub.intake;

import java.security.cert.X509Certificate;

/** A sealed submission as it arrived: from whom (the TLS client or SFTP account) and the body. */
public record IntakeRequest(String channelParticipant, X509Certificate channelCertificate, byte[] body) {
}
