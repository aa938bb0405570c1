package org.safeguarding.hub.submission;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A large attachment's {@code content}, left where it was read: a slice of the submission's own bytes holding
 * base64 text (checked, with no escapes), written back out as a JSON string without ever becoming a
 * {@code String}. This keeps a submission whose bulk is an attachment at one copy in memory.
 * Its text never appears in {@link #toString()}.
 */
public final class AttachmentContent implements JsonSerializable {
    private final byte[] bytes;
    private final int start;
    private final int length;

    AttachmentContent(byte[] bytes, int start, int length) {
        this.bytes = bytes;
        this.start = start;
        this.length = length;
    }

    /** Characters of base64 text. */
    public int length() {
        return length;
    }

    /** The base64 text itself (a copy: only for callers that really need it as a string). */
    public String text() {
        return new String(bytes, start, length, StandardCharsets.US_ASCII);
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        // base64 needs no escaping; the generator copies it through in chunks
        gen.writeString(new InputStreamReader(new ByteArrayInputStream(bytes, start, length), StandardCharsets.US_ASCII),
                length);
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(gen, serializers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttachmentContent other
                && Arrays.equals(bytes, start, start + length, other.bytes, other.start, other.start + other.length);
    }

    @Override
    public int hashCode() {
        return length;
    }

    @Override
    public String toString() {
        return "AttachmentContent[length=" + length + "]";
    }
}
