package org.safeguarding.hub.inbox;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A request to the hub that got no answer: the connection or the TLS handshake failed. It carries what
 * the command line needs to say which: the address asked, the CA file the hub was checked against and the subject
 * of the client certificate offered.
 */
public final class HubConnectionException extends IOException {
    private final URI uri;
    private final Path ca;
    private final String clientSubject;

    HubConnectionException(URI uri, Path ca, String clientSubject, IOException cause) {
        super("no answer from " + uri, cause);
        this.uri = uri;
        this.ca = ca;
        this.clientSubject = clientSubject;
    }

    public URI uri() {
        return uri;
    }

    public Path ca() {
        return ca;
    }

    public String clientSubject() {
        return clientSubject;
    }
}
