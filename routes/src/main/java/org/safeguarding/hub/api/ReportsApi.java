package org.safeguarding.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.reports.FlowReport;
import org.safeguarding.hub.reports.FlowReportBuilder;
import org.safeguarding.hub.reports.FlowReportJson;
import org.safeguarding.hub.reports.ReportAudience;
import org.safeguarding.hub.reports.ReportPeriod;

/**
 * {@code GET /api/v1/reports/flows?period=&from=&to=&unacknowledgedAfter=}: the flow report, made from the
 * audit trail in one streamed pass. The query is itself recorded (AUDIT_QUERIED).
 *
 * <p>The IG lead: {@code from} (inclusive) and {@code to} (exclusive) are ISO-8601 instants, both optional
 * ({@code to} defaults to now), or {@code period} names a month ({@code 2026-03}) or quarter
 * ({@code 2026-Q1}) instead; {@code unacknowledgedAfter} is an ISO-8601 duration and defaults to the
 * configured threshold. Exact figures.
 *
 * <p>The board: one whole calendar month or quarter (UTC) that has ended, named by {@code period} or by
 * {@code from} and {@code to} on its bounds (default: the last month that has ended), no earlier than the
 * trail's retention reaches; the configured threshold for unacknowledged packages; the report as it stood at
 * the period's end, under the board's disclosure control. Anything else is a 400 saying what to send, and
 * is recorded (AUDIT_QUERIED, {@code refused=period} or {@code refused=unacknowledgedAfter}). So the board
 * can never ask for two windows that differ by a few submissions, and asking for the same period twice
 * gives the same report.
 */
public final class ReportsApi {
    private final AuditRecorder audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration defaultUnacknowledgedAfter;
    private final Period retention;
    private final FlowReportJson render;

    /**
     * @param retention how long the audit trail keeps events: the board is not given a period the purge has
     *                  begun to eat into, whose figures would shrink day by day
     */
    private final java.util.function.Supplier<List<org.safeguarding.hub.observe.ExpiryWatch.Warning>> expiring;

    public ReportsApi(AuditRecorder audit, ObjectMapper json, Clock clock, Duration defaultUnacknowledgedAfter,
                      Period retention) {
        this(audit, json, clock, defaultUnacknowledgedAfter, retention, List::of);
    }

    /**
     * @param expiring what will stop sharing soon (certificates, CRLs, agreements, by name): the IG lead's report
     *                 lists it as {@code expiring}; the board's never does
     */
    public ReportsApi(AuditRecorder audit, ObjectMapper json, Clock clock, Duration defaultUnacknowledgedAfter,
                      Period retention,
                      java.util.function.Supplier<List<org.safeguarding.hub.observe.ExpiryWatch.Warning>> expiring) {
        this.expiring = expiring;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.defaultUnacknowledgedAfter = defaultUnacknowledgedAfter;
        this.retention = Objects.requireNonNull(retention, "retention");
        this.render = new FlowReportJson(json);
    }

    public ApiResponse flows(String caller, Map<String, String> q, ReportAudience audience) {
        return audience == ReportAudience.BOARD ? board(caller, q) : igLead(caller, q);
    }

    private ApiResponse igLead(String caller, Map<String, String> q) {
        Instant now = clock.instant();
        Instant from;
        Instant to;
        Optional<ReportPeriod> period = namedPeriod(q);
        if (period.isPresent()) {
            from = period.get().from();
            to = period.get().to();
        } else {
            from = AuditApi.from(q);
            to = AuditApi.instant(q, "to");
            if (to == null) {
                to = now;
            }
            if (from != null && to.isBefore(from)) {
                throw new HubException(ErrorCode.BAD_REQUEST, "from must not be after now when to is not given.");
            }
        }
        Duration threshold = duration(q.get("unacknowledgedAfter"));
        List<String> what = new ArrayList<>(List.of("report=flows", "audience=" + ReportAudience.IG_LEAD.name()));
        period.ifPresent(p -> what.add("period=" + p.name()));
        if (from != null) {
            what.add("from=" + from);
        }
        what.add("to=" + to);
        what.add("unacknowledgedAfter=" + threshold);
        audit.queried(caller, String.join(";", what));
        FlowReportBuilder builder = new FlowReportBuilder(from, to, now, threshold);
        // acknowledgements after 'to' still close a package: read on to the end of the trail
        audit.trail().export(new AuditQuery(null, null, null, from, null, null, 0), builder);
        ApiResponse r = respond(builder.build(), ReportAudience.IG_LEAD);
        return withExpiring(r);
    }

