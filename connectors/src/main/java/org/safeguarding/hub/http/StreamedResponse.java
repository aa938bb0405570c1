package org.safeguarding.hub.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;

/**
 * An answer whose body is produced while it is sent (chunked), so that a large body never sits in
 * memory: an API operation checks the caller and the request first (throwing
 * {@link org.safeguarding.hub.error.HubException} for a problem document), then returns this; the server
 * sends the status and headers and calls {@link BodyWriter#writeTo} on the same worker thread. Once the
 * body has begun the status cannot change: a failure then cuts the connection, so the client sees an
 * incomplete transfer rather than a body that looks whole.
 */
public record StreamedResponse(int status, String contentType, Map<String, String> headers, BodyWriter body) {
    /** When the headers name the length, the body is sent with it rather than chunked; it must write exactly that. */
    public static final String CONTENT_LENGTH = "Content-Length";

    public StreamedResponse {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** A body of {@code length} bytes, sent with its Content-Length. */
    public static StreamedResponse ofLength(int status, String contentType, long length, BodyWriter body) {
        return new StreamedResponse(status, contentType, Map.of(CONTENT_LENGTH, Long.toString(length)), body);
    }

    /** Writes the body. Blocking writes are fine: the stream waits while the client is slow. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }
}
