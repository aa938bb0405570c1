package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.partnership.PartnershipLoader;

/** {@code ./hub explain}, run as the command line runs it, on the scenario's submissions and the reference partnership. */
class ExplainCommandTest {
    static final String CLOCK = "2026-11-27T10:00:00Z";
    static final String C06 = "C06-police-trafficking-placed-child.json";

    @TempDir
    Path dir;
    Path partnership;
    String out;
    String err;

    @BeforeEach
    void files() throws IOException {
        partnership = dir.resolve("partnership.yaml");
        Files.writeString(partnership, PartnershipLoader.referencePartnershipYaml(), StandardCharsets.UTF_8);
    }

    Path scenario(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/scenario/submissions/" + name)) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = HubCommand.execute(Stream.concat(Stream.of("explain"), Arrays.stream(args)).toArray(String[]::new),
                new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** The line of the decision table for a recipient, its columns separated by runs of spaces. */
    void assertRow(String recipient, String decision, String reason, String agreement, String clause, String withheld) {
        String row = Stream.of(recipient, decision, reason, agreement, clause, withheld).map(Pattern::quote)
                .reduce((a, b) -> a + " {2,}" + b).orElseThrow();
        assertThat(out.lines()).as(recipient).anyMatch(l -> l.matches(row));
    }

    @Test
    void c06AtTheConformanceClockGivesEveryRecipientsDecisionAgreementClauseAndWithheldPaths() throws IOException {
        int code = run("--partnership", partnership.toString(), "--at", CLOCK, scenario(C06).toString());

        assertThat(code).as(err).isZero();
        assertThat(err).isEmpty();
        assertThat(out).contains("submission 6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a06 from lancs-police, received at " + CLOCK)
                .contains("ROUTED: shared with 3 of 10 recipients")
                .contains("handling code C: its conditions travel with every package; only recipients of the sectors"
                        + " [LOCAL_AUTHORITY, POLICE] may receive it")
                .doesNotContain("warning");
        assertRow("RECIPIENT", "DECISION", "REASON", "AGREEMENT", "CLAUSE", "WITHHELD");
        assertRow("police-fib", "SHARED", "-", "CS-CORE v3", "agreements[0].clauses[0]", "(nothing)");
        assertRow("mash-bwd", "NOT_SHARED", "OUT_OF_AREA", "CS-CORE v3", "agreements[0].clauses[1]", "-");
        assertRow("mash-bpl", "NOT_SHARED", "OUT_OF_AREA", "CS-CORE v3", "agreements[0].clauses[2]", "-");
        assertRow("mash-lancs", "SHARED", "-", "CS-CORE v3", "agreements[0].clauses[3]", "(nothing)");
        assertRow("health-safeguarding", "NOT_SHARED", "PURPOSE_NOT_PERMITTED", "CS-CORE v3",
                "agreements[0].clauses[4]", "-");
        assertRow("education-bwd", "NOT_SHARED", "OUT_OF_AREA", "CS-EDU v1", "agreements[1].clauses[0]", "-");
        assertRow("education-bpl", "NOT_SHARED", "OUT_OF_AREA", "CS-EDU v1", "agreements[1].clauses[1]", "-");
        assertRow("vcs-missing", "NOT_SHARED", "CATEGORY_NOT_COVERED", "CS-MISSING v2", "agreements[2].clauses[0]", "-");
        assertRow("placing-manchester", "SHARED", "-", "CS-PLACED v1", "agreements[3].clauses[0]", "(nothing)");
        assertRow("youth-justice", "NOT_SHARED", "AGREEMENT_EXPIRED", "CS-2023 v4", "agreements[4].clauses[0]", "-");
        assertThat(out).contains("  CS-2023 v4  not in force  (agreements[4], EXPIRED, valid 2023-01-01 to 2025-12-31)")
                .contains("  CS-PLACED v1  in force  (agreements[3], ACTIVE, valid 2026-06-01 to 2027-05-31)");
        assertNoContentOf(C06);
    }

    @Test
    void everyConformanceCaseAgreesWithTheConformanceFile() throws IOException {
        JsonNode conformance = resource("/scenario/conformance.json");
        for (JsonNode c : conformance.get("cases")) {
            String file = c.get("submission").asText().replace("submissions/", "");
            assertThat(run("--partnership", partnership.toString(), "--at", CLOCK, scenario(file).toString()))
                    .as(c.get("id").asText() + err).isZero();
            assertThat(out).contains(c.get("status").asText() + ": ");
            for (var e : c.get("decisions").properties()) {
                JsonNode want = e.getValue();
                boolean shared = want.get("decision").asText().equals("SHARED");
                List<String> withheld = new ArrayList<>();
                want.path("withheld").forEach(w -> withheld.add(w.asText()));
                String row = Pattern.quote(e.getKey()) + " {2,}" + want.get("decision").asText() + " {2,}"
                        + (shared ? "- {2,}" + Pattern.quote(want.get("agreement").asText() + " v" + want.get("version"))
                                + " {2,}\\S+ {2,}" + Pattern.quote(withheld.isEmpty() ? "(nothing)"
                                : String.join(",", withheld.stream().sorted().toList()))
                        : Pattern.quote(want.get("reason").asText()) + " .*");
                assertThat(out.lines()).as(c.get("id").asText() + " " + e.getKey()).anyMatch(l -> l.matches(row));
            }
            assertNoContentOf(file);
        }
    }

    @Test
    void aConfigurationDirectoryNamesThePartnershipFile() throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.copy(partnership, config.resolve("agreements-under-test.yaml"));
        Files.writeString(config.resolve("hub.yaml"), "partnershipFile: agreements-under-test.yaml\n");

        assertThat(run("--config", config.toString(), "--at", CLOCK, scenario(C06).toString())).as(err).isZero();

        assertThat(out).contains("partnership " + config.resolve("agreements-under-test.yaml").toAbsolutePath());
        assertRow("placing-manchester", "SHARED", "-", "CS-PLACED v1", "agreements[3].clauses[0]", "(nothing)");
    }