    private ApiResponse board(String caller, Map<String, String> q) {
        Instant now = clock.instant();
        String prefix = "report=flows;audience=" + ReportAudience.BOARD.name();
        ReportPeriod period;
        try {
            period = boardPeriod(q, now);
        } catch (HubException e) {
            audit.queried(caller, prefix + ";refused=period");
            throw e;
        }
        try {
            String given = q.get("unacknowledgedAfter");
            if (!blank(given) && !defaultUnacknowledgedAfter.equals(duration(given))) {
                throw new HubException(ErrorCode.BAD_REQUEST, "The board's report counts the packages unacknowledged "
                        + "after the partnership's threshold (" + defaultUnacknowledgedAfter
                        + "): leave unacknowledgedAfter out.");
            }
        } catch (HubException e) {
            audit.queried(caller, prefix + ";period=" + period.name() + ";refused=unacknowledgedAfter");
            throw e;
        }
        audit.queried(caller, prefix + ";period=" + period.name() + ";from=" + period.from() + ";to=" + period.to()
                + ";unacknowledgedAfter=" + defaultUnacknowledgedAfter);
        FlowReportBuilder builder = FlowReportBuilder.asAtEndOf(period, defaultUnacknowledgedAfter);
        // as at the period's end: nothing after it is needed
        audit.trail().export(new AuditQuery(null, null, null, period.from(), period.to(), null, 0), builder);
        return respond(builder.build(), ReportAudience.BOARD);
    }

    /**
     * The board's period: {@code period}, or {@code from} and {@code to} on the bounds of one month or
     * quarter, or (neither given) the last month that has ended; it must have ended and be within retention.
     */
    private ReportPeriod boardPeriod(Map<String, String> q, Instant now) {
        ReportPeriod last = ReportPeriod.lastEndedMonth(now);
        String ask = "The board's report covers one whole calendar month or quarter (UTC) that has ended: send "
                + "period=" + last.name() + " (a month) or period=" + ReportPeriod.lastEndedQuarter(now).name()
                + " (a quarter), or from and to on its bounds, such as from=" + last.from() + "&to=" + last.to()
                + ".";
        Optional<ReportPeriod> named = namedPeriod(q);
        ReportPeriod period;
        if (named.isPresent()) {
            period = named.get();
        } else if (blank(q.get("from")) && blank(q.get("to"))) {
            period = last;
        } else {
            Instant from = AuditApi.instant(q, "from");
            Instant to = AuditApi.instant(q, "to");
            period = ReportPeriod.between(from, to).orElseThrow(() -> new HubException(ErrorCode.BAD_REQUEST,
                    "from and to are not the bounds of one calendar month or quarter. " + ask));
        }
        if (!period.endedBy(now)) {
            throw new HubException(ErrorCode.BAD_REQUEST, "period=" + period.name() + " has not ended yet. " + ask);
        }
        Instant kept = now.atOffset(ReportPeriod.ZONE).minus(retention).toInstant();
        if (period.from().isBefore(kept)) {
            throw new HubException(ErrorCode.BAD_REQUEST, "period=" + period.name() + " begins before the audit "
                    + "trail's retention (" + retention + ") reaches back, so it can no longer be reported whole. "
                    + ask);
        }
        return period;
    }

    /** The {@code period} parameter, if given; 400 if it is not a month or quarter or comes with from/to. */
    private static Optional<ReportPeriod> namedPeriod(Map<String, String> q) {
        String text = q.get("period");
        if (blank(text)) {
            return Optional.empty();
        }
        if (!blank(q.get("from")) || !blank(q.get("to"))) {
            throw new HubException(ErrorCode.BAD_REQUEST, "Send period, or from and to, not both.");
        }
        return Optional.of(ReportPeriod.parse(text).orElseThrow(() -> new HubException(ErrorCode.BAD_REQUEST,
                "period must be a calendar month such as 2026-03 or a quarter such as 2026-Q1.")));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The IG lead's report with {@code expiring}: each thing within the warning window or past, soonest first. */
    private ApiResponse withExpiring(ApiResponse report) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode root =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(report.body());
            com.fasterxml.jackson.databind.node.ArrayNode list = root.putArray("expiring");
            for (org.safeguarding.hub.observe.ExpiryWatch.Warning w : expiring.get()) {
                list.addObject().put("kind", w.kind().label()).put("subject", w.subject())
                        .put("at", w.at() == null ? null : w.at().toString())
                        .put("daysLeft", w.daysLeft()).put("what", w.describe());
            }
            return ApiResponse.json(200, json.writeValueAsBytes(root));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ApiResponse respond(FlowReport report, ReportAudience audience) {
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
