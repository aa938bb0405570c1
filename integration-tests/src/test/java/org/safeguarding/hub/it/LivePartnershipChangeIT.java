package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.live.PartnershipWatcher.Outcome;
import org.safeguarding.hub.partnership.PartnershipLoader;

/**
 * The partnership file of a running hub is edited: once the edit validates it decides the next
 * submission, without a restart; an invalid edit is refused and audited, and the configuration in
 * force stays. C01 (lancs-police, CCE, Blackpool, DISRUPTION, OFFICIAL_SENSITIVE) is the probe:
 * under the reference partnership education-bpl does not get it (PURPOSE_NOT_PERMITTED).
 */
class LivePartnershipChangeIT {
    static final String REFERENCE = PartnershipLoader.referencePartnershipYaml();
    static final String EDU_BPL_CLAUSE = """
                  - recipient: education-bpl
                    areas: SERVED
                    categories: [CSE, CCE, MISSING]
                    purposes: [SAFEGUARDING, PREVENTION]
                    ages: [ { from: 4, to: 18 } ]
                    classifications: [OFFICIAL]
            """;
    static final String MASH_BPL = """
              - id: mash-bpl
                organisation: Blackpool MASH
                sector: LOCAL_AUTHORITY
                roles: [RECIPIENT]
                serves: [BPL]
            """;

    static RunningHub hub;

    @BeforeAll
    static void start() {
        hub = RunningHub.start();
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    /** Submits C01 as lancs-police, waits until it is routed, and returns every recipient's DECISION event. */
    static Map<String, AuditEvent> submitC01() {
        TestPki pki = hub.pki();
        byte[] sealed = OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"),
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm");
        // The routing exchange itself, not one of its split sub-exchanges (one per package).
        NotifyBuilder routed = hub.routedNotifier(1);

        HttpResponse<byte[]> r = hub.client("lancs-police").submit(sealed);

        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        String submissionId = HubHttpClient.json(r).path("submissionId").asText();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).as("routed").isTrue();
        hub.awaitRecorded();
        // the routing step's commit has returned, but the broker may count its audit record a moment later: wait for
        // the record itself rather than for an empty queue
        org.safeguarding.hub.crypto.testing.Await.until("the routing step's decisions recorded",
                java.time.Duration.ofSeconds(60), () -> events(submissionId, AuditEventType.DECISION).size() == 10);
        Map<String, AuditEvent> decisions = new LinkedHashMap<>();
        for (AuditEvent e : events(submissionId, AuditEventType.DECISION)) {
            decisions.put(e.participant(), e);
        }
        assertThat(decisions).hasSize(10);
        return decisions;
    }

    static List<AuditEvent> events(String submissionId, AuditEventType type) {
        return hub.app().auditTrail().find(new AuditQuery(submissionId, null, type, null, null, null, 1000));
    }

    static String decision(Map<String, AuditEvent> decisions, String recipient) {
        AuditEvent e = decisions.get(recipient);
        return e.decision() + (e.reasonCode() == null ? "" : " " + e.reasonCode())
                + (e.agreementId() == null ? "" : " " + e.agreementId() + " v" + e.agreementVersion());
    }

    static String write(String yaml) throws Exception {
        Path file = hub.app().settings().partnershipFile();
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The hub's own timer may have got there first: either way the file is judged now. */
    static void lookNow(Outcome expected) {
        assertThat(hub.app().partnershipWatcher().checkNow()).isIn(expected, Outcome.UNCHANGED);
    }

    @Test
    void aValidEditDecidesTheNextSubmissionAndAnInvalidOneIsRefusedWhileTheEditStaysInForce() throws Exception {
        Map<String, AuditEvent> before = submitC01();
        assertThat(decision(before, "education-bpl")).isEqualTo("NOT_SHARED PURPOSE_NOT_PERMITTED CS-EDU v1");
        assertThat(decision(before, "mash-bpl")).isEqualTo("SHARED CS-CORE v3");

        // Open CS-EDU to every purpose and classification for education-bpl, and suspend mash-bpl.
        assertThat(REFERENCE).contains(EDU_BPL_CLAUSE, MASH_BPL);
        String edited = REFERENCE
                .replace(EDU_BPL_CLAUSE, EDU_BPL_CLAUSE.replace("purposes: [SAFEGUARDING, PREVENTION]", "purposes: ALL")
                        .replace("classifications: [OFFICIAL]", "classifications: ALL"))
                .replace(MASH_BPL, MASH_BPL + "    suspended: true\n");
        String digest = write(edited);
        lookNow(Outcome.APPLIED);

        assertThat(hub.app().partnershipWatcher().status().digestInForce()).isEqualTo(digest);
        assertThat(events(null, AuditEventType.CONFIG_CHANGED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("digest=" + digest));
        Map<String, AuditEvent> after = submitC01();
        assertThat(decision(after, "education-bpl")).isEqualTo("SHARED CS-EDU v1");
        assertThat(decision(after, "mash-bpl")).isEqualTo("NOT_SHARED RECIPIENT_SUSPENDED");
        assertThat(decision(after, "police-fib")).isEqualTo("SHARED CS-CORE v3");
        assertThat(after.get("education-bpl").withheldPaths()).as("the education profile")
                .contains("source", "subjects[0].health");
        hub.awaitPackages("education-bpl", 1);
        HttpResponse<byte[]> inbox = hub.client("education-bpl").get("api/v1/inbox");
        assertThat(inbox.statusCode()).isEqualTo(200);
        JsonNode list = HubHttpClient.json(inbox);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("submissionId").asText()).isEqualTo(after.get("education-bpl").submissionId());

        // An invalid edit: a clause for a recipient the partnership does not have.
        String broken = edited.replace("  - recipient: vcs-missing\n", "  - recipient: vcs-nowhere\n");
        assertThat(broken).isNotEqualTo(edited);
        String brokenDigest = write(broken);
        lookNow(Outcome.REFUSED);

        assertThat(hub.app().partnershipWatcher().status().digestInForce()).isEqualTo(digest);
        assertThat(events(null, AuditEventType.CONFIG_REJECTED)).singleElement().satisfies(e -> {
            assertThat(e.reasonCode()).isEqualTo("INVALID_CONFIGURATION");
            assertThat(e.detail()).isEqualTo("problems=1,digest=" + brokenDigest).doesNotContain("vcs-nowhere");
        });
        Map<String, AuditEvent> still = submitC01();
        assertThat(decision(still, "education-bpl")).isEqualTo("SHARED CS-EDU v1");
        assertThat(decision(still, "mash-bpl")).isEqualTo("NOT_SHARED RECIPIENT_SUSPENDED");
        assertThat(events(null, AuditEventType.CONFIG_CHANGED)).hasSize(1);
    }
}
