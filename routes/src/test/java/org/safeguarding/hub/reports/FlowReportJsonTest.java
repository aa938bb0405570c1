package org.safeguarding.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.sharing.ReasonCode;

/**
 * The same fields for both audiences; the IG lead's exact, the board's through the disclosure control, with
 * no ids at all and count maps whose keys say nothing.
 */
class FlowReportJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    static final String SUB = "6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a01";

    /** November 2026, with a distinct cell key for every count. */
    static FlowReport report() {
        List<UnroutedSubmission> unrouted = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            unrouted.add(new UnroutedSubmission(SUB, i < 8 ? "lancs-police" : "nhs-lsc", T, List.of("CSE"), "BPL",
                    1000 + i));
        }
        FlowCounts all = new FlowCounts(12, Map.of("OUT_OF_AREA", 13L, "NO_AGREEMENT", 2L), 11,
                Map.of("OUT_OF_AREA", 12L, "NO_AGREEMENT", 13L));
        return new FlowReport(Instant.parse("2026-11-01T00:00:00Z"), T, T, Duration.ofDays(2),
                all,
                Map.of(new FlowKey("CS-CORE", 3, "lancs-police", "police-fib"), new FlowCounts(12, Map.of(), 21, Map.of()),
                        new FlowKey("CS-CORE", 3, "lancs-police", "mash-bwd"),
                        new FlowCounts(0, Map.of("OUT_OF_AREA", 13L), 0, Map.of("OUT_OF_AREA", 22L)),
                        new FlowKey("none", null, "lancs-police", "mash-lancs"),
                        new FlowCounts(0, Map.of("NO_AGREEMENT", 2L), 0, Map.of("NO_AGREEMENT", 23L))),
                Map.of("CSE", all),
                Map.of("BPL", all),
                Map.of("2026-11", all),
                unrouted,
                List.of(new PendingPackage("pkg-1", SUB, "mash-bpl", T.minus(Duration.ofDays(3)), 2000)),
                List.of(new PendingPackage("pkg-2", SUB, "police-fib", T.minus(Duration.ofDays(6)), 3000)));
    }

    @Test
    void theIgLeadSeesEveryFigureAndTheIds() {
        JsonNode n = new FlowReportJson(JSON).render(report(), ReportAudience.IG_LEAD);

        assertThat(n.path("period").asText()).isEqualTo("2026-11");
        assertThat(n.path("total").path("shared").asLong()).isEqualTo(12);
        assertThat(n.path("total").path("notShared").asLong()).isEqualTo(15);
        assertThat(n.path("total").path("notSharedByReason").path("NO_AGREEMENT").asLong()).isEqualTo(2);
        assertThat(n.path("total").path("notSharedByReason").size()).as("only the reasons that occur").isEqualTo(2);
        assertThat(n.path("flows")).hasSize(3);
        assertThat(n.path("flows").get(0).path("agreement").asText()).isEqualTo("CS-CORE");
        assertThat(n.path("unrouted").path("count").asLong()).isEqualTo(9);
        assertThat(n.path("unrouted").path("submissions")).hasSize(9);
        assertThat(n.path("unrouted").path("submissions").get(0).path("submissionId").asText()).isEqualTo(SUB);
        assertThat(n.path("unacknowledged").path("packages").get(0).path("packageId").asText()).isEqualTo("pkg-1");
        assertThat(n.path("unacknowledged").path("after").asText()).isEqualTo("PT48H");
        assertThat(n.path("unacknowledged").path("asAt").asText()).isEqualTo(T.toString());
        assertThat(n.path("expired").path("count").asLong()).isEqualTo(1);
        assertThat(n.path("expired").path("packages").get(0).path("packageId").asText()).isEqualTo("pkg-2");
        assertThat(n.has("smallNumbers")).isFalse();
    }

    @Test
    void theBoardSeesSmallCountsSuppressedOthersRoundedAndNoIds() throws Exception {
        // rounding alone, so that the figures can be written down
        JsonNode n = new FlowReportJson(JSON, SmallNumbers.ROUNDING_ONLY).render(report(), ReportAudience.BOARD);
        String text = JSON.writeValueAsString(n);

        assertThat(n.path("audience").asText()).isEqualTo("BOARD");
        assertThat(n.path("total").path("shared").asLong()).isEqualTo(10);
        assertThat(n.path("total").path("notShared").asLong()).as("15, made from the true counts").isEqualTo(15);
        assertThat(n.path("total").path("notSharedByReason").path("OUT_OF_AREA").asLong()).isEqualTo(15);
        assertThat(n.path("total").path("notSharedByReason").path("NO_AGREEMENT").asText()).isEqualTo("<8");
        JsonNode mashBwd = n.path("flows").get(0);
        assertThat(mashBwd.path("recipient").asText()).isEqualTo("mash-bwd");
        assertThat(mashBwd.path("shared").asText()).as("zero is suppressed too").isEqualTo("<8");
        assertThat(n.path("unrouted").path("count").asLong()).isEqualTo(10);
        assertThat(n.path("unrouted").path("byPartner").path("lancs-police").asLong()).isEqualTo(10);
        assertThat(n.path("unrouted").path("byPartner").path("nhs-lsc").asText()).isEqualTo("<8");
        assertThat(n.path("unacknowledged").path("count").asText()).isEqualTo("<8");
        assertThat(n.path("unrouted").has("submissions")).isFalse();
        assertThat(n.path("unacknowledged").has("packages")).isFalse();
        assertThat(n.path("expired").path("count").asText()).isEqualTo("<8");
        assertThat(n.path("expired").has("packages")).isFalse();
        assertThat(text).doesNotContain(SUB).doesNotContain("pkg-1").doesNotContain("submissionId")
                .doesNotContain("packageId");
        assertThat(n.path("smallNumbers").asText()).contains("<8").contains("nearest 5");
    }

    @Test
    void theBoardsCountMapsListTheSameKeysWhateverTheCounts() {
        JsonNode n = new FlowReportJson(JSON).render(report(), ReportAudience.BOARD);
        List<String> reasons = new ArrayList<>();
        for (ReasonCode c : ReasonCode.values()) {
            reasons.add(c.name());
        }
        for (JsonNode row : rows(n)) {
            assertThat(names(row.path("notSharedByReason"))).as("every reason code in every row")
                    .containsExactlyInAnyOrderElementsOf(reasons);
        }
        // every partner of the flows, though only two had unrouted submissions; every recipient of the flows
        assertThat(names(n.path("unrouted").path("byPartner"))).containsExactly("lancs-police", "nhs-lsc");
        assertThat(names(n.path("unacknowledged").path("byRecipient")))
                .containsExactly("mash-bpl", "mash-bwd", "mash-lancs", "police-fib");
        assertThat(names(n.path("expired").path("byRecipient")))
                .containsExactly("mash-bpl", "mash-bwd", "mash-lancs", "police-fib");
    }

    @Test
    void everyBoardCountIsTheControlsFigureForItsOwnCountAndKey() {
        JsonNode n = new FlowReportJson(JSON).render(report(), ReportAudience.BOARD);
        SmallNumbers c = SmallNumbers.BOARD;
        assertThat(n.path("total").path("shared").toString()).isEqualTo(shown(c.publish(12, 11)));
        assertThat(n.path("total").path("notShared").toString()).isEqualTo(shown(c.publish(15, 25)));
        assertThat(n.path("total").path("notSharedByReason").path("OUT_OF_AREA").toString())
                .isEqualTo(shown(c.publish(13, 12)));
        assertThat(n.path("flows").get(1).path("shared").toString()).isEqualTo(shown(c.publish(12, 21)));
        assertThat(n.path("unrouted").path("count").toString()).isEqualTo(shown(c.publish(9, 9036)));
        assertThat(n.path("unrouted").path("byPartner").path("lancs-police").toString())
                .isEqualTo(shown(c.publish(8, 8028)));
    }

    @Test
    void everyFigureInTheBoardViewIsARoundedCountOrSuppressed() {
        // so no other statistic (a rate, a mean, a percentile) can reach the board without this control
        JsonNode n = new FlowReportJson(JSON).render(report(), ReportAudience.BOARD);
        List<JsonNode> counts = new ArrayList<>();
        collectCounts(n, counts);
        assertThat(counts).hasSizeGreaterThan(50).allSatisfy(c -> {
            if (c.isNumber()) {
                assertThat(c.asLong()).isGreaterThanOrEqualTo(10);
                assertThat(c.asLong() % SmallNumbers.BASE).isZero();
            } else {
                assertThat(c.asText()).isEqualTo(SmallNumbers.SUPPRESSED);
            }
        });
    }

    private static String shown(Object figure) {
        return figure instanceof String ? "\"" + figure + "\"" : figure.toString();
    }

    private static List<JsonNode> rows(JsonNode n) {
        List<JsonNode> rows = new ArrayList<>(List.of(n.path("total")));
        for (String table : List.of("flows", "byCategory", "byArea", "byMonth")) {
            n.path(table).forEach(rows::add);
        }
        return rows;
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        Iterator<String> it = n.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }

    /** Every numeric value and every "<8", except agreement versions (not counts). */
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