    @Test
    void anAgreementNotYetInForceIsTestedByMovingAt() throws IOException {
        // CS-PLACED starts on 2026-06-01: the day before, Manchester would get nothing.
        assertThat(run("--partnership", partnership.toString(), "--at", "2026-05-31", scenario(C06).toString()))
                .as(err).isZero();

        assertRow("placing-manchester", "NOT_SHARED", "AGREEMENT_EXPIRED", "CS-PLACED v1", "agreements[3].clauses[0]", "-");
        assertRow("police-fib", "SHARED", "-", "CS-CORE v3", "agreements[0].clauses[0]", "(nothing)");
        assertThat(out).contains("  CS-PLACED v1  not in force  (agreements[3], ACTIVE, valid 2026-06-01 to 2027-05-31)");
        assertThat(out.lines()).as("the time window is reported, not enforced")
                .anyMatch(l -> l.startsWith("warning: ") && l.contains("STALE_OR_FUTURE"));
    }

    @Test
    void aSubmissionThatFailsValidationGetsEveryProblemAndNoDecisions() throws IOException {
        int code = run("--partnership", partnership.toString(), "--at", CLOCK, scenario("R03-invalid-fields.json").toString());

        assertThat(code).isEqualTo(ExplainCommand.REFUSED);
        assertThat(out).contains("refused: INVALID_SUBMISSION (the hub would answer 422)")
                .doesNotContain("RECIPIENT", "SHARED");
        assertThat(out.lines()).anyMatch(l -> l.startsWith("  categories: "))
                .anyMatch(l -> l.startsWith("  subjects[0].identity.nhsNumber: "));
        assertThat(err.strip()).isEqualTo("hub: the hub would refuse this submission; see the problems above.");
        assertNoContentOf("R03-invalid-fields.json");
    }

    @Test
    void anAreaThePartnerMayNotUseIsRefusedWithItsCode() throws IOException {
        int code = run("--partnership", partnership.toString(), "--at", CLOCK,
                scenario("R09-area-not-permitted.json").toString());

        assertThat(code).isEqualTo(ExplainCommand.REFUSED);
        assertThat(out).contains("refused: AREA_NOT_PERMITTED (the hub would answer 403)");
    }

    @Test
    void wrongArgumentsGetAOneLineReason() throws IOException {
        Path c06 = scenario(C06);
        assertThat(run("--partnership", partnership.toString(), "--at", "next tuesday", c06.toString())).isEqualTo(2);
        assertThat(err).contains("--at must be an ISO-8601 instant");

        assertThat(run(c06.toString())).isEqualTo(2);
        assertThat(err).contains("--config").contains("--partnership");

        assertThat(run("--partnership", partnership.toString(), dir.resolve("absent.json").toString())).isEqualTo(2);
        assertThat(err.strip()).startsWith("hub: ").endsWith("no such file; give the submission JSON file.");

        Files.writeString(partnership, PartnershipLoader.referencePartnershipYaml().replace("sector: HEALTH",
                "sector: HOSPITAL"));
        assertThat(run("--partnership", partnership.toString(), c06.toString())).isEqualTo(2);
        assertThat(err).startsWith("hub: " + partnership).contains("participants[1].sector");
    }

    @Test
    void helpSaysTheTimeWindowIsNotEnforced() {
        assertThat(run("--help")).isZero();

        assertThat(out.replaceAll("\\s+", " ")).contains("The submission time window is NOT enforced")
                .contains("--at=TIME").contains("--config=DIR").contains("--partnership=FILE");
    }

    /** No text value of the submission longer than a code (names, dates, numbers, narrative, conditions) is printed. */
    void assertNoContentOf(String file) throws IOException {
        JsonNode n = resource("/scenario/submissions/" + file);
        List<String> values = new ArrayList<>();
        collect(n, values);
        for (String v : values) {
            if (v.matches("[A-Z_]+") || v.equals(n.path("submissionId").asText()) || v.equals(n.path("partnerId").asText())
                    || v.length() < 4) {
                continue; // codes and the two identifiers explain names on purpose
            }
            assertThat(out).as(file + " must not show a submitted value").doesNotContain(v);
        }
    }

    static void collect(JsonNode n, List<String> into) {
        if (n.isValueNode()) {
            into.add(n.asText());
        }
        n.forEach(child -> collect(child, into));
    }

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = ExplainCommandTest.class.getResourceAsStream(name)) {
            return new ObjectMapper().readTree(in);
        }
    }
}
