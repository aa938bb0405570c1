package org.safeguarding.hub.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the top-level {@code partnerId} of a submission without validating the rest, so that
 * identity is checked before field rules as the scenario orders. Null when absent or unreadable
 * (field validation then reports it).
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
                    return value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
