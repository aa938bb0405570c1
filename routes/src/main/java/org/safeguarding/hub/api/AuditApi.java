package org.safeguarding.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.audit.AuditVerification;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;

/** The information-governance lead's view of the audit trail: events by filter, oldest first, paged; and verification. */
public final class AuditApi {
    static final int MAX_LIMIT = 1000;
    private final AuditRecorder audit;
    private final ObjectMapper json;

    public AuditApi(AuditRecorder audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    public ApiResponse events(String caller, Map<String, String> q) {
        AuditQuery query = new AuditQuery(q.get("submissionId"), q.get("participant"), type(q.get("type")),
                instant(q, "from"), instant(q, "to"), number(q, "after"), limit(q.get("limit")));
        audit.queried(caller, "events");
        List<AuditEvent> events = audit.trail().find(query);
        ObjectNode page = json.createObjectNode();
        page.set("events", json.valueToTree(events));
        page.put("next", events.size() == query.limit() ? Long.valueOf(events.get(events.size() - 1).sequence()) : null);
        return ApiResponse.json(200, write(page));
    }

    public ApiResponse verify(String caller) {
        audit.queried(caller, "verify");
        AuditVerification v = audit.trail().verify();
        ObjectNode r = json.createObjectNode();
        r.put("ok", v.ok());
        r.put("events", v.events());
        r.put("head", v.head());
        r.put("firstBadEvent", v.firstBadEvent());
        if (v.reason() != null) {
            r.put("reason", v.reason());
        }
        return ApiResponse.json(200, write(r));
    }

    private static AuditEventType type(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return AuditEventType.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, "type is not an audit event type.");
        }
    }

    private static Instant instant(Map<String, String> q, String key) {
        String s = q.get(key);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, key + " must be an ISO-8601 instant such as 2026-11-27T10:00:00Z.");
        }
    }

    private static Long number(Map<String, String> q, String key) {
        String s = q.get(key);
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, key + " must be a sequence number.");
        }
    }

    private static int limit(String s) {
        if (s == null || s.isBlank()) {
            return 100;
        }
        try {
            int n = Integer.parseInt(s);
            if (n < 1 || n > MAX_LIMIT) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
        }
    }

    private byte[] write(Object node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
