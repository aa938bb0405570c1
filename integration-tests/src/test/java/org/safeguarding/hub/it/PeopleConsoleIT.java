package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The people's console on the hub's mutual-TLS listener, in a real browser (headless Chromium) holding each person's
 * own certificate: an IG officer follows a routed submission's story and the chain's verification; a duty officer of
 * police-fib and one of mash-bpl each see their own inbox and never the other's, and download a package sealed to
 * their participant's key; a board member sees the flow report and no audit trail. A person's certificate reads and
 * never submits or acknowledges, and the audit trail names the person. Screenshots are kept in target/screenshots.
 */
class PeopleConsoleIT {
    @TempDir
    static Path pkiDir;
    static TestPki pki;
    static RunningHub hub;
    static String submissionId;
    static String policePackage;
    static String mashPackage;
    static Path igOfficer;
    static Path boardMember;
    static Path dutyOfficer;
    static Path mashOfficer;
    static Path partnerPerson;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.createIn(pkiDir, TestPki.PARTICIPANTS, KeyAlgorithm.EC_P256, Clock.systemUTC());
        igOfficer = pki.person("ig-lead", "Jane Smith");
        boardMember = pki.person("board", "Bob Board");
        dutyOfficer = pki.person("police-fib", "Dee Duty");
        mashOfficer = pki.person("mash-bpl", "Max Mash");
        partnerPerson = pki.person("lancs-police", "Pat Partner");
        hub = RunningHub.start(pki);
        NotifyBuilder routed = hub.routedNotifier(1);
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        HttpResponse<byte[]> accepted = hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(json,
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitPackages("police-fib", 1);
        hub.awaitPackages("mash-bpl", 1);
        policePackage = onlyPackage("police-fib");
        mashPackage = onlyPackage("mash-bpl");
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    private static String onlyPackage(String recipient) {
        JsonNode inbox = HubHttpClient.json(hub.client(recipient).get("api/v1/inbox"));
        assertThat(inbox).hasSize(1);
        return inbox.get(0).path("packageId").asText();
    }

    private static String url(String page) {
        return "https://127.0.0.1:" + hub.app().httpsPort() + "/console" + page;
    }

    private static Browser browser(Path p12) {
        return Browser.as(p12, TestPki.PASSWORD, pki.caPem());
    }

    private static HubHttpClient person(Path p12) {
        return HubHttpClient.with(p12, pki.caPem(), hub.baseUrl());
    }

    @Test
    void anIgOfficerFollowsASubmissionsStoryInTheBrowser() {
        Browser browser = browser(igOfficer);

        String start = browser.dom(url(""));
        assertThat(start).contains("Signed in as <strong>Jane Smith</strong> for ig-lead")
                .contains("href=\"/console/audit\"").contains("href=\"/console/flows\"")
                .doesNotContain("href=\"/console/inbox\"");

        String audit = browser.dom(url("/audit?submissionId=" + submissionId));
        assertThat(audit).contains("href=\"/console/submissions/" + submissionId + "\"")
                .contains("SUBMISSION_ACCEPTED").contains("PACKAGE_DELIVERED");

        String story = browser.dom(url("/submissions/" + submissionId));
        assertThat(story).contains("<h1>Submission " + submissionId + "</h1>")
                .containsPattern("<th scope=\"row\">police-fib</th><td>SHARED</td><td>CS-CORE v3</td>")
                .containsPattern("<th scope=\"row\">mash-bwd</th><td>NOT_SHARED</td><td>CS-CORE v3</td>"
                        + "<td>OUT_OF_AREA</td><td>The clause under CS-CORE v3 does not cover the submission's area.")
                .contains("subjects[0].health")
                .contains(policePackage).contains(mashPackage);
        assertThat(story).as("metadata only").doesNotContain("<script").doesNotContain("Jamie Example")
                .doesNotContain("PN19 XYZ").doesNotContain("FY1 4AB");
        browser.screenshotOf(url("/submissions/" + submissionId), Path.of("target", "screenshots",
                "console-submission-story.png"), 1280, 1800);

        assertThat(browser.dom(url("/verify"))).contains("<span class=\"state up\">VERIFIED</span>");

        String agreements = browser.dom(url("/agreements"));
        assertThat(agreements).containsPattern("<th scope=\"row\">CS-CORE v3</th><td>[^<]*</td><td>ACTIVE</td>"
                        + "<td>[^<]*</td><td>in force</td><td>[^<]*police-fib")
                .containsPattern("<tr class=\"warning\"><th scope=\"row\">CS-2023 v4</th>");
        String attention = browser.dom(url("/attention"));
        assertThat(attention).contains("Quarantined and dead-lettered").contains("Alerts raised")
                .doesNotContain(submissionId); // C01 was routed: nothing of it needs attention
        assertThat(audit).contains("href=\"/api/v1/audit/export?format=csv&amp;submissionId=" + submissionId + "\"");
    }

    @Test
    void anIgOfficerTracesAChildWithoutTheIdentifiersEverInAnAddress() throws Exception {
        try (DrivenBrowser browser = browser(igOfficer).drive()) {
            browser.open(url("/subjects"));
            assertThat(browser.source()).contains("autocomplete=\"off\"").contains("method=\"post\"");
            browser.type("#nhsNumber", "999 000 0018");
            browser.type("#caseReference", "SAR-0042");
            browser.click("#reason option[value='SUBJECT_ACCESS_REQUEST']");
            browser.click("form button[type='submit']");

            // the form's page is gone and the answer's is whole
            String traced = browser.sourceOnce("the trace's page", page -> page.contains("</main>")
                    && !page.contains("name=\"csrf\""));
            assertThat(traced).contains("Subject trace: ").contains("href=\"/console/submissions/" + submissionId + "\"")
                    .containsPattern("<th scope=\"row\">police-fib</th><td>SHARED</td><td>CS-CORE v3</td>");
            assertThat(browser.url()).isEqualTo(url("/subjects"));
            assertThat(traced).as("the identifier is never shown back").doesNotContain("9990000018")
                    .doesNotContain("999 000 0018");
            browser.screenshot(Path.of("target", "screenshots", "console-subject-trace.png"));
        }
        hub.awaitRecorded();
        JsonNode traced = HubHttpClient.json(hub.client("ig-lead").get("api/v1/audit/events?type=SUBJECT_TRACED"));
        assertThat(traced.path("events").findValuesAsText("actor")).contains("ig-lead/jane-smith:"
                + certificateOf(igOfficer).getSerialNumber().toString(16));
        assertThat(traced.toString()).contains("SAR-0042").doesNotContain("9990000018");
    }

    @Test
    void anIgOfficerPutsADraftToThePastDecisions() throws Exception {
        hub.awaitRecorded();
        // the draft: police-fib's CS-CORE clause narrowed to CSE, so it would lose C01 (CCE)
        String reference = org.safeguarding.hub.partnership.PartnershipLoader.referencePartnershipYaml();
        String draft = reference.replaceFirst("(- recipient: police-fib\n\\s+areas: ANY\n\\s+)categories: ALL",
                "$1categories: [CSE]");
        assertThat(draft).isNotEqualTo(reference);

        JsonNode api = HubHttpClient.json(hub.client("ig-lead").postWithType("api/v1/audit/what-if?weeks=4",
                "application/yaml", draft.getBytes(StandardCharsets.UTF_8)));
        assertThat(api.path("submissions").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode police = null;
        for (JsonNode r : api.path("recipients")) {
            if (r.path("recipient").asText().equals("police-fib")) {
                police = r;
            }
        }
        assertThat(police).isNotNull();
        assertThat(police.path("losses").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(hub.client("board").postWithType("api/v1/audit/what-if", "application/yaml",
                draft.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);

        try (DrivenBrowser browser = browser(igOfficer).drive()) {
            browser.open(url("/whatif"));
            browser.paste("#draft", draft);
            browser.click("form button[type='submit']");
            String page = browser.sourceOnce("the what-if's answer", p -> p.contains("</main>")
                    && (p.contains(" put to the draft") || p.contains("Not evaluated") || p.contains("Not for you")));
            assertThat(page).contains(" put to the draft")
                    .containsPattern("<th scope=\"row\">police-fib</th><td>\\d+</td><td>[1-9]\\d*</td>");
            assertThat(browser.url()).isEqualTo(url("/whatif"));
            browser.screenshot(Path.of("target", "screenshots", "console-what-if.png"));
        }
    }

    @Test
    void anotherSitesFormIsRefusedThoughTheBrowserHoldsTheCertificate() {
        HubHttpClient jane = person(igOfficer);
        String body = "nhsNumber=9990000018&caseReference=SAR-0043&reason=IG_REVIEW";
        String form = "application/x-www-form-urlencoded";
        // a page elsewhere posting to the hub: its Origin says so (and it cannot know the form's token)
        HttpResponse<byte[]> crossSite = jane.postWith("console/subjects", form, body.getBytes(StandardCharsets.UTF_8),
                java.util.Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"));
        assertThat(crossSite.statusCode()).isEqualTo(403);
        // the hub's own origin, but no token: still refused
        HttpResponse<byte[]> noToken = jane.postWith("console/subjects", form, body.getBytes(StandardCharsets.UTF_8),
                java.util.Map.of("Origin", "https://localhost:" + hub.app().httpsPort(), "Sec-Fetch-Site", "same-origin"));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(new String(noToken.body(), StandardCharsets.UTF_8)).doesNotContain(submissionId);
    }

    @Test
    void theHubSaysWhereThePeoplesConsoleIs() {
        assertThat(hub.app().listeners()).anySatisfy(line -> assertThat(line).startsWith("HTTPS API")
                .contains("the people's console at https://localhost:" + hub.app().httpsPort() + "/console"));
    }

    @Test
    void theAuditTrailNamesThePersonAsWellAsTheParticipant() throws Exception {
        X509Certificate cert = certificateOf(igOfficer);
        HttpResponse<byte[]> page = person(igOfficer).get("console/verify");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'").contains("form-action 'self'"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");

        hub.awaitRecorded();
        List<String> actors = new ArrayList<>();
        HubHttpClient.json(hub.client("ig-lead").get("api/v1/audit/events?type=AUDIT_QUERIED&limit=1000"))
                .path("events").forEach(e -> actors.add(e.path("actor").asText()));
        assertThat(actors).contains("ig-lead/jane-smith:" + cert.getSerialNumber().toString(16));
    }

    @Test
    void eachOfficerSeesTheirOwnInboxOnlyAndDownloadsItSealed() throws Exception {
        String police = browser(dutyOfficer).dom(url("/inbox"));
        String mash = browser(mashOfficer).dom(url("/inbox"));

        assertThat(police).contains("Inbox of police-fib").contains(policePackage).doesNotContain(mashPackage)
                .contains("href=\"/api/v1/inbox/" + policePackage + "\"")
                .containsPattern("<td>CCE</td><td>BPL</td><td>package</td>");
        assertThat(mash).contains("Inbox of mash-bpl").contains(mashPackage).doesNotContain(policePackage);
        browser(dutyOfficer).screenshotOf(url("/inbox"), Path.of("target", "screenshots", "console-inbox.png"),
                1280, 700);

        // the download is the package sealed to police-fib's own key: the hub opened nothing for the officer
        HttpResponse<byte[]> download = person(dutyOfficer).get("api/v1/inbox/" + policePackage);
        assertThat(download.statusCode()).isEqualTo(200);
        byte[] opened = OpenSsl.decryptAndVerify(download.body(), pki.cert("police-fib"), pki.key("police-fib"),
                pki.caPem());
        assertThat(HubHttpClient.JSON.readTree(opened).path("submissionId").asText()).isEqualTo(submissionId);
        assertThat(person(dutyOfficer).get("api/v1/inbox/" + mashPackage).statusCode()).isEqualTo(404);

        // a person reads; the acknowledgement is the recipient system's, after it has stored the package
        assertThat(person(dutyOfficer).post("api/v1/inbox/" + policePackage + "/ack").statusCode()).isEqualTo(403);
        assertThat(HubHttpClient.json(hub.client("police-fib").get("api/v1/inbox")).toString()).contains(policePackage);

        hub.awaitRecorded();
        String fetchedBy = "police-fib/dee-duty:" + certificateOf(dutyOfficer).getSerialNumber().toString(16);
        JsonNode fetched = HubHttpClient.json(hub.client("ig-lead").get("api/v1/audit/events?type=PACKAGE_FETCHED"));
        assertThat(fetched.path("events").findValuesAsText("actor")).contains(fetchedBy);
    }

    @Test
    void aBoardMemberSeesTheFlowReportAndNoAuditTrail() {
        Browser browser = browser(boardMember);

        String flows = browser.dom(url("/flows"));
        assertThat(flows).contains("Signed in as <strong>Bob Board</strong> for board").contains("<h1>Flow report for ")
                .contains("By area").contains("By agreement and recipient").contains("Timeliness")
                .doesNotContain(submissionId).doesNotContain("<script");
        browser.screenshotOf(url("/flows"), Path.of("target", "screenshots", "console-flows.png"), 1280, 1600);

        String audit = browser.dom(url("/audit"));
        assertThat(audit).contains("Not for you").contains("IG_LEAD").doesNotContain("SUBMISSION_ACCEPTED");
        assertThat(person(boardMember).get("console/audit").statusCode()).isEqualTo(403);
        assertThat(person(boardMember).get("api/v1/audit/events").statusCode()).isEqualTo(403);
    }

    @Test
    void aPersonsCertificateNeverSubmits() throws Exception {
        byte[] json = Submissions.current("C02-health-cse-blackburn.json",
                n -> n.put("partnerId", "lancs-police"));
        String id = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        HttpResponse<byte[]> refused = person(partnerPerson).submit(OpenSsl.signAndEncrypt(json,
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("person");
        assertThat(hub.client("lancs-police").get("api/v1/submissions/" + id).statusCode()).isEqualTo(404);
        assertThat(browser(partnerPerson).dom(url(""))).contains("Signed in as <strong>Pat Partner</strong>")
                .contains("no page for lancs-police");
    }

    @Test
    void aCertificateNamingAPersonThatIsNotForClientAuthenticationOnlyIsRefused() throws Exception {
        // an OU and a CN, as a person's, but issued for signing and encryption too: the CA's mistake, never accepted
        Path dir = Files.createTempDirectory(pkiDir, "misissued");
        OpenSsl.Issued issued = OpenSsl.issue(pki.caPem(), pki.caKey(), "Eve Mallory/OU=ig-lead",
                List.of("ec", "-pkeyopt", "ec_paramgen_curve:P-256"), dir, "eve");
        Path p12 = dir.resolve("eve.p12");
        OpenSsl.run(List.of("pkcs12", "-export", "-in", issued.cert().toString(), "-inkey", issued.key().toString(),
                "-certfile", pki.caPem().toString(), "-out", p12.toString(), "-passout", "pass:" + TestPki.PASSWORD),
                null);

        HttpResponse<byte[]> r = person(p12).get("console/audit");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("TLS client authentication only");
    }

    private static X509Certificate certificateOf(Path p12) throws Exception {
        return Pem.readCertificate(p12.resolveSibling(p12.getFileName().toString().replace(".p12", ".pem")));
    }
}
