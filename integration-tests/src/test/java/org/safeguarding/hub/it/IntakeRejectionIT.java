package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * What a partner gets for a bad submission: the handshake refused without a certificate, and
 * otherwise a problem document with the scenario's status and code; nothing queued; audited.
 */
class IntakeRejectionIT {
    static RunningHub hub;
    static TestPki pki;

    @BeforeAll
    static void start() {
        hub = RunningHub.start();
        pki = hub.pki();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static byte[] sealedC01As(String signer) {
        return OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"), pki.cert(signer),
                pki.key(signer), pki.cert("hub"), "-aes-256-gcm");
    }

    static JsonNode problem(HttpResponse<byte[]> r, int status, String code) {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = HubHttpClient.json(r);
        assertThat(p.path("code").asText()).isEqualTo(code);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).isNotBlank();
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("detail").asText()).isNotBlank();
        return p;
    }

    @Test
    void aClientWithoutACertificateFailsTheHandshake() {
        HubHttpClient anonymous = HubHttpClient.as(pki, null, hub.baseUrl());

        assertThatThrownBy(() -> anonymous.submit(sealedC01As("lancs-police")))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(hub.app().broker().messageCount(QueueNames.INTAKE)).isZero();
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshake() {
        TestPki foreign = TestPki.foreign();
        HubHttpClient stranger = HubHttpClient.with(foreign.p12("lancs-police"), pki.caPem(), hub.baseUrl());

        assertThatThrownBy(() -> stranger.get("api/v1/inbox")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void theWrongPartnersConnectionIsAnIdentityMismatch() {
        // R01/R02: signed by lancs-police, sent over TLS as nhs-lsc
        HttpResponse<byte[]> r = hub.client("nhs-lsc").submit(sealedC01As("lancs-police"));

        problem(r, 403, "IDENTITY_MISMATCH");
        assertThat(hub.app().auditTrail().find(new AuditQuery(null, "nhs-lsc", AuditEventType.SUBMISSION_REJECTED,
                null, null, null, 10))).anySatisfy(e -> assertThat(e.reasonCode()).isEqualTo("IDENTITY_MISMATCH"));
    }

    @Test
    void aPartnerIdThatIsNotTheSignerIsAnIdentityMismatch() {
        byte[] json = Submissions.current("C01-police-cce-blackpool.json", n -> n.put("partnerId", "nhs-lsc"));
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm");

        problem(hub.client("lancs-police").submit(sealed), 403, "IDENTITY_MISMATCH");
    }

    @Test
    void garbageIsUndecryptable() {
        problem(hub.client("lancs-police").submit("not a CMS message".getBytes(StandardCharsets.UTF_8)), 400,
                "UNDECRYPTABLE");
    }

    @Test
    void anEnvelopeForSomeoneElseIsUndecryptable() {
        byte[] sealed = OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"),
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("police-fib"), "-aes-256-gcm");

        problem(hub.client("lancs-police").submit(sealed), 400, "UNDECRYPTABLE");
    }

    @Test
    void plainJsonInsideTheEnvelopeIsABadSignature() {
        byte[] sealed = OpenSsl.encrypt(Submissions.current("C01-police-cce-blackpool.json"), pki.cert("hub"),
                "-aes-256-gcm", List.of());

        problem(hub.client("lancs-police").submit(sealed), 400, "BAD_SIGNATURE");
    }

    @Test
    void malformedJsonIsAnInvalidSubmission() {
        byte[] sealed = OpenSsl.signAndEncrypt("{\"partnerId\": \"lancs-police\", ".getBytes(StandardCharsets.UTF_8),
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm");

        JsonNode p = problem(hub.client("lancs-police").submit(sealed), 422, "INVALID_SUBMISSION");
        assertThat(p.path("errors").isArray()).isTrue();
    }

    @Test
    void theWrongMediaTypeIsRefused() {
        var r = hub.client("lancs-police");
        HttpResponse<byte[]> resp = r.postWithType("api/v1/submissions", "application/json", "{}".getBytes());
        problem(resp, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void theSameSubmissionTwiceGetsTheFirstReceiptAndChangedContentConflicts() throws Exception {
        // R07
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        byte[] sealed = OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm");
        HubHttpClient police = hub.client("lancs-police");

        HttpResponse<byte[]> first = police.submit(sealed);
        HttpResponse<byte[]> again = police.submit(OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"),
                pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
        var changed = HubHttpClient.JSON.readTree(json);
        ((com.fasterxml.jackson.databind.node.ObjectNode) changed).put("narrative", "A different account.");
        HttpResponse<byte[]> conflict = police.submit(OpenSsl.signAndEncrypt(
                HubHttpClient.JSON.writeValueAsBytes(changed), pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(HubHttpClient.json(again)).isEqualTo(HubHttpClient.json(first));
        problem(conflict, 409, "DUPLICATE_CONFLICT");
    }
}
