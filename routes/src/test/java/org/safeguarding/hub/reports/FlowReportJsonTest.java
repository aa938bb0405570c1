package org.safeguarding.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same figures for both audiences; for the board, small numbers suppressed and no ids at all. */
class FlowReportJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    static final String SUB = "6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a01";

    static FlowReport report() {
        List<UnroutedSubmission> unrouted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            unrouted.add(new UnroutedSubmission(SUB, i < 5 ? "lancs-police" : "nhs-lsc", T, List.of("CSE"), "BPL"));
        }
        return new FlowReport(Instant.parse("2026-11-01T00:00:00Z"), T, T, Duration.ofDays(2),
                new FlowCounts(12, Map.of("OUT_OF_AREA", 7L, "NO_AGREEMENT", 2L)),
                Map.of(new FlowKey("CS-CORE", 3, "lancs-police", "police-fib"), new FlowCounts(12, Map.of()),
                        new FlowKey("CS-CORE", 3, "lancs-police", "mash-bwd"), new FlowCounts(0, Map.of("OUT_OF_AREA", 7L)),
                        new FlowKey("none", null, "lancs-police", "mash-lancs"),
                        new FlowCounts(0, Map.of("NO_AGREEMENT", 2L))),
                Map.of("CSE", new FlowCounts(12, Map.of("OUT_OF_AREA", 7L, "NO_AGREEMENT", 2L))),
                Map.of("BPL", new FlowCounts(12, Map.of("OUT_OF_AREA", 7L, "NO_AGREEMENT", 2L))),
                Map.of("2026-11", new FlowCounts(12, Map.of("OUT_OF_AREA", 7L, "NO_AGREEMENT", 2L))),
                unrouted,
                List.of(new PendingPackage("pkg-1", SUB, "mash-bpl", T.minus(Duration.ofDays(3)))),
                List.of(new PendingPackage("pkg-2", SUB, "police-fib", T.minus(Duration.ofDays(6)))));
    }

    @Test
    void theIgLeadSeesEveryFigureAndTheIds() {
        JsonNode n = new FlowReportJson(JSON).render(report(), ReportAudience.IG_LEAD);

        assertThat(n.path("total").path("shared").asLong()).isEqualTo(12);
        assertThat(n.path("total").path("notShared").asLong()).isEqualTo(9);
        assertThat(n.path("total").path("notSharedByReason").path("NO_AGREEMENT").asLong()).isEqualTo(2);
        assertThat(n.path("flows")).hasSize(3);
        assertThat(n.path("flows").get(0).path("agreement").asText()).isEqualTo("CS-CORE");
        assertThat(n.path("unrouted").path("count").asLong()).isEqualTo(6);
        assertThat(n.path("unrouted").path("submissions")).hasSize(6);
        assertThat(n.path("unrouted").path("submissions").get(0).path("submissionId").asText()).isEqualTo(SUB);
        assertThat(n.path("unacknowledged").path("packages").get(0).path("packageId").asText()).isEqualTo("pkg-1");
        assertThat(n.path("unacknowledged").path("after").asText()).isEqualTo("PT48H");
        assertThat(n.path("expired").path("count").asLong()).isEqualTo(1);
        assertThat(n.path("expired").path("packages").get(0).path("packageId").asText()).isEqualTo("pkg-2");
    }

    @Test
    void theBoardSeesCountsUnderFiveAsSuppressedAndNoIds() throws Exception {
        JsonNode n = new FlowReportJson(JSON).render(report(), ReportAudience.BOARD);
        String text = JSON.writeValueAsString(n);

        assertThat(n.path("total").path("shared").isNumber()).isTrue();
        assertThat(n.path("total").path("shared").asLong()).isEqualTo(12);
        assertThat(n.path("total").path("notShared").asLong()).isEqualTo(9);
        assertThat(n.path("total").path("notSharedByReason").path("OUT_OF_AREA").asLong()).isEqualTo(7);
        assertThat(n.path("total").path("notSharedByReason").path("NO_AGREEMENT").asText()).isEqualTo("<5");
        JsonNode mashBwd = n.path("flows").get(0);
        assertThat(mashBwd.path("recipient").asText()).isEqualTo("mash-bwd");
        assertThat(mashBwd.path("shared").asText()).as("zero is suppressed too").isEqualTo("<5");
        assertThat(n.path("unrouted").path("count").asLong()).isEqualTo(6);
        assertThat(n.path("unrouted").path("byPartner").path("lancs-police").asLong()).isEqualTo(5);
        assertThat(n.path("unrouted").path("byPartner").path("nhs-lsc").asText()).isEqualTo("<5");
        assertThat(n.path("unacknowledged").path("count").asText()).isEqualTo("<5");
        assertThat(n.path("unrouted").has("submissions")).isFalse();
        assertThat(n.path("unacknowledged").has("packages")).isFalse();
        assertThat(n.path("expired").path("count").asText()).isEqualTo("<5");
        assertThat(n.path("expired").has("packages")).isFalse();
        assertThat(text).doesNotContain(SUB).doesNotContain("pkg-1").doesNotContain("submissionId")
                .doesNotContain("packageId");
        assertThat(n.path("audience").asText()).isEqualTo("BOARD");
    }

    @Test
    void everyCountInTheBoardViewIsANumberOfAtLeastFiveOrSuppressed() {
        JsonNode n = new FlowReportJson(JSON).render(report(), ReportAudience.BOARD);
        List<JsonNode> counts = new ArrayList<>();
        collectCounts(n, counts);
        assertThat(counts).isNotEmpty().allSatisfy(c -> {
            if (c.isNumber()) {
                assertThat(c.asLong()).isGreaterThanOrEqualTo(SmallNumbers.THRESHOLD);
            } else {
                assertThat(c.asText()).isEqualTo(SmallNumbers.SUPPRESSED);
            }
        });
    }

    /** Every numeric value and every "<5", except agreement versions (not counts). */
    static void collectCounts(JsonNode n, List<JsonNode> out) {
        n.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
                collectCounts(v, out);
            } else if ((v.isNumber() && !e.getKey().equals("agreementVersion"))
                    || SmallNumbers.SUPPRESSED.equals(v.asText())) {
                out.add(v);
            }
        });
        if (n.isArray()) {
            n.forEach(c -> collectCounts(c, out));
        }
    }
}
