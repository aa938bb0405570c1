package org.safeguarding.hub.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The hub's error as an RFC 9457 problem document, the same JSON on every channel (the HTTPS answer's body, the SFTP
 * drop's {@code .error.json}): type, title, status (the code's HTTP status, whatever the channel), detail (the
 * exception's, then what to do), code, and errors (always for {@code INVALID_SUBMISSION}, else when there are any).
 * Nothing of a submission's content is in it: the detail is safe to show, and a field error names the path and what is
 * wrong, never the value.
 */
public final class ProblemJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemJson() {
    }

    public static byte[] of(HubException e) {
        return of(e.code(), e.detail(), e.errors());
    }

    public static byte[] of(ErrorCode code, String detail) {
        return of(code, detail, List.of());
    }

    public static byte[] of(ErrorCode code, String detail, List<FieldError> errors) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", code.typeUri());
        p.put("title", code.title());
        p.put("status", code.httpStatus());
        p.put("detail", detail == null || detail.isBlank() ? code.action() : detail + " " + code.action());
        p.put("code", code.name());
        if (!errors.isEmpty() || code == ErrorCode.INVALID_SUBMISSION) {
            ArrayNode list = p.putArray("errors");
            for (FieldError fe : errors) {
                list.addObject().put("path", fe.path()).put("message", fe.message());
            }
        }
        try {
            return JSON.writeValueAsBytes(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
