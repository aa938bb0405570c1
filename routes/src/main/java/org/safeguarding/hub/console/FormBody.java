package org.safeguarding.hub.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * A form's body ({@code application/x-www-form-urlencoded}, UTF-8), read strictly: a field the form does not have, or
 * one given twice, or a malformed encoding is a 400 naming the field, never its value.
 */
final class FormBody {
    private FormBody() {
    }

    static Map<String, String> parse(byte[] body, String contentType, Collection<String> fields) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).strip()
                .startsWith("application/x-www-form-urlencoded")) {
            throw new HubException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Send the form as application/x-www-form-urlencoded, as the console's page does.");
        }
        Map<String, String> form = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return form;
        }
        for (String pair : text.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new HubException(ErrorCode.BAD_REQUEST, "The form is not URL-encoded.");
            }
            if (!fields.contains(name)) {
                throw new HubException(ErrorCode.BAD_REQUEST, "The form has no such field; it takes "
                        + String.join(", ", fields) + ".");
            }
            if (form.put(name, value) != null) {
                throw new HubException(ErrorCode.BAD_REQUEST, "The form's field " + name + " was given twice.");
            }
        }
        return form;
    }
}
