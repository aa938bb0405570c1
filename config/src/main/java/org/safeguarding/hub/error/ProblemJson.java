package org.safeguarding.hub.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The hub's error as an RFC 9457 problem document, the same JSON on every channel (the HTTPS answer's body, the SFTP
 * drop's {@code .error.json}): type, title, status (the code's HTTP status, whatever the channel), detail (the
 * exception's, then what to do), code, and errors (always for {@code INVALID_SUBMISSION}, else when there are any):
 * at most the first {@link #MAX_ERRORS}, followed by {@code errorCount}, how many there were in all.
 * Nothing of a submission's content is in it: the detail is safe to show, and a field error names the path and what is
 * wrong, never the value (and a key the submission's reference does not define only by its position).
 */
public final class ProblemJson {
    /** The most errors a problem document lists. */
    public static final int MAX_ERRORS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemJson() {
    }

    public static byte[] of(HubException e) {
        return of(e.code(), e.detail(), e.errors(), e.errorCount());
    }

    public static byte[] of(ErrorCode code, String detail) {
        return of(code, detail, List.of());
    }

    public static byte[] of(ErrorCode code, String detail, List<FieldError> errors) {
        return of(code, detail, errors, errors.size());
    }

    /** The document of {@code errorCount} errors in all, of which {@code errors} are known (at most 100 listed). */
    public static byte[] of(ErrorCode code, String detail, List<FieldError> errors, int errorCount) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", code.typeUri());
        p.put("title", code.title());
        p.put("status", code.httpStatus());
        p.put("detail", detail == null || detail.isBlank() ? code.action() : detail + " " + code.action());
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
