package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The whole flow, end to end, on real parts: C01 sealed by the openssl command line as
 * lancs-police, submitted over mutual TLS, routed through the embedded broker, read from the
 * police-fib and mash-bpl inboxes, and opened again with openssl.
 */
class SubmissionToInboxIT {
    static RunningHub hub;
    static String submissionId;
    static String policePackage;
    static String mashPackage;

    @BeforeAll
    static void submitC01() {
        hub = RunningHub.start();
        TestPki pki = hub.pki();
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm");
        NotifyBuilder routed = hub.routedNotifier(1);

        HttpResponse<byte[]> r = hub.client("lancs-police").submit(sealed);

        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(202);
        JsonNode receipt = HubHttpClient.json(r);
        assertThat(receipt.path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.path("receiptId").asText()).isNotBlank();
        submissionId = receipt.path("submissionId").asText();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).as("routed").isTrue();
        hub.awaitRecorded();
        policePackage = onlyPackage("police-fib");
        mashPackage = onlyPackage("mash-bpl");
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    static String onlyPackage(String recipient) {
        hub.awaitPackages(recipient, 1);
        HttpResponse<byte[]> r = hub.client(recipient).get("api/v1/inbox");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = HubHttpClient.json(r);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("submissionId").asText()).isEqualTo(submissionId);
        assertThat(list.get(0).path("categories").toString()).contains("CCE");
        return list.get(0).path("packageId").asText();
    }

    static JsonNode openWithOpenSsl(String recipient, String packageId) throws Exception {
        HttpResponse<byte[]> r = hub.client(recipient).get("api/v1/inbox/" + packageId);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/pkcs7-mime");
        assertThat(r.headers().firstValue("Content-Length")).as("sent with its length").hasValue(
                Integer.toString(r.body().length));
        TestPki pki = hub.pki();
        byte[] json = OpenSsl.decryptAndVerify(r.body(), pki.cert(recipient), pki.key(recipient), pki.caPem());
        return HubHttpClient.JSON.readTree(json);
    }

    @Test
    void policeSeesTheSourceAndNoHealth() throws Exception {
        JsonNode pkg = openWithOpenSsl("police-fib", policePackage);

        assertThat(pkg.path("recipient").asText()).isEqualTo("police-fib");
        assertThat(pkg.path("packageId").asText()).isEqualTo(policePackage);
        assertThat(pkg.path("agreement").path("id").asText()).isEqualTo("CS-CORE");
        assertThat(pkg.path("agreement").path("version").asInt()).isEqualTo(3);
        assertThat(pkg.path("source").path("partnerId").asText()).isEqualTo("lancs-police");
        JsonNode s = pkg.path("submission");
        assertThat(s.path("source").path("sourceDetails").asText()).isNotBlank();
        assertThat(s.has("grading")).isTrue();
        for (JsonNode subject : s.path("subjects")) {
            assertThat(subject.has("health")).isFalse();
        }
        assertThat(pkg.path("redactions")).extracting(JsonNode::asText).containsExactly("subjects[0].health");
    }

    @Test
    void mashSeesGradingButNoSourceAndEveryIdentityAndHealth() throws Exception {
        JsonNode pkg = openWithOpenSsl("mash-bpl", mashPackage);

        JsonNode s = pkg.path("submission");
        assertThat(s.has("grading")).isTrue();
        assertThat(s.has("source")).isFalse();
        assertThat(s.path("subjects")).hasSize(2);
        assertThat(s.path("subjects").get(0).has("identity")).isTrue();
        assertThat(s.path("subjects").get(0).has("health")).isTrue();
        assertThat(s.path("subjects").get(1).has("identity")).isTrue();
        assertThat(pkg.path("redactions")).extracting(JsonNode::asText).containsExactly("source");
    }

    @Test
    void nobodyElseReceivedAPackage() {
        for (String other : new String[] {"mash-bwd", "mash-lancs", "health-safeguarding", "education-bpl",
                "vcs-missing", "placing-manchester", "youth-justice"}) {
            assertThat(HubHttpClient.json(hub.client(other).get("api/v1/inbox"))).as(other).isEmpty();
        }
    }

    @Test
    void aRecipientCannotReadAnothersPackageAndTheAttemptIsAudited() {
        HttpResponse<byte[]> r = hub.client("mash-bpl").get("api/v1/inbox/" + policePackage);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(HubHttpClient.json(r).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(events(AuditEventType.PACKAGE_ACCESS_DENIED)).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("mash-bpl");
            assertThat(e.packageId()).isEqualTo(policePackage);
        });
    }

    @Test
    void aHandshakeWithAForeignCertificateIsRefusedAndAuditedByPeerAndFingerprint(@org.junit.jupiter.api.io.TempDir
                                                                                   java.nio.file.Path dir) throws Exception {
        TestPki foreign = TestPki.createIn(dir, java.util.List.of("lancs-police"),
                org.safeguarding.hub.crypto.KeyAlgorithm.EC_P256, java.time.Clock.systemUTC());
        HubHttpClient stranger = HubHttpClient.with(foreign.p12("lancs-police"), hub.pki().caPem(), hub.baseUrl());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stranger.get("api/v1/inbox"))
                .as("no TLS connection for a certificate of another CA").isInstanceOf(RuntimeException.class);

        String fingerprint = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(org.safeguarding.hub.crypto.Pem.readCertificate(foreign.cert("lancs-police")).getEncoded()));
        AuditEvent refused = org.safeguarding.hub.crypto.testing.Await.value("the refused handshake to be audited",
                java.time.Duration.ofSeconds(20),
                () -> hub.app().auditTrail().find(new AuditQuery(null, null, AuditEventType.ACCESS_REFUSED, null, null,
                        null, 1000)).stream().filter(e -> e.detail() != null && e.detail().contains(fingerprint))
                        .findFirst().orElse(null),
                java.util.Objects::nonNull);
        assertThat(refused.actor()).isEqualTo("unknown");
        assertThat(refused.detail()).as("as the trail keeps details: words joined").isEqualTo(
                "https:-TLS-handshake:-client-certificate-not-trusted;peer=127.0.0.1;cert="
                + fingerprint);
    }

    @Test
    void aPartnerCannotReadAnInbox() {
        HttpResponse<byte[]> r = hub.client("lancs-police").get("api/v1/inbox");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(HubHttpClient.json(r).path("code").asText()).isEqualTo("FORBIDDEN");
    }

    @Test
    void theSubmittingPartnerSeesWhereItWent() {
        HttpResponse<byte[]> r = hub.client("lancs-police").get("api/v1/submissions/" + submissionId);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode status = HubHttpClient.json(r);
        assertThat(status.path("status").asText()).isEqualTo("ROUTED");
        assertThat(status.path("recipients").findValuesAsText("recipient"))
                .containsExactlyInAnyOrder("police-fib", "mash-bpl");
        HttpResponse<byte[]> another = hub.client("nhs-lsc").get("api/v1/submissions/" + submissionId);
        assertThat(another.statusCode()).isEqualTo(404);
        assertThat(HubHttpClient.json(another).toString()).doesNotContain("lancs-police");
        assertThat(hub.app().auditTrail().find(new AuditQuery(submissionId, null, AuditEventType.ACCESS_REFUSED, null,
                null, null, 10))).as("another partner's status asked for: audited, naming both").anySatisfy(e -> {
                    assertThat(e.actor()).isEqualTo("nhs-lsc");
                    assertThat(e.participant()).isEqualTo("lancs-police");
                    assertThat(e.detail()).isEqualTo("not-own-submission");
                });
    }

    @Test
    void theTrailRecordsEveryStepWithoutContent() {
        assertThat(events(AuditEventType.SUBMISSION_ACCEPTED)).hasSize(1);
        assertThat(events(AuditEventType.DECISION)).hasSize(10);
        assertThat(events(AuditEventType.PACKAGE_DELIVERED)).extracting(AuditEvent::participant)
                .containsExactlyInAnyOrder("police-fib", "mash-bpl");
        assertThat(events(AuditEventType.PACKAGE_DELIVERED)).allSatisfy(e ->
                assertThat(e.packageDigest()).hasSize(64));
        String all = hub.app().auditTrail().find(new AuditQuery(null, null, null, null, null, null, 1000)).toString();
        for (String secret : new String[] {"Jamie Example", "9990000018", "2011-03-02", "FY1 4AB", "07700 900123",
                "S-117", "Snapchat", "Takeaway"}) {
            assertThat(all).doesNotContain(secret);
        }
    }

    static java.util.List<AuditEvent> events(AuditEventType type) {
        return hub.app().auditTrail().find(new AuditQuery(submissionIdOrNull(type), null, type, null, null, null, 1000));
    }

    private static String submissionIdOrNull(AuditEventType type) {
        return type == AuditEventType.PACKAGE_ACCESS_DENIED ? null : submissionId;
    }
}
