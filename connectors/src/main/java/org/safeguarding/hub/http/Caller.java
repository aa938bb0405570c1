package org.safeguarding.hub.http;

import java.security.cert.X509Certificate;

/** The participant on the other end of a mutually authenticated TLS connection: its certificate's CN. */
public record Caller(String participantId, X509Certificate certificate) {
}
