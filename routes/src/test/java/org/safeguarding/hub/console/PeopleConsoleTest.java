package org.safeguarding.hub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.api.AuditApi;
import org.safeguarding.hub.api.ReportsApi;
import org.safeguarding.hub.auditing.AuditRecorder.DeliveredPackage;
import org.safeguarding.hub.auditing.AuditRecorder.SubmissionFacts;
import org.safeguarding.hub.auditing.TrailFixture;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.http.Caller;
import org.safeguarding.hub.http.HubApi;
import org.safeguarding.hub.http.StreamedResponse;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.reports.ReportAudience;
import org.safeguarding.hub.reports.SmallNumbers;
import org.safeguarding.hub.sharing.Decision;
import org.safeguarding.hub.sharing.ReasonCode;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.spool.SealedBody;

/**
 * The console's pages over a real audit trail and the real audit and report operations: the board's charts show
 * exactly the figures the API gives the board (a small count only as suppressed, never as a bar or a number); the IG
 * lead's story names each recipient's decision; and whatever is typed into a search, thousands of hostile values,
 * comes back escaped, never as markup.
 */
class PeopleConsoleTest {
    static final ObjectMapper JSON = org.safeguarding.hub.testing.RealParts.JSON;
    static final String DIGEST = "b".repeat(64);
    final TrailFixture f = TrailFixture.at("2026-10-10T09:00:00Z");
    final AuditApi auditApi = new AuditApi(f.recorder, JSON,
            Set.of("lancs-police", "police-fib", "mash-bpl", "mash-bwd")::contains);
    final ReportsApi reports = new ReportsApi(f.recorder, JSON, f.clock, Duration.ofDays(2), Period.ofYears(7));
    final PeopleConsole console = new PeopleConsole(JSON, f.clock,
            () -> { throw new UnsupportedOperationException(); });
    final Caller ig = new Caller("ig-lead", null, "Jane Smith");
    final Caller board = new Caller("board", null, "Bob Board");

