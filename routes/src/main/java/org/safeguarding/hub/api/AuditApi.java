package org.safeguarding.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.audit.AuditStoreException;
import org.safeguarding.hub.audit.AuditVerification;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.http.StreamedResponse;

/**
 * The information-governance lead's view of the audit trail: events by filter, oldest first, paged; the
 * trail exported as CSV or JSON Lines, streamed; and verification. Every call is itself recorded as an
 * AUDIT_QUERIED event naming who asked and what (the filters, with a participant filter named only when it
 * is a participant of the partnership, so that a mistyped name never lands in the trail). While the audit store is
 * unavailable (an {@link AuditStoreException}: database unreachable, disk full) every call answers 503 with
 * {@code Retry-After}, the export too as long as no byte of it has left.
 */
public final class AuditApi {
    static final int MAX_LIMIT = 1000;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private final AuditRecorder audit;
    private final ObjectMapper json;
    private final Predicate<String> knownParticipant;

    /** @param knownParticipant whether an id is a participant of the partnership (for the AUDIT_QUERIED detail) */
    public AuditApi(AuditRecorder audit, ObjectMapper json, Predicate<String> knownParticipant) {
        this.audit = audit;
        this.json = json;
        this.knownParticipant = knownParticipant;
    }

    public ApiResponse events(String caller, Map<String, String> q) {
        AuditQuery query = new AuditQuery(q.get("submissionId"), q.get("participant"), type(q.get("type")),
                from(q), instant(q, "to"), number(q, "after"), limit(q.get("limit")));
        List<AuditEvent> events = storeCall(() -> {
            audit.queried(caller, describe("events", query, null));
            return audit.trail().find(query);
        });
        ObjectNode page = json.createObjectNode();
        page.set("events", json.valueToTree(events));
        page.put("next", events.size() == query.limit() ? Long.valueOf(events.get(events.size() - 1).sequence()) : null);
        return ApiResponse.json(200, write(page));
    }

    /**
     * The trail, or the events in [from, to) (and any other filter of {@link #events}), oldest first, as
     * CSV or JSON Lines. Checked and recorded before the first byte; rows go out as the store reads them.
     */
    public StreamedResponse export(String caller, Map<String, String> q) {
        AuditExportFormat format = AuditExportFormat.parse(q.get("format"));
        AuditQuery query = new AuditQuery(q.get("submissionId"), q.get("participant"), type(q.get("type")),
                from(q), instant(q, "to"), null, 0);
        storeCall(() -> {
            audit.queried(caller, describe("export", query, format.extension));
            return null;
        });
        String file = "audit-trail." + format.extension;
        return new StreamedResponse(200, format.mediaType,
                Map.of("Content-Disposition", "attachment; filename=\"" + file + "\""),
                out -> {
                    Consumer<AuditEvent> sink = format.writer(out, json);
                    try {
                        audit.trail().export(query, sink);
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    } catch (AuditStoreException e) {
                        throw unavailable(e);
                    }
                });
    }

    public ApiResponse verify(String caller) {
        AuditVerification v = storeCall(() -> {
            audit.queried(caller, "verify");
            return audit.trail().verify();
        });
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

    /** {@code what;type=..;participant=..;submissionId=..;from=..;to=..;after=..;limit=..;format=..}: codes only. */
    private String describe(String what, AuditQuery q, String format) {
        List<String> parts = new ArrayList<>();
        parts.add(what);
        if (format != null) {
            parts.add("format=" + format);
        }
        if (q.type() != null) {
            parts.add("type=" + q.type().name());
        }
        if (q.participant() != null) {
            parts.add("participant=" + (knownParticipant.test(q.participant()) ? q.participant() : "other"));
        }
        if (q.submissionId() != null) {
            parts.add("submissionId=" + (UUID.matcher(q.submissionId()).matches() ? q.submissionId() : "other"));
        }
        if (q.from() != null) {
            parts.add("from=" + q.from());
        }
        if (q.to() != null) {
            parts.add("to=" + q.to());
        }
        if (q.afterSequence() != null) {
            // a run of ten digits is refused in a detail (it could be an NHS number): no sequence is that long
            parts.add("after=" + (q.afterSequence() < 1_000_000_000L ? q.afterSequence().toString() : "large"));
        }
        if (q.limit() > 0 && !"export".equals(what)) {
            parts.add("limit=" + q.limit());
        }
        return String.join(";", parts);
    }

    /** {@code from}, after checking that {@code to} is not before it. */
    static Instant from(Map<String, String> q) {
        Instant from = instant(q, "from");
        Instant to = instant(q, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw new HubException(ErrorCode.BAD_REQUEST, "to must not be before from.");
        }
        return from;
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

    /** {@code from} or {@code to} as a day or an instant ({@link DayOrInstant}); null when absent. */
    static Instant instant(Map<String, String> q, String key) {
        String s = q.get(key);
        if (s == null || s.isBlank()) {
            return null;
        }
        return ("to".equals(key) ? DayOrInstant.TO : DayOrInstant.FROM).parse(key, s);
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

    /** Runs a call on the audit store; the store being unavailable is a passing 503, not a 500. */
    private static <T> T storeCall(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (AuditStoreException e) {
            throw unavailable(e);
        }
    }

    private static HubException unavailable(AuditStoreException e) {
        return new HubException(ErrorCode.UNAVAILABLE, "The audit store is not available now.", e);
    }

    private byte[] write(Object node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
