package org.safeguarding.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.reports.FlowReport;
import org.safeguarding.hub.reports.FlowReportBuilder;
import org.safeguarding.hub.reports.FlowReportJson;
import org.safeguarding.hub.reports.ReportAudience;

/**
 * {@code GET /api/v1/reports/flows?from=&to=&unacknowledgedAfter=}: the flow report, made from the audit
 * trail in one streamed pass. {@code from} (inclusive) and {@code to} (exclusive) are ISO-8601 instants,
 * both optional ({@code to} defaults to now); {@code unacknowledgedAfter} is an ISO-8601 duration and
 * defaults to the configured threshold. The query is itself recorded (AUDIT_QUERIED).
 */
public final class ReportsApi {
    private final AuditRecorder audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration defaultUnacknowledgedAfter;
    private final FlowReportJson render;

    public ReportsApi(AuditRecorder audit, ObjectMapper json, Clock clock, Duration defaultUnacknowledgedAfter) {
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.defaultUnacknowledgedAfter = defaultUnacknowledgedAfter;
        this.render = new FlowReportJson(json);
    }

    public ApiResponse flows(String caller, Map<String, String> q, ReportAudience audience) {
        Instant now = clock.instant();
        Instant from = AuditApi.from(q);
        Instant to = AuditApi.instant(q, "to");
        if (to == null) {
            to = now;
        }
        if (from != null && to.isBefore(from)) {
            throw new HubException(ErrorCode.BAD_REQUEST, "from must not be after now when to is not given.");
        }
        Duration threshold = duration(q.get("unacknowledgedAfter"));
        List<String> what = new ArrayList<>(List.of("report=flows", "audience=" + audience.name()));
        if (from != null) {
            what.add("from=" + from);
        }
        what.add("to=" + to);
        what.add("unacknowledgedAfter=" + threshold);
        audit.queried(caller, String.join(";", what));
        FlowReportBuilder builder = new FlowReportBuilder(from, to, now, threshold);
        // acknowledgements after 'to' still close a package: read on to the end of the trail
        audit.trail().export(new AuditQuery(null, null, null, from, null, null, 0), builder);
        FlowReport report = builder.build();
        try {
            return ApiResponse.json(200, json.writeValueAsBytes(render.render(report, audience)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Duration duration(String s) {
        if (s == null || s.isBlank()) {
            return defaultUnacknowledgedAfter;
        }
        try {
            Duration d = Duration.parse(s);
            if (d.isNegative()) {
                throw new DateTimeParseException("negative", s, 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new HubException(ErrorCode.BAD_REQUEST,
                    "unacknowledgedAfter must be an ISO-8601 duration such as P2D or PT12H.");
        }
    }
}
