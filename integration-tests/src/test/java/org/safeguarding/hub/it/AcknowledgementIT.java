package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.crypto.testing.OpenSsl;

/** Acknowledging a package takes it out of the inbox, shows in the partner's status, and is audited. */
class AcknowledgementIT {
    static RunningHub hub;

    @BeforeAll
    static void start() {
        hub = RunningHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void anAcknowledgedPackageLeavesTheInbox() {
        var pki = hub.pki();
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        String submissionId = readId(json);
        NotifyBuilder routed = hub.routedNotifier(1);
        var r = hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"),
                pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();
        hub.awaitPackages("police-fib", 1);
        JsonNode inbox = HubHttpClient.json(hub.client("police-fib").get("api/v1/inbox"));
        String packageId = inbox.get(0).path("packageId").asText();

        assertThat(hub.client("mash-bpl").post("api/v1/inbox/" + packageId + "/ack").statusCode())
                .as("another recipient cannot acknowledge it").isEqualTo(404);
        assertThat(hub.client("police-fib").post("api/v1/inbox/" + packageId + "/ack").statusCode()).isEqualTo(204);

        assertThat(HubHttpClient.json(hub.client("police-fib").get("api/v1/inbox"))).isEmpty();
        assertThat(hub.client("police-fib").get("api/v1/inbox/" + packageId).statusCode()).isEqualTo(404);
        assertThat(hub.client("police-fib").post("api/v1/inbox/" + packageId + "/ack").statusCode()).isEqualTo(404);
        JsonNode status = HubHttpClient.json(hub.client("lancs-police").get("api/v1/submissions/" + submissionId));
        assertThat(status.path("recipients")).anySatisfy(n -> {
            assertThat(n.path("recipient").asText()).isEqualTo("police-fib");
            assertThat(n.path("state").asText()).isEqualTo("ACKNOWLEDGED");
        });
        assertThat(hub.app().auditTrail().find(new AuditQuery(null, "police-fib", AuditEventType.PACKAGE_ACKNOWLEDGED,
                null, null, null, 10))).singleElement().satisfies(e -> assertThat(e.packageId()).isEqualTo(packageId));
    }

    private static String readId(byte[] json) {
        try {
            return HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
