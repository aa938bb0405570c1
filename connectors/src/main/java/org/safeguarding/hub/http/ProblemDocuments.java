package org.safeguarding.hub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/** RFC 9457 problem documents for the hub's errors: type, title, status, detail, code and, for 422, errors. */
public final class ProblemDocuments {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Seconds a client should wait before retrying after a 503. */
    public static final String RETRY_AFTER_SECONDS = "5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemDocuments() {
    }

    public static ApiResponse of(HubException e) {
        return of(e.code(), e.detail(), e.errors());
    }

    public static ApiResponse of(ErrorCode code, String detail) {
        return of(code, detail, java.util.List.of());
    }

    public static ApiResponse of(ErrorCode code, String detail, java.util.List<FieldError> errors) {
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
        Map<String, String> headers = code == ErrorCode.UNAVAILABLE
                ? Map.of("Retry-After", RETRY_AFTER_SECONDS) : Map.of();
        try {
            return new ApiResponse(code.httpStatus(), MEDIA_TYPE, JSON.writeValueAsBytes(p), headers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
