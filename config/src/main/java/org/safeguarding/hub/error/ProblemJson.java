package org.safeguarding.hub.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The hub's error as an RFC 9457 problem document, the same JSON on every channel (the HTTPS answer's body, the SFTP
 * drop's {@code .error.json}): type (the URL of the code's page, {@code <publicBaseUrl>/problems/<slug>}), title,
 * status (the code's HTTP status, whatever the channel), detail (the exception's, then what to do), instance (the
 * request: its path, never its query), code, and errors (always for {@code INVALID_SUBMISSION}, else when there are
 * any): at most the first {@link #MAX_ERRORS}, followed by {@code errorCount}, how many there were in all.
 * Nothing of a submission's content is in it: the detail is safe to show, and a field error names the path and what is
 * wrong, never the value (and a key the submission's reference does not define only by its position).
 */
public final class ProblemJson {
    /** The most errors a problem document lists. */
    public static final int MAX_ERRORS = 100;
    /** The longest {@code instance} written; a longer request path is cut (it is the caller's own). */
    public static final int MAX_INSTANCE_CHARS = 512;
    /** Where the problem pages are, under the public base URL. */
    public static final String PAGES = "/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String typeBase;

    /**
     * @param publicBaseUrl the hub's address as partners reach it ({@code https://hub.example.org:8443}), without a
     *                      path; the problem types are its {@code /problems/<slug>} pages
     */
    public ProblemJson(String publicBaseUrl) {
        java.net.URI base = java.net.URI.create(publicBaseUrl);
        if (!"https".equals(base.getScheme()) || base.getHost() == null
                || !(base.getRawPath() == null || base.getRawPath().isEmpty() || base.getRawPath().equals("/"))
                || base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("not an https base URL without a path: " + publicBaseUrl);
        }
        String b = base.toString();
        this.typeBase = (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + PAGES;
    }

    /** The URL of the code's page: the problem type. */
    public String type(ErrorCode code) {
        return typeBase + code.slug();
    }

    /** The exception's problem, for the request {@code instance} (its path; null: none). */
    public byte[] of(HubException e, String instance) {
        return of(e.code(), e.detail(), e.errors(), e.errorCount(), instance);
    }

    public byte[] of(ErrorCode code, String detail, String instance) {
        return of(code, detail, List.of(), 0, instance);
    }

    /** The document of {@code errorCount} errors in all, of which {@code errors} are known (at most 100 listed). */
    public byte[] of(ErrorCode code, String detail, List<FieldError> errors, int errorCount, String instance) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", type(code));
        p.put("title", code.title());
        p.put("status", code.httpStatus());
        p.put("detail", detail == null || detail.isBlank() ? code.action() : detail + " " + code.action());
        if (instance != null && !instance.isEmpty()) {
            int end = instance.length() <= MAX_INSTANCE_CHARS ? instance.length()
                    : instance.offsetByCodePoints(0, instance.codePointCount(0, MAX_INSTANCE_CHARS - 1));
            p.put("instance", instance.substring(0, end));
        }
        p.put("code", code.name());
        if (!errors.isEmpty() || code == ErrorCode.INVALID_SUBMISSION) {
            ArrayNode list = p.putArray("errors");
            for (FieldError fe : errors.subList(0, Math.min(errors.size(), MAX_ERRORS))) {
                list.addObject().put("path", fe.path()).put("message", fe.message());
            }
            p.put("errorCount", Math.max(errorCount, errors.size()));
        }
        try {
            return JSON.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