    /** The API's audit and report operations, as HubApiService gives them to the IG lead and the board. */
    final HubApi api = new HubApi() {
        @Override
        public ApiResponse submit(Caller caller, String contentType, SealedBody body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiResponse submissionStatus(Caller caller, String submissionId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiResponse inbox(Caller caller, Map<String, String> query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StreamedResponse fetchPackage(Caller caller, String packageId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiResponse acknowledge(Caller caller, String packageId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiResponse auditEvents(Caller caller, Map<String, String> query) {
            return auditApi.events(caller.actor(), query);
        }

        @Override
        public ApiResponse auditVerify(Caller caller) {
            return auditApi.verify(caller.actor());
        }

        @Override
        public StreamedResponse auditExport(Caller caller, Map<String, String> query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiResponse flowReport(Caller caller, Map<String, String> query) {
            return reports.flows(caller.actor(), query, caller == board ? ReportAudience.BOARD : ReportAudience.IG_LEAD);
        }
    };

    @AfterEach
    void close() {
        f.close();
    }

    private String route(int day, String recipient, Decision decision) {
        String submissionId = UUID.randomUUID().toString();
        String pkg = UUID.randomUUID().toString();
        f.clock.set("2026-10-" + day + "T09:00:00Z");
        boolean shared = decision == Decision.SHARED;
        f.recorder.append(f.recorder.routedRecords("lancs-police", submissionId, "r-" + pkg, DIGEST,
                new SubmissionFacts(List.of("CCE"), "BPL"), List.of(
                        new RecipientDecision(recipient, decision, "CS-CORE", 3,
                                shared ? null : ReasonCode.OUT_OF_AREA, shared ? Set.of("subjects[0].health") : Set.of())),
                shared ? List.of(new DeliveredPackage(recipient, pkg, "CS-CORE", 3, List.of("subjects[0].health"),
                        DIGEST, "intel." + recipient)) : List.of()));
        return submissionId;
    }

    private String html(Caller caller, Set<Role> roles, String page, Map<String, String> q) {
        ApiResponse r = console.page(api, caller, roles, page, q);
        assertThat(r.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(r.headers()).containsEntry("X-Frame-Options", "DENY");
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theBoardsChartsShowTheBoardsFiguresAndASmallCountOnlyAsSuppressed() throws Exception {
        for (int i = 0; i < 40; i++) {
            route(10 + i % 15, "police-fib", Decision.SHARED);
        }
        for (int i = 0; i < 2; i++) {
            route(12 + i, "mash-bpl", Decision.SHARED);
        }
        f.clock.set("2026-11-05T09:00:00Z");

        String page = html(board, Set.of(Role.BOARD), "flows", Map.of("period", "2026-10"));
        JsonNode given = JSON.readTree(reports.flows("board", Map.of("period", "2026-10"), ReportAudience.BOARD).body());

        Map<String, JsonNode> byRecipient = new HashMap<>();
        given.path("flows").forEach(n -> byRecipient.put(n.path("recipient").asText(), n.path("shared")));
        assertThat(byRecipient.get("police-fib").isNumber()).isTrue();
        assertThat(byRecipient.get("mash-bpl").asText()).isEqualTo(SmallNumbers.SUPPRESSED);
        String police = row(page, "police-fib");
        String mash = row(page, "mash-bpl");
        assertThat(police).contains("value=\"" + byRecipient.get("police-fib").asLong() + "\"")
                .contains("</meter> " + byRecipient.get("police-fib").asLong());
        assertThat(mash).contains("&lt;" + SmallNumbers.THRESHOLD + " (suppressed)").doesNotContain("<meter")
                .doesNotContainPattern(">\\s*2\\s*<");
        // every bar on the page is a figure the API gave the board, none under the threshold
        Matcher bars = Pattern.compile("<meter min=\"0\" max=\"\\d+\" value=\"(\\d+)\">").matcher(page);
        int n = 0;
        while (bars.find()) {
            n++;
            assertThat(Long.parseLong(bars.group(1))).isGreaterThanOrEqualTo(SmallNumbers.THRESHOLD)
                    .matches(v -> v % SmallNumbers.BASE == 0, "rounded as the board's figures are");
        }
        assertThat(n).isGreaterThanOrEqualTo(3); // area, category, month, and police-fib's flow
        assertThat(page).doesNotContain("lancs-police\u0020r-").doesNotContain(DIGEST);
    }

    private static String row(String page, String recipient) {
        Matcher m = Pattern.compile("<tr><th scope=\"row\">CS-CORE v3</th><td>lancs-police</td><td>" + recipient
                + "</td>.*?</tr>").matcher(page);
        assertThat(m.find()).as("a row for " + recipient).isTrue();
        return m.group();
    }

    @Test
    void aSubmissionsStoryNamesEachDecisionAndWhatWasWithheld() {
        String id = route(11, "police-fib", Decision.SHARED);
        route(12, "mash-bwd", Decision.NOT_SHARED);

        String page = html(ig, Set.of(Role.IG_LEAD), "submissions/" + id, Map.of());

        assertThat(page).contains("From lancs-police")
                .containsPattern("<tr><th scope=\"row\">police-fib</th><td>SHARED</td><td>CS-CORE v3</td><td></td>"
                        + "<td>The clause for this recipient under CS-CORE v3 covers [^<]*</td>"
                        + "<td>subjects\\[0\\]\\.health</td></tr>")
                .doesNotContain("mash-bwd"); // another submission's
        ApiResponse unknown = console.page(api, ig, Set.of(Role.IG_LEAD), "submissions/" + UUID.randomUUID(), Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        ApiResponse notForBoard = console.page(api, board, Set.of(Role.BOARD), "submissions/" + id, Map.of());
        assertThat(notForBoard.status()).isEqualTo(403);
        assertThat(new String(notForBoard.body(), StandardCharsets.UTF_8)).doesNotContain("police-fib");
    }

    @Test
    void whatNeedsAttentionListsQuarantinesDeadLettersAndAlertsOfTheLast30Days() {
        f.clock.set("2026-10-01T09:00:00Z");
        String old = UUID.randomUUID().toString();
        f.recorder.append(List.of(f.recorder.quarantinedRecord("lancs-police", old, "m-old", "UNROUTABLE", DIGEST)));
        f.clock.set("2026-11-20T09:00:00Z");
        String quarantined = UUID.randomUUID().toString();
        String deadLettered = UUID.randomUUID().toString();
        String pkg = UUID.randomUUID().toString();
        f.recorder.append(List.of(
                f.recorder.quarantinedRecord("lancs-police", quarantined, "m-1", "INVALID_CONTENT", DIGEST),
                f.recorder.deadLetteredRecord("nhs-lsc", deadLettered, pkg, "m-2", "MAX_DELIVERIES", DIGEST)));
        f.recorder.append(f.recorder.alertRecords("alert-7", "same-child-two-sectors", 1, "lancs-police", quarantined,
                List.of()));
        f.clock.set("2026-11-25T09:00:00Z");

        String page = html(ig, Set.of(Role.IG_LEAD), "attention", Map.of());

        assertThat(page).containsPattern("<td>quarantined</td><td>lancs-police</td><td><a href=\"/console/submissions/"
                        + quarantined + "\">[^<]*</a></td><td></td><td>INVALID_CONTENT</td>")
                .containsPattern("<td>dead-lettered package</td><td>nhs-lsc</td><td><a [^>]*>" + deadLettered
                        + "</a></td><td>" + pkg + "</td><td>MAX_DELIVERIES</td>")
                .contains("<a href=\"/console/alerts/alert-7\">alert-7</a></td><td>RAISED</td>")
                .as("older than 30 days").doesNotContain(old);
        assertThat(console.page(api, board, Set.of(Role.BOARD), "attention", Map.of()).status()).isEqualTo(403);
    }

    @Test
    void whatIsTypedIntoASearchComesBackEscaped() {
        route(11, "police-fib", Decision.SHARED);
        Random random = new Random(20261204);
        String alphabet = "<>\"'&/=;:() \t\nabcXYZ019-é\u2028\u0000`{}$";
        List<String> fields = List.of("submissionId", "participant", "type", "from", "to", "after");
        for (int i = 0; i < 3000; i++) {
            StringBuilder v = new StringBuilder("<");
            for (int k = random.nextInt(40); k > 0; k--) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            v.append(random.nextBoolean() ? "\"><script>x()</script>" : "' onfocus='x()");
            String field = fields.get(i % fields.size());
            ApiResponse r = console.page(api, ig, Set.of(Role.IG_LEAD), "audit", Map.of(field, v.toString()));
            String page = new String(r.body(), StandardCharsets.UTF_8);

            assertThat(r.status()).as(field).isIn(200, 400);
            assertThat(page).as(field + "=" + v).doesNotContain("<script").doesNotContain("' onfocus='")
                    .doesNotContain(v.toString());
        }
    }

    @Test
    void aRoleTheCallerLacksIsARefusalPageNeverTheData() {
        route(11, "police-fib", Decision.SHARED);
        for (String page : List.of("audit", "verify", "inbox", "submissions/" + UUID.randomUUID())) {
            ApiResponse r = console.page(api, board, Set.of(Role.BOARD), page, Map.of());
            assertThat(r.status()).as(page).isEqualTo(403);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("Not for you")
                    .doesNotContain("SUBMISSION_ACCEPTED");
        }
        assertThat(console.page(api, ig, Set.of(Role.IG_LEAD), "nothing-here", Map.of()).status()).isEqualTo(404);
    }
}
