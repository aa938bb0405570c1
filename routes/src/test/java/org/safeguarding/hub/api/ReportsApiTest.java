package org.safeguarding.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.auditing.AuditRecorder.DeliveredPackage;
import org.safeguarding.hub.auditing.AuditRecorder.SubmissionFacts;
import org.safeguarding.hub.auditing.TrailFixture;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.reports.ReportAudience;
import org.safeguarding.hub.sharing.Decision;
import org.safeguarding.hub.sharing.ReasonCode;
import org.safeguarding.hub.sharing.RecipientDecision;

/**
 * The flow report's periods over a real trail: the board only gets whole calendar months and quarters that
 * have ended (any other window is a 400 saying what to send, and is audited), as they stood at their end, the
 * same every time it asks; the IG lead keeps any window and exact figures.
 */
class ReportsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DIGEST = "b".repeat(64);
    final TrailFixture f = TrailFixture.at("2026-10-10T09:00:00Z");
    final ReportsApi api = new ReportsApi(f.recorder, JSON, f.clock, Duration.ofDays(2), Period.ofYears(7));

    @AfterEach
    void close() {
        f.close();
    }

    /** Twelve submissions in October (each shared with police-fib, refused for mash-bwd), one in November. */
    private List<String> writeOctober() {
        List<String> packages = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            f.clock.set("2026-10-" + (10 + i) + "T09:00:00Z");
            String pkg = "pkg-" + i;
            packages.add(pkg);
            route(pkg);
        }
        f.clock.set("2026-11-03T09:00:00Z");
        route("pkg-nov");
        f.clock.set("2026-11-05T09:00:00Z");
        return packages;
    }

    private void route(String packageId) {
        String submissionId = UUID.randomUUID().toString();
        f.recorder.append(f.recorder.routedRecords("lancs-police", submissionId, "r-" + packageId, DIGEST,
                new SubmissionFacts(List.of("CCE"), "BPL"), List.of(
                        new RecipientDecision("police-fib", Decision.SHARED, "CS-CORE", 3, null, Set.of()),
                        new RecipientDecision("mash-bwd", Decision.NOT_SHARED, "CS-CORE", 3, ReasonCode.OUT_OF_AREA,
                                Set.of())),
                List.of(new DeliveredPackage("police-fib", packageId, "CS-CORE", 3, List.of(), DIGEST,
                        "intel.police-fib"))));
    }

    private ApiResponse board(Map<String, String> q) {
        return api.flows("board", q, ReportAudience.BOARD);
    }

    private static JsonNode json(ApiResponse r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HubException refused(Map<String, String> q) {
        try {
            board(q);
        } catch (HubException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            return e;
        }
        throw new AssertionError("the board was given " + q);
    }

    private List<String> queried() {
        List<String> out = new ArrayList<>();
        for (AuditEvent e : f.all()) {
            if (e.type() == AuditEventType.AUDIT_QUERIED) {
                out.add(e.actor() + " " + e.detail());
            }
        }
        return out;
    }

    @Test
    void theBoardGetsAnEndedMonthAsItStoodAtItsEnd() {
        writeOctober();
        JsonNode r = json(board(Map.of("period", "2026-10")));

        assertThat(r.path("audience").asText()).isEqualTo("BOARD");
        assertThat(r.path("period").asText()).isEqualTo("2026-10");
        assertThat(r.path("from").asText()).isEqualTo("2026-10-01T00:00:00Z");
        assertThat(r.path("to").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(r.path("generatedAt").asText()).as("as at the period's end").isEqualTo("2026-11-01T00:00:00Z");
        assertThat(r.path("flows")).hasSize(2);
        assertThat(r.path("total").path("shared").asLong() % 5).isZero();
        assertThat(r.path("byMonth")).hasSize(1);
        assertThat(queried()).containsExactly("board report=flows;audience=BOARD;period=2026-10;"
                + "from=2026-10-01T00:00:00Z;to=2026-11-01T00:00:00Z;unacknowledgedAfter=PT48H");
    }

    @Test
    void theBoardsReportOfAPeriodIsTheSameWheneverItAsks() {
        List<String> packages = writeOctober();
        byte[] first = board(Map.of("period", "2026-10")).body();
        byte[] quarter = board(Map.of("period", "2026-Q3")).body();

        // a month later: October's packages acknowledged, more submissions, the query itself recorded
        f.clock.set("2026-12-02T10:00:00Z");
        packages.forEach(p -> f.recorder.append(List.of(f.recorder.acknowledgedRecord("police-fib",
                UUID.randomUUID().toString(), p, "https"))));
        route("pkg-dec");
        f.clock.set("2026-12-03T10:00:00Z");

        assertThat(board(Map.of("period", "2026-10")).body()).isEqualTo(first);
        assertThat(board(Map.of("from", "2026-10-01T00:00:00Z", "to", "2026-11-01T00:00:00Z")).body())
                .as("the same month by its bounds").isEqualTo(first);
        assertThat(board(Map.of("from", "2026-10-01", "to", "2026-10-31")).body())
                .as("the same month by its first and last days").isEqualTo(first);
        assertThat(board(Map.of("period", "2026-Q3")).body()).isEqualTo(quarter);
    }

    @Test
    void anyOtherWindowIsRefusedWithWhatToSendAndAudited() {
        writeOctober();
        // the differencing attack of issue #11: [t0, t1) against [t0 + 1 s, t1)
        HubException e = refused(Map.of("from", "2026-10-01T00:00:00Z", "to", "2026-10-20T00:00:00Z"));
        assertThat(e.detail()).contains("period=2026-10").contains("period=2026-Q3")
                .contains("from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z");
        refused(Map.of("from", "2026-10-01T00:00:01Z", "to", "2026-11-01T00:00:00Z"));
        refused(Map.of("from", "2026-10-01T00:00:00Z"));
        refused(Map.of("to", "2026-11-01T00:00:00Z"));
        refused(Map.of("from", "2026-09-01T00:00:00Z", "to", "2026-11-01T00:00:00Z"));
        assertThat(refused(Map.of("period", "2026-10-01")).detail())
                .isEqualTo("period must be a calendar month such as 2026-03 or a quarter such as 2026-Q1.");
        assertThat(refused(Map.of("period", "2026-10", "from", "2026-10-01T00:00:00Z")).detail())
                .isEqualTo("Send period, or from and to, not both.");
        assertThat(refused(Map.of("from", "yesterday", "to", "2026-11-01T00:00:00Z")).detail())
                .isEqualTo("from must be a day such as 2026-11-27 or an instant such as 2026-11-27T10:00:00Z"
                        + " (a time needs Z or an offset such as +01:00).");

        assertThat(queried()).hasSize(8).allSatisfy(q ->
                assertThat(q).isEqualTo("board report=flows;audience=BOARD;refused=period"));
    }

    @Test
    void aPeriodThatHasNotEndedIsRefused() {
        writeOctober();
        assertThat(refused(Map.of("period", "2026-11")).detail()).startsWith("period=2026-11 has not ended yet.")
                .contains("send period=2026-10 (a month) or period=2026-Q3 (a quarter)");
        refused(Map.of("period", "2026-Q4"));
        refused(Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-12-01T00:00:00Z"));
        // the last instant of November is still November
        f.clock.set("2026-11-30T23:59:59.999Z");
        refused(Map.of("period", "2026-11"));
        f.clock.set("2026-12-01T00:00:00Z");
        assertThat(board(Map.of("period", "2026-11")).status()).isEqualTo(200);
    }

    @Test
    void withoutAPeriodTheBoardGetsTheLastMonthThatHasEnded() {
        writeOctober();
        JsonNode r = json(board(Map.of()));
        assertThat(r.path("period").asText()).isEqualTo("2026-10");
        assertThat(r.path("flows")).hasSize(2);
    }

    @Test
    void theBoardCannotMoveTheUnacknowledgedThreshold() {
        writeOctober();
        assertThat(refused(Map.of("period", "2026-10", "unacknowledgedAfter", "PT1H")).detail())
                .isEqualTo("The board's report counts the packages unacknowledged after the partnership's threshold "
                        + "(PT48H): leave unacknowledgedAfter out.");
        refused(Map.of("period", "2026-10", "unacknowledgedAfter", "soon"));
        assertThat(board(Map.of("period", "2026-10", "unacknowledgedAfter", "P2D")).status()).isEqualTo(200);
        assertThat(queried()).startsWith(
                "board report=flows;audience=BOARD;period=2026-10;refused=unacknowledgedAfter",
                "board report=flows;audience=BOARD;period=2026-10;refused=unacknowledgedAfter");
    }

    @Test
    void aPeriodTheRetentionHasReachedIsRefused() {
        writeOctober();
        // retention P7Y at 2026-11-05: events before 2019-11-05 are purged, so November 2019 is partly gone
        assertThat(refused(Map.of("period", "2019-11")).detail()).contains("retention (P7Y)");
        refused(Map.of("period", "2019-Q4"));
        assertThat(board(Map.of("period", "2019-12")).status()).isEqualTo(200);
    }

    @Test
    void theIgLeadKeepsAnyWindowAndExactFigures() {
        writeOctober();
        JsonNode r = json(api.flows("ig-lead", Map.of("from", "2026-10-15T00:00:00Z", "to", "2026-10-20T12:00:00Z",
                "unacknowledgedAfter", "PT1H"), ReportAudience.IG_LEAD));
        assertThat(r.path("total").path("shared").asLong()).isEqualTo(6);
        assertThat(r.path("unacknowledged").path("count").asLong()).isEqualTo(6);
        assertThat(r.path("period").isNull()).isTrue();

        JsonNode october = json(api.flows("ig-lead", Map.of("period", "2026-10"), ReportAudience.IG_LEAD));
        assertThat(october.path("period").asText()).isEqualTo("2026-10");
        assertThat(october.path("total").path("shared").asLong()).isEqualTo(12);
        assertThat(october.path("unacknowledged").path("packages")).hasSize(12);
        // and the current month too, up to now
        JsonNode november = json(api.flows("ig-lead", Map.of("from", "2026-11-01T00:00:00Z"), ReportAudience.IG_LEAD));
        assertThat(november.path("total").path("shared").asLong()).isEqualTo(1);
        assertThat(queried()).contains("ig-lead report=flows;audience=IG_LEAD;period=2026-10;"
                + "from=2026-10-01T00:00:00Z;to=2026-11-01T00:00:00Z;unacknowledgedAfter=PT48H");
        assertThatThrownBy(() -> api.flows("ig-lead", Map.of("period", "2026-10", "to", "2026-11-01T00:00:00Z"),
                ReportAudience.IG_LEAD)).isInstanceOf(HubException.class);
    }
}
