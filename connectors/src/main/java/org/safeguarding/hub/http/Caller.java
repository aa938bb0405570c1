package org.safeguarding.hub.http;

import java.security.cert.X509Certificate;

/**
 * Who is on the other end of a mutually authenticated TLS connection. A participant's system: its certificate's CN is
 * the participant id, {@code person} is null. A person (in a browser on the console): their certificate names the
 * participant they act for in its OU and themselves in its CN, and is for TLS client authentication only.
 */
public record Caller(String participantId, X509Certificate certificate, String person) {
    public Caller(String participantId, X509Certificate certificate) {
        this(participantId, certificate, null);
    }

    public boolean isPerson() {
        return person != null;
    }

    /**
     * Who acted, as the audit trail names them: the participant id for a system; for a person
     * {@code <participant>/<name>:<certificate serial, hex>} ({@code ig-lead/jane-smith:5f0c...}), an identifier
     * without spaces that the partnership CA's records tie to one person.
     */
    public String actor() {
        if (person == null) {
            return participantId;
        }
        String name = org.safeguarding.hub.crypto.Certificates.slug(person);
        if (name.length() > 40) {
            name = name.substring(0, 40);
        }
        String serial = certificate == null ? "unknown" : certificate.getSerialNumber().toString(16);
        if (serial.length() > 40) {
            serial = serial.substring(0, 40);
        }
        return participantId + "/" + (name.isEmpty() ? "person" : name) + ":" + serial;
    }
}
