package org.safeguarding.hub.console;

import java.util.Locale;
import java.util.Map;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * A console form is taken only from the hub's own pages: its {@code Origin} is the hub's address as the browser reached
 * it ({@code https://} and the {@code Host} header), and a {@code Sec-Fetch-Site}, when the browser sends one, says
 * {@code same-origin}. A request with neither header is refused too: every browser that sends a form sends one.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    static void require(Map<String, String> headers) {
        String site = headers.get("Sec-Fetch-Site");
        String origin = headers.get("Origin");
        String host = headers.get("Host");
        boolean sameSite = site == null || site.equalsIgnoreCase("same-origin");
        boolean sameOrigin = origin == null || (host != null && !host.isBlank()
                && origin.toLowerCase(Locale.ROOT).equals("https://" + host.toLowerCase(Locale.ROOT)));
        if (!sameSite || !sameOrigin || (site == null && origin == null)) {
            throw new HubException(ErrorCode.FORBIDDEN, "A console form is taken only from the hub's own page: open"
                    + " the page at the hub and send the form from there.");
        }
    }
}
