package org.safeguarding.hub.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.safeguarding.hub.submission.Utf8Json;

/**
 * Reads the top-level {@code partnerId} of a submission without validating the rest, so that
 * identity is checked before field rules as the scenario orders. Null when absent or unreadable
 * (field validation then reports it), and when the bytes read up to it are not well-formed UTF-8 JSON text
 * ({@link Utf8Json}): an overlong or UTF-16 spelling of a participant id is no partnerId.
 */
final class PartnerIdReader {
    private static final JsonFactory JSON = new JsonFactory();

    private PartnerIdReader() {
    }

    static String partnerId(byte[] json) {
        return partnerId(json, json.length);
    }

    /** Of the first {@code length} bytes of {@code json}. */
    static String partnerId(byte[] json, int length) {
        try (JsonParser p = JSON.createParser(json, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("partnerId".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    String id = p.getText();
                    long end = p.currentLocation().getByteOffset();
                    boolean wellFormed = end >= 0 && end <= length && Utf8Json.isWellFormed(json, 0, (int) end);
                    return wellFormed ? id : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
