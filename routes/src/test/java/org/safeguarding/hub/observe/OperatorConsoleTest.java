package org.safeguarding.hub.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's page: what it shows of each part, flagged in words, escaped, and with no script anywhere. */
class OperatorConsoleTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static OperatorConsole console(Map<String, Boolean> health, List<ExpiryWatch.Dated> dates,
                                           SimpleMeterRegistry registry) {
        ExpiryWatch watch = new ExpiryWatch(() -> dates, Duration.ofDays(30), CLOCK);
        return new OperatorConsole(() -> health, watch::health, watch, registry, CLOCK);
    }

    private static SimpleMeterRegistry registry() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        Gauge.builder("hub.queue.depth", () -> 7).tag("queue", "intel.police-fib").register(r);
        Gauge.builder("hub.queue.oldest.age", () -> 42.4).tag("queue", "intel.police-fib").register(r);
        Gauge.builder("hub.queue.depth", () -> 0).tag("queue", "hub.dlq").register(r);
        Gauge.builder("hub.queue.oldest.age", () -> 0).tag("queue", "hub.dlq").register(r);
        Gauge.builder("hub.intake.backlog", () -> 3).register(r);
        Gauge.builder("hub.intake.backlog.bound", () -> 2000).register(r);
        HubMetrics flow = new HubMetrics(r);
        flow.intake("ACCEPTED", false);
        flow.intake("ACCEPTED", false);
        flow.intake("UNTRUSTED_SIGNER", true);
        flow.intake("UNAVAILABLE", false);
        return r;
    }

    @Test
    void everyPartInRowsWithItsStateInWords() {
        Map<String, Boolean> health = new LinkedHashMap<>();
        health.put("broker", true);
        health.put("auditStore", false);
        String page = console(health, List.of(
                new ExpiryWatch.Dated(ExpiryWatch.Kind.PARTICIPANT_CERTIFICATE, "lancs-police", NOW.plus(Duration.ofDays(12))),
                new ExpiryWatch.Dated(ExpiryWatch.Kind.CRL, "Partnership CA", NOW.plus(Duration.ofDays(200)))),
                registry()).page();

        assertThat(page).contains("<title>Hub operator console: DOWN</title>")
                .contains("<tr><th scope=\"row\">broker</th><td>UP</td></tr>")
                .contains("<tr class=\"down\"><th scope=\"row\">auditStore</th><td>DOWN</td></tr>")
                .contains("<tr><th scope=\"row\">intel.police-fib</th><td>7</td><td>42 s</td></tr>")
                .contains("<tr><th scope=\"row\">hub.dlq</th><td>0</td><td>none waiting</td></tr>")
                .contains("Intake backlog 3 of at most 2000")
                .contains("<tr class=\"warning\"><th scope=\"row\">certificate</th><td>lancs-police</td>"
                        + "<td>2026-12-15T10:00:00Z</td><td>WARNING 12</td></tr>")
                .contains("<tr><th scope=\"row\">CRL (next update)</th><td>Partnership CA</td>"
                        + "<td>2027-06-21T10:00:00Z</td><td>200</td></tr>")
                .contains("<tr><th scope=\"row\">ACCEPTED</th><td></td><td>2</td></tr>")
                .contains("<tr><th scope=\"row\">UNTRUSTED_SIGNER</th><td>the partner&#39;s</td><td>1</td></tr>")
                .contains("<tr><th scope=\"row\">UNAVAILABLE</th><td>the hub&#39;s</td><td>1</td></tr>");
        assertThat(page.indexOf("ACCEPTED</th>")).as("most frequent first").isLessThan(page.indexOf("UNAVAILABLE</th>"));
    }

    @Test
    void allUpIsUpAndAWarningIsAWarning() {
        SimpleMeterRegistry r = registry();
        assertThat(console(Map.of("broker", true), List.of(), r).page())
                .contains("<title>Hub operator console: UP</title>");
        assertThat(console(Map.of("broker", true), List.of(new ExpiryWatch.Dated(ExpiryWatch.Kind.HUB_CERTIFICATE, "hub",
                NOW.plus(Duration.ofDays(3)))), r).page()).contains("<title>Hub operator console: WARNING</title>");
        assertThat(console(Map.of("broker", true), List.of(new ExpiryWatch.Dated(ExpiryWatch.Kind.CRL, "Partnership CA",
                null)), r).page()).contains("<td>none is current</td><td>WARNING</td>");
    }

    @Test
    void everyValueIsEscapedAndNothingRuns() {
        String hostile = "<script>alert(1)</script>\"'&";
        String page = console(Map.of(hostile, true), List.of(new ExpiryWatch.Dated(ExpiryWatch.Kind.AGREEMENT, hostile,
                NOW.plus(Duration.ofDays(90)))), new SimpleMeterRegistry()).page();

        assertThat(page).doesNotContain("<script").doesNotContain(" style=").doesNotContainPattern("\\son[a-z]+=")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;")
                .contains("<td colspan=\"3\">none</td>")
                .contains("Intake backlog unknown");
        assertThat(new OperatorConsole(Map::of, Map::of, new ExpiryWatch(List::of, Duration.ofDays(30), CLOCK),
                new SimpleMeterRegistry(), CLOCK).stylesheet()).contains("table").doesNotContain("url(");
    }

    @Test
    void theLastDaysRefusalsByCodeFromTheAuditTrailCountsOnly() {
        try (org.safeguarding.hub.auditing.TrailFixture f = org.safeguarding.hub.auditing.TrailFixture
                .at("2026-12-02T08:00:00Z")) {
            f.recorder.rejected("lancs-police", null, org.safeguarding.hub.error.ErrorCode.UNTRUSTED_SIGNER, null);
            f.clock.set("2026-12-03T09:00:00Z");
            for (int i = 0; i < 3; i++) {
                f.recorder.rejected("lancs-police", null, org.safeguarding.hub.error.ErrorCode.UNTRUSTED_SIGNER, null);
            }
            f.recorder.rejected("nhs-lsc", null, org.safeguarding.hub.error.ErrorCode.INVALID_SUBMISSION, null);
            f.recorder.refused("board", "read the audit trail");
            f.clock.set("2026-12-03T10:00:00Z");
            RecentRefusals refusals = new RecentRefusals(f.trail, f.clock, Duration.ofHours(24), Duration.ofSeconds(60));
            OperatorConsole console = new OperatorConsole(Map::of, Map::of,
                    new ExpiryWatch(List::of, Duration.ofDays(30), f.clock), new SimpleMeterRegistry(), f.clock,
                    refusals);

            String page = console.page();

            assertThat(page).contains("<h2 id=\"refusals\">Refusals in the last 24 hours</h2>")
                    .contains("<tr><th scope=\"row\">UNTRUSTED_SIGNER</th><td>3</td></tr>")
                    .contains("<tr><th scope=\"row\">INVALID_SUBMISSION</th><td>1</td></tr>")
                    .contains("<tr><th scope=\"row\">ACCESS_REFUSED</th><td>1</td></tr>");
            String section = page.substring(page.indexOf("id=\"refusals\""));
            assertThat(section).as("counts only").doesNotContain("lancs-police").doesNotContain("nhs-lsc")
                    .doesNotContain("board");
            // read once a minute at most: a refusal a moment later shows at the next reading
            f.recorder.rejected("lancs-police", null, org.safeguarding.hub.error.ErrorCode.UNTRUSTED_SIGNER, null);
            assertThat(console.page()).contains("<tr><th scope=\"row\">UNTRUSTED_SIGNER</th><td>3</td></tr>");
            f.clock.set("2026-12-03T10:01:01Z");
            assertThat(console.page()).contains("<tr><th scope=\"row\">UNTRUSTED_SIGNER</th><td>4</td></tr>");
        }
    }

    /** The node's housekeeping role, from the health document's {@code housekeeping} entry, in a row and in words. */
    @Test
    void showsWhetherThisNodeLeadsTheHousekeeping() {
        ExpiryWatch watch = new ExpiryWatch(List::of, Duration.ofDays(30), CLOCK);
        Map<String, String> leader = new LinkedHashMap<>();
        leader.put("housekeeping", "LEADER");
        leader.put("housekeeping:package-expiry", "RUNNING");
        String page = new OperatorConsole(() -> Map.of("route:package-expiry", true), () -> leader, watch, registry(),
                CLOCK).page();
        assertThat(page).contains("<tr><th scope=\"row\">housekeeping</th><td>LEADER</td></tr>")
                .contains("<tr><th scope=\"row\">housekeeping:package-expiry</th><td>RUNNING</td></tr>")
                .contains("Housekeeping: this node is the leader")
                .contains("<title>Hub operator console: UP</title>");

        String standby = new OperatorConsole(Map::of, () -> Map.of("housekeeping", "STANDBY"), watch, registry(), CLOCK)
                .page();
        assertThat(standby).contains("<tr><th scope=\"row\">housekeeping</th><td>STANDBY</td></tr>")
                .contains("Housekeeping: this node stands by").doesNotContain("this node is the leader")
                .as("a standby is not a fault").contains("<title>Hub operator console: UP</title>");
    }
}
