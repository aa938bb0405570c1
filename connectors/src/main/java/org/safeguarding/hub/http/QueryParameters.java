package org.safeguarding.hub.http;

import io.vertx.core.MultiMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * An operation's query string, checked against the parameters it takes: one it does not take is refused (a mistyped
 * filter would otherwise be ignored, and the caller would get more than it asked for), and so is one given twice.
 * A refused parameter is named by its position, never by its text (it is the caller's; it might hold anything).
 */
final class QueryParameters {
    private QueryParameters() {
    }

    /** The parameters, each once; 400 {@code BAD_REQUEST} naming what the operation takes otherwise. */
    static Map<String, String> check(MultiMap query, List<String> allowed) {
        Map<String, String> out = new HashMap<>();
        int position = 0;
        for (Map.Entry<String, String> e : query) {
            position++;
            if (!allowed.contains(e.getKey())) {
                throw new HubException(ErrorCode.BAD_REQUEST, allowed.isEmpty()
                        ? "This operation takes no query parameters: send it without a query string."
                        : "Query parameter " + position + " is not one this operation takes; it takes only "
                                + String.join(", ", allowed) + " (names are case-sensitive).");
            }
            if (out.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new HubException(ErrorCode.BAD_REQUEST, e.getKey() + " is given more than once: give it once.");
            }
        }
        return out;
    }
}
