package org.safeguarding.hub.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/**
 * A recipient's webhook address as the hub accepts it: an absolute {@code https} URL with a host, at most 500
 * characters, without user information or a fragment. The hub posts to it with its own client certificate and trusts
 * only a server certificate of the partnership CA.
 */
public final class WebhookUrl {
    public static final int MAX_LENGTH = 500;

    private WebhookUrl() {
    }

    /** The URL, checked; a 400 naming {@code url} otherwise (never repeating the value). */
    public static URI parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("is required: the https URL the hub posts urgent-package notices to");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("must be a URL such as https://duty.example.org/hub-notices");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid("must be an https URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw invalid("must not carry user information or a fragment");
        }
        return uri;
    }

    private static HubException invalid(String message) {
        return new HubException(ErrorCode.BAD_REQUEST, "The webhook is not valid: url " + message + ".",
                List.of(new FieldError("url", message)));
    }
}
