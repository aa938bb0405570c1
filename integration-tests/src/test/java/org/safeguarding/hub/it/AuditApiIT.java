package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.crypto.testing.OpenSsl;

/**
 * The IG lead's audit API on a real hub that has routed every conformance submission (C01-C08), each sealed
 * with OpenSSL as its partner: events by filter and page, CSV and JSON Lines exports that reproduce every
 * stored hash, online verification, the flow reports for the IG lead and (ended months and quarters only,
 * under disclosure control) for the board, refusals
 * for everyone else (audited), and a scan of every stored event for every identity and narrative string of
 * the submissions.
 */
class AuditApiIT {
    static final List<String> CASES = List.of("C01-police-cce-blackpool.json", "C02-health-cse-blackburn.json",
            "C03-education-missing-blackpool.json", "C04-vcs-cse-blackpool-age21.json",
            "C05-vcs-cse-blackburn-age21.json", "C06-police-trafficking-placed-child.json",
            "C07-education-cce-handling-c.json", "C08-csc-missing-unknown-age.json");
    static final int RECIPIENTS = 10;

    static RunningHub hub;
    /** Case id (C01..) to the submission as sent. */
    static final Map<String, JsonNode> sent = new LinkedHashMap<>();
    static Instant started;
    /** Every routing event is before this instant, every later query event at or after it. */
    static Instant routedBy;

    @BeforeAll
    static void routeEveryConformanceSubmission() throws IOException {
        hub = RunningHub.start();
        started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        TestPki pki = hub.pki();
        // the split into packages completes sub-exchanges of its own: count whole submissions only
        NotifyBuilder routed = hub.routedNotifier(CASES.size());
        for (String file : CASES) {
            byte[] json = Submissions.current(file);
            JsonNode n = HubHttpClient.JSON.readTree(json);
            String partner = n.path("partnerId").asText();
            var r = hub.client(partner).submit(OpenSsl.signAndEncrypt(json, pki.cert(partner), pki.key(partner),
                    pki.cert("hub"), "-aes-256-gcm"));
            assertThat(r.statusCode()).as(file).isEqualTo(202);
            sent.put(file.substring(0, 3), n);
        }
        assertThat(routed.matches(120, TimeUnit.SECONDS)).as("every submission routed").isTrue();
        hub.awaitRecorded();
        // the broker counts a committed step's record a moment late, so an empty audit queue can come too soon: wait
        // for what the records set, every submission's routing ended in its partner's status
        for (JsonNode n : sent.values()) {
            String partner = n.path("partnerId").asText();
            String id = n.path("submissionId").asText();
            org.safeguarding.hub.crypto.testing.Await.until("the routing of " + id + " recorded",
                    java.time.Duration.ofSeconds(60), () -> java.util.Set.of("ROUTED", "UNROUTED").contains(
                            HubHttpClient.json(hub.client(partner).get("api/v1/submissions/" + id)).path("status")
                                    .asText()));
        }
        hub.awaitRecorded();
        routedBy = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        while (Instant.now().isBefore(routedBy)) {
            Thread.onSpinWait(); // at most a millisecond, so that later events fall after the window
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static String id(String caseId) {
        return sent.get(caseId).path("submissionId").asText();
    }

    static HttpResponse<byte[]> get(String participant, String path) {
        return hub.client(participant).get(path);
    }

    static JsonNode ok(String participant, String path) {
        HttpResponse<byte[]> r = get(participant, path);
        assertThat(r.statusCode()).as(path + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return HubHttpClient.json(r);
    }

    static List<JsonNode> events(String query) {
        List<JsonNode> out = new ArrayList<>();
        ok("ig-lead", "api/v1/audit/events?" + query).path("events").forEach(out::add);
        return out;
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ events

    @Test
    void eventsOfOneSubmissionTellItsWholeStory() {
        List<JsonNode> story = events("submissionId=" + id("C01") + "&limit=1000");

        assertThat(story).allSatisfy(e -> assertThat(e.path("submissionId").asText()).isEqualTo(id("C01")));
        Map<String, Long> types = story.stream().collect(Collectors.groupingBy(e -> e.path("type").asText(),
                TreeMap::new, Collectors.counting()));
        assertThat(types).containsEntry("SUBMISSION_ACCEPTED", 1L).containsEntry("SUBMISSION_OPENED", 1L)
                .containsEntry("DECISION", (long) RECIPIENTS).containsEntry("REDACTED", 2L)
                .containsEntry("PACKAGE_DELIVERED", 2L).containsEntry("SUBMISSION_ROUTED", 1L);
        JsonNode fib = story.stream().filter(e -> e.path("type").asText().equals("DECISION")
                && e.path("participant").asText().equals("police-fib")).findFirst().orElseThrow();
        assertThat(fib.path("decision").asText()).isEqualTo("SHARED");
        assertThat(fib.path("agreementId").asText()).isEqualTo("CS-CORE");
        assertThat(fib.path("agreementVersion").asInt()).isEqualTo(3);
        assertThat(fib.path("withheldPaths").get(0).asText()).isEqualTo("subjects[0].health");
        assertThat(fib.path("detail").asText()).startsWith("partner=lancs-police");
        assertThat(fib.path("receivedDigest").asText()).hasSize(64);
        assertThat(fib.path("hash").asText()).hasSize(64);
        assertThat(fib.path("previousHash").asText()).hasSize(64);
    }

    @Test
    void eventsFilterByParticipantTypeAndTime() {
        List<JsonNode> fib = events("participant=police-fib&limit=1000");
        assertThat(fib).isNotEmpty().allSatisfy(e -> assertThat(List.of(e.path("actor").asText(),
                e.path("participant").asText())).contains("police-fib"));
        assertThat(fib).filteredOn(e -> e.path("type").asText().equals("DECISION")).hasSize(CASES.size());

        String window = "&from=" + started + "&to=" + routedBy;
        List<JsonNode> decisions = events("type=DECISION&limit=1000" + window);
        assertThat(decisions).hasSize(CASES.size() * RECIPIENTS)
                .allSatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("DECISION"));

        Instant mid = Instant.parse(decisions.get(decisions.size() / 2).path("time").asText());
        List<JsonNode> fromMid = events("type=DECISION&limit=1000&from=" + mid + "&to=" + routedBy);
        List<JsonNode> beforeMid = events("type=DECISION&limit=1000&from=" + started + "&to=" + mid);
        assertThat(fromMid).isNotEmpty().allSatisfy(e -> assertThat(Instant.parse(e.path("time").asText()))
                .isAfterOrEqualTo(mid));
        assertThat(beforeMid).isNotEmpty().allSatisfy(e -> assertThat(Instant.parse(e.path("time").asText()))
                .isBefore(mid));
        assertThat(fromMid.size() + beforeMid.size()).isEqualTo(decisions.size());
    }

    @Test
    void pagingWalksEveryEventOnceOldestFirst() {
        String filter = "type=DECISION&to=" + routedBy;
        List<Long> all = events(filter + "&limit=1000").stream().map(e -> e.path("sequence").asLong()).toList();

        List<Long> paged = new ArrayList<>();
        String after = "";
        int pages = 0;
        while (true) {
            JsonNode page = ok("ig-lead", "api/v1/audit/events?" + filter + "&limit=7" + after);
            assertThat(page.path("events").size()).isLessThanOrEqualTo(7);
            page.path("events").forEach(e -> paged.add(e.path("sequence").asLong()));
            pages++;
            if (page.path("next").isNull()) {
                break;
            }
            after = "&after=" + page.path("next").asLong();
            assertThat(pages).as("paging ends").isLessThan(100);
        }
        assertThat(paged).hasSize(CASES.size() * RECIPIENTS).isEqualTo(all).isSorted().doesNotHaveDuplicates();
        assertThat(pages).isGreaterThanOrEqualTo(12);
    }

    @Test
    void badFiltersAreClearErrors() {
        for (String q : List.of("type=NOT_A_TYPE", "from=yesterday", "limit=0", "limit=5000", "after=x",
                "from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z")) {
            HttpResponse<byte[]> r = get("ig-lead", "api/v1/audit/events?" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(HubHttpClient.json(r).path("code").asText()).isEqualTo("BAD_REQUEST");
        }
        HttpResponse<byte[]> r = get("ig-lead", "api/v1/audit/export?format=xml");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(HubHttpClient.json(r).path("detail").asText()).contains("csv or jsonl");
    }

    // ------------------------------------------------------------------ export and verify

    @Test
    void csvAndJsonLinesExportTheSameEventsAndEveryStoredHashChecksOut() {
        String window = "&to=" + routedBy;
        HttpResponse<byte[]> jr = get("ig-lead", "api/v1/audit/export?format=jsonl" + window);
        HttpResponse<byte[]> cr = get("ig-lead", "api/v1/audit/export?format=csv" + window);
        assertThat(jr.statusCode()).isEqualTo(200);
        assertThat(cr.statusCode()).isEqualTo(200);
        assertThat(jr.headers().firstValue("Content-Type")).hasValue("application/jsonl");
        assertThat(cr.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(cr.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v)
                .contains("attachment").contains(".csv"));

        List<AuditEvent> fromJson = AuditExports.jsonLines(text(jr));
        List<List<String>> rows = AuditExports.csvRows(text(cr));
        assertThat(String.join(",", rows.get(0))).startsWith("sequence,id,time,type,").endsWith(",previousHash,hash");
        List<AuditEvent> fromCsv = rows.subList(1, rows.size()).stream().map(AuditExports::fromCsv).toList();

        assertThat(fromJson).hasSizeGreaterThan(CASES.size() * RECIPIENTS);
        assertThat(fromCsv).isEqualTo(fromJson);
        // the whole trail from its start, gap-free, each event exactly as stored
        for (int i = 0; i < fromJson.size(); i++) {
            AuditEvent e = fromJson.get(i);
            assertThat(e.sequence()).isEqualTo(i + 1L);
            assertThat(e.hashMatches()).as("event %s", e.sequence()).isTrue();
            if (i > 0) {
                assertThat(e.previousHash()).isEqualTo(fromJson.get(i - 1).hash());
            }
        }

        HttpResponse<byte[]> part = get("ig-lead", "api/v1/audit/export?format=jsonl&type=DECISION&from=" + started
                + window);
        assertThat(AuditExports.jsonLines(text(part))).hasSize(CASES.size() * RECIPIENTS);
    }

    @Test
    void verifyReportsAnIntactTrail() {
        JsonNode v = ok("ig-lead", "api/v1/audit/verify");
        assertThat(v.path("ok").asBoolean()).isTrue();
        assertThat(v.path("firstBadEvent").isNull()).isTrue();
        assertThat(v.path("events").asLong()).isGreaterThan(CASES.size() * RECIPIENTS);
        assertThat(v.path("head").asText()).matches("[0-9a-f]{64}");
    }

    @Test
    void everyQueryRecordsWhoAskedWhat() {
        get("ig-lead", "api/v1/audit/export?format=csv&type=DECISION&from=" + started);
        get("ig-lead", "api/v1/audit/events?participant=police-fib&submissionId=" + id("C02") + "&limit=3");
        get("ig-lead", "api/v1/audit/events?participant=Jamie%20Example");
        get("ig-lead", "api/v1/audit/verify");

        List<String> asked = events("type=AUDIT_QUERIED&participant=ig-lead&limit=1000").stream()
                .map(e -> e.path("detail").asText()).toList();
        assertThat(asked).contains("export;format=csv;type=DECISION;from=" + started)
                .contains("events;participant=police-fib;submissionId=" + id("C02") + ";limit=3")
                .contains("verify")
                .allSatisfy(d -> assertThat(d).doesNotContainIgnoringCase("jamie"))
                .anySatisfy(d -> assertThat(d).isEqualTo("events;participant=other;limit=100"));
    }

    // ------------------------------------------------------------------ who may

    @Test
    void nobodyButTheIgLeadMayReadExportOrVerifyAndEveryRefusalIsAudited() {
        for (String who : List.of("police-fib", "lancs-police", "board")) {
            for (String path : List.of("api/v1/audit/events", "api/v1/audit/export?format=csv", "api/v1/audit/verify")) {
                HttpResponse<byte[]> r = get(who, path);
                assertThat(r.statusCode()).as(who + " " + path).isEqualTo(403);
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(HubHttpClient.json(r).path("code").asText()).isEqualTo("FORBIDDEN");
                assertThat(text(r)).doesNotContain("sequence");
            }
        }
        for (String who : List.of("police-fib", "lancs-police", "board")) {
            List<JsonNode> refused = events("type=ACCESS_REFUSED&participant=" + who + "&limit=1000");
            assertThat(refused).extracting(e -> e.path("detail").asText())
                    .contains("read-the-audit-trail", "export-the-audit-trail", "verify-the-audit-trail");
            assertThat(refused).allSatisfy(e -> {
                assertThat(e.path("actor").asText()).isEqualTo(who);
                assertThat(e.path("reasonCode").asText()).isEqualTo("FORBIDDEN");
            });
        }
    }

    // ------------------------------------------------------------------ reports

    @Test
    void theIgLeadsFlowReportMatchesTheConformanceDecisions() throws IOException {
        JsonNode conformance;
        try (InputStream in = AuditApiIT.class.getResourceAsStream("/scenario/conformance.json")) {
            conformance = HubHttpClient.JSON.readTree(in);
        }
        // expected per (partner, recipient): shared, and not-shared by reason; and shared per agreement
        Map<String, Map<String, Long>> expected = new TreeMap<>();
        Map<String, Long> expectedSharedUnder = new TreeMap<>();
        for (JsonNode c : conformance.path("cases")) {
            String caseId = c.path("id").asText();
            if (!sent.containsKey(caseId)) {
                continue;
            }
            String partner = sent.get(caseId).path("partnerId").asText();
            c.path("decisions").fields().forEachRemaining(d -> {
                String key = partner + "->" + d.getKey();
                boolean shared = d.getValue().path("decision").asText().equals("SHARED");
                expected.computeIfAbsent(key, k -> new TreeMap<>()).merge(shared ? "SHARED"
                        : d.getValue().path("reason").asText(), 1L, Long::sum);
                if (shared) {
                    expectedSharedUnder.merge(d.getValue().path("agreement").asText() + "/v"
                            + d.getValue().path("version").asInt() + ":" + key, 1L, Long::sum);
                }
            });
        }
        // one package acknowledged after the window: it must not count as unacknowledged
        JsonNode inbox = ok("police-fib", "api/v1/inbox");
        String acked = inbox.get(0).path("packageId").asText();
        assertThat(hub.client("police-fib").post("api/v1/inbox/" + acked + "/ack").statusCode()).isEqualTo(204);

        JsonNode r = ok("ig-lead", "api/v1/reports/flows?from=" + started + "&to=" + routedBy
                + "&unacknowledgedAfter=PT0S");

        Map<String, Map<String, Long>> actual = new TreeMap<>();
        Map<String, Long> actualSharedUnder = new TreeMap<>();
        for (JsonNode f : r.path("flows")) {
            String key = f.path("partner").asText() + "->" + f.path("recipient").asText();
            long shared = f.path("shared").asLong();
            if (shared > 0) {
                actual.computeIfAbsent(key, k -> new TreeMap<>()).merge("SHARED", shared, Long::sum);
                actualSharedUnder.merge(f.path("agreement").asText() + "/v" + f.path("agreementVersion").asInt()
                        + ":" + key, shared, Long::sum);
            }
            f.path("notSharedByReason").fields().forEachRemaining(e ->
                    actual.computeIfAbsent(key, k -> new TreeMap<>()).merge(e.getKey(), e.getValue().asLong(),
                            Long::sum));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(actualSharedUnder).isEqualTo(expectedSharedUnder);
        long shared = expectedSharedUnder.values().stream().mapToLong(Long::longValue).sum();
        assertThat(r.path("total").path("shared").asLong()).isEqualTo(shared);
        assertThat(r.path("total").path("notShared").asLong()).isEqualTo(CASES.size() * RECIPIENTS - shared);
        assertThat(sum(r.path("byArea"))).isEqualTo(CASES.size() * RECIPIENTS);
        assertThat(sum(r.path("byMonth"))).isEqualTo(CASES.size() * RECIPIENTS);
        assertThat(r.path("byMonth").get(0).path("month").asText()).isEqualTo(routedBy.toString().substring(0, 7));

        assertThat(r.path("unrouted").path("count").asInt()).isEqualTo(1);
        assertThat(r.path("unrouted").path("submissions").get(0).path("submissionId").asText()).isEqualTo(id("C05"));
        assertThat(r.path("unrouted").path("byPartner").path("lancs-vcs").asInt()).isEqualTo(1);

        assertThat(r.path("unacknowledged").path("count").asLong()).isEqualTo(shared - 1);
        assertThat(r.path("unacknowledged").path("packages")).hasSize((int) shared - 1)
                .noneSatisfy(p -> assertThat(p.path("packageId").asText()).isEqualTo(acked));
        JsonNode lateDefault = ok("ig-lead", "api/v1/reports/flows?from=" + started);
        assertThat(lateDefault.path("unacknowledged").path("after").asText()).isEqualTo("PT48H");
        assertThat(lateDefault.path("unacknowledged").path("count").asLong()).as("nothing has waited two days")
                .isZero();
    }

    @Test
    void theBoardGetsOnlyEndedMonthsAndQuartersUnderDisclosureControl() {
        // this run's window is a few seconds of today: not a period the board may have
        String lastMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(1).toString();
        HttpResponse<byte[]> window = get("board", "api/v1/reports/flows?from=" + started + "&to=" + routedBy);
        assertThat(window.statusCode()).as(text(window)).isEqualTo(400);
        JsonNode problem = HubHttpClient.json(window);
        assertThat(problem.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(problem.path("detail").asText()).contains("period=" + lastMonth);
        HttpResponse<byte[]> current = get("board", "api/v1/reports/flows?period="
                + YearMonth.now(ZoneOffset.UTC));
        assertThat(current.statusCode()).isEqualTo(400);
        assertThat(HubHttpClient.json(current).path("detail").asText()).contains("has not ended");
        HttpResponse<byte[]> threshold = get("board", "api/v1/reports/flows?period=" + lastMonth
                + "&unacknowledgedAfter=PT0S");
        assertThat(threshold.statusCode()).isEqualTo(400);

        // without a period: the last month that has ended (before this hub started, so it counts nothing)
        HttpResponse<byte[]> br = get("board", "api/v1/reports/flows");
        assertThat(br.statusCode()).as(text(br)).isEqualTo(200);
        JsonNode board = HubHttpClient.json(br);
        String boardText = text(br);
        assertThat(board.path("audience").asText()).isEqualTo("BOARD");
        assertThat(board.path("period").asText()).isEqualTo(lastMonth);
        assertThat(board.path("smallNumbers").asText()).contains("<8");
        assertThat(get("board", "api/v1/reports/flows?period=" + lastMonth).body()).as("asked by name")
                .isEqualTo(br.body());
        List<JsonNode> counts = new ArrayList<>();
        collectCounts(board, counts);
        assertThat(counts).isNotEmpty().allSatisfy(c -> {
            if (c.isNumber()) {
                assertThat(c.asLong()).isGreaterThanOrEqualTo(10);
                assertThat(c.asLong() % 5).isZero();
            } else {
                assertThat(c.asText()).isEqualTo("<8");
            }
        });
        // nothing else: no ids of any submission or package
        assertThat(boardText).doesNotContain("submissionId").doesNotContain("packageId");
        List<String> ids = new ArrayList<>();
        AuditExports.jsonLines(text(get("ig-lead", "api/v1/audit/export?format=jsonl"))).forEach(e -> {
            if (e.submissionId() != null) {
                ids.add(e.submissionId());
            }
            if (e.packageId() != null) {
                ids.add(e.packageId());
            }
        });
        assertThat(ids).isNotEmpty().allSatisfy(i -> assertThat(boardText).doesNotContain(i));

        HttpResponse<byte[]> refused = get("police-fib", "api/v1/reports/flows");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(events("type=ACCESS_REFUSED&participant=police-fib&limit=1000"))
                .anySatisfy(e -> assertThat(e.path("detail").asText()).isEqualTo("read-the-flow-reports"));
        List<String> boardQueries = new ArrayList<>();
        events("type=AUDIT_QUERIED&participant=board&limit=1000")
                .forEach(e -> boardQueries.add(e.path("detail").asText()));
        assertThat(boardQueries).contains("report=flows;audience=BOARD;refused=period",
                "report=flows;audience=BOARD;period=" + lastMonth + ";refused=unacknowledgedAfter");
        assertThat(boardQueries).anySatisfy(d -> assertThat(d)
                .startsWith("report=flows;audience=BOARD;period=" + lastMonth + ";from="));
    }

    /** Every count in a report: numbers other than agreement versions, and every "<8". */
    static void collectCounts(JsonNode n, List<JsonNode> out) {
        n.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
                collectCounts(v, out);
            } else if ((v.isNumber() && !e.getKey().equals("agreementVersion")) || "<8".equals(v.asText())) {
                out.add(v);
            }
        });
        if (n.isArray()) {
            n.forEach(c -> collectCounts(c, out));
        }
    }

    static long sum(JsonNode rows) {
        long s = 0;
        for (JsonNode row : rows) {
            s += row.path("shared").asLong() + row.path("notShared").asLong();
        }
        return s;
    }

    // ------------------------------------------------------------------ no content

    @Test
    void noStoredEventCarriesAnyIdentityOrNarrativeStringOfTheSubmissions() throws IOException {
        Set<String> needles = ConformanceContent.needles(List.copyOf(sent.values()));
        // the scan looks for what matters
        assertThat(needles).hasSizeGreaterThan(300).contains("jamie example", "jamie-example", "jamie", "9990000018",
                "9990000026", "2011-03-02", "20110302", "02/03/2011", "fy14ab", "fy1-4ab", "pn19xyz",
                "@fastcash_fy1", "q890200126001", "handled source s-117, reporting since 2024", "lp-c-1",
                "12-example-street,-blackpool", "child seen entering");

        String jsonl = text(get("ig-lead", "api/v1/audit/export?format=jsonl"));
        String csv = text(get("ig-lead", "api/v1/audit/export?format=csv"));
        List<AuditEvent> all = AuditExports.jsonLines(jsonl);
        assertThat(all).hasSizeGreaterThan(CASES.size() * RECIPIENTS);
        // and it is looking at the real trail: every submission is in it
        sent.keySet().forEach(c -> assertThat(jsonl).contains(id(c)));

        assertThat(ConformanceContent.foundIn(jsonl, needles)).as("content in the JSON Lines export").isEmpty();
        assertThat(ConformanceContent.foundIn(csv, needles)).as("content in the CSV export").isEmpty();

        // and in the database file itself, deleted pages included
        Path db = hub.app().settings().dataDirectory().resolve("audit").resolve("audit.mv.db");
        String raw = new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1);
        assertThat(raw).as("the scan can see stored text").contains(id("C01"));
        assertThat(ConformanceContent.foundIn(raw, needles)).as("content in the audit database file").isEmpty();

        // the registry's database holds the link store: tokens and facts, never a value
        hub.awaitRecorded();
        assertThat(hub.app().linkStore().linkCount()).as("the link store holds the submissions' tokens").isPositive();
        Path registry = hub.app().settings().dataDirectory().resolve("registry").resolve("registry.mv.db");
        String registryRaw = new String(Files.readAllBytes(registry), StandardCharsets.ISO_8859_1);
        assertThat(registryRaw).as("the scan can see the registry's text").contains(id("C01"));
        assertThat(ConformanceContent.foundIn(registryRaw, needles)).as("content in the registry and link store file")
                .isEmpty();
        // nor the broker's journal, where the steps' records (with their link tokens) travel
        try (Stream<Path> files = Files.walk(hub.app().settings().broker().journalDirectory())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String journal = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(ConformanceContent.foundIn(journal, needles)).as("content in the journal file " + f)
                        .isEmpty();
            }
        }

        // the reports are made from the trail, so they carry none either
        String report = text(get("ig-lead", "api/v1/reports/flows"));
        assertThat(ConformanceContent.foundIn(report, needles)).as("content in the IG lead's report").isEmpty();
    }
}
