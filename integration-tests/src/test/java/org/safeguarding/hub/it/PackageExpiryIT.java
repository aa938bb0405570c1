package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.expiry.PackageExpiry;

/**
 * A package nobody collects within the configured expiry leaves the inbox; the submitting partner sees EXPIRED,
 * the IG lead sees the PACKAGE_EXPIRED events and the flow report stops listing it as unacknowledged. The hub
 * runs on the system clock, so the test runs the expiry as of an explicit instant past the limit: no waiting.
 */
class PackageExpiryIT {
    static final Duration LIMIT = Duration.ofDays(2);
    static RunningHub hub;

    @BeforeAll
    static void start() {
        hub = RunningHub.start(TestPki.ec(), "packageExpiry: P2D\npackageExpiryScanInterval: PT1H\n");
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void unacknowledgedPackagesExpireAndThePartnerAndTheIgLeadSeeIt() {
        assertThat(hub.app().settings().packageExpiry()).isEqualTo(LIMIT);
        TestPki pki = hub.pki();
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        NotifyBuilder routed = hub.routedNotifier(1);
        HttpResponse<byte[]> r = hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(json,
                pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm"));
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(202);
        String submissionId = HubHttpClient.json(r).path("submissionId").asText();
        assertThat(routed.matches(60, TimeUnit.SECONDS)).as("routed").isTrue();
        hub.awaitRecorded();
        hub.awaitPackages("police-fib", 1);
        hub.awaitPackages("mash-bpl", 1);
        String policePackage = onlyPackage("police-fib");
        String mashPackage = onlyPackage("mash-bpl");
        assertThat(unacknowledged(submissionId)).as("before expiry both are unacknowledged")
                .containsExactlyInAnyOrder(policePackage, mashPackage);

        PackageExpiry expiry = hub.app().packageExpiry();
        assertThat(expiry.runOnce().expired()).as("not yet: delivered moments ago").isZero();
        assertThat(onlyPackage("police-fib")).isEqualTo(policePackage);

        PackageExpiry.Run run = expiry.runOnce(Instant.now().plus(LIMIT).plusSeconds(1));
        hub.awaitRecorded(); // the expiry's records, committed with its consumes, written by the audit feed

        assertThat(run.expired()).isEqualTo(2);
        JsonNode status = HubHttpClient.json(hub.client("lancs-police").get("api/v1/submissions/" + submissionId));
        assertThat(status.path("status").asText()).isEqualTo("ROUTED");
        List<String> states = new ArrayList<>();
        status.path("recipients").forEach(n -> states.add(n.path("recipient").asText() + "=" + n.path("state").asText()));
        assertThat(states).containsExactlyInAnyOrder("mash-bpl=EXPIRED", "police-fib=EXPIRED");
        for (String recipient : List.of("police-fib", "mash-bpl")) {
            assertThat(HubHttpClient.json(hub.client(recipient).get("api/v1/inbox"))).as(recipient).isEmpty();
        }
        assertThat(hub.client("police-fib").get("api/v1/inbox/" + policePackage).statusCode()).isEqualTo(404);
        assertThat(hub.client("police-fib").post("api/v1/inbox/" + policePackage + "/ack").statusCode())
                .as("an expired package can no longer be acknowledged").isEqualTo(404);

        JsonNode events = ok("api/v1/audit/events?type=PACKAGE_EXPIRED&submissionId=" + submissionId).path("events");
        List<String> expired = new ArrayList<>();
        events.forEach(e -> {
            assertThat(e.path("actor").asText()).isEqualTo("hub");
            expired.add(e.path("participant").asText() + "=" + e.path("packageId").asText());
        });
        assertThat(expired).containsExactlyInAnyOrder("police-fib=" + policePackage, "mash-bpl=" + mashPackage);
        assertThat(unacknowledged(submissionId)).as("expired packages are not unacknowledged").isEmpty();
        List<String> reportedExpired = new ArrayList<>();
        ok("api/v1/reports/flows").path("expired").path("packages").forEach(p -> {
            if (p.path("submissionId").asText().equals(submissionId)) {
                reportedExpired.add(p.path("recipient").asText() + "=" + p.path("packageId").asText());
            }
        });
        assertThat(reportedExpired).as("the IG report lists what expired")
                .containsExactlyInAnyOrder("police-fib=" + policePackage, "mash-bpl=" + mashPackage);

        assertThat(expiry.runOnce(Instant.now().plus(LIMIT).plusSeconds(1)).expired()).isZero();
        hub.awaitRecorded();
        assertThat(ok("api/v1/audit/events?type=PACKAGE_EXPIRED&submissionId=" + submissionId).path("events"))
                .hasSize(2);
    }

    static String onlyPackage(String recipient) {
        JsonNode list = HubHttpClient.json(hub.client(recipient).get("api/v1/inbox"));
        assertThat(list).hasSize(1);
        return list.get(0).path("packageId").asText();
    }

    /** The package ids of one submission the IG lead's flow report lists as unacknowledged (any age). */
    static List<String> unacknowledged(String submissionId) {
        JsonNode report = ok("api/v1/reports/flows?unacknowledgedAfter=PT0S");
        List<String> ids = new ArrayList<>();
        report.path("unacknowledged").path("packages").forEach(p -> {
            if (p.path("submissionId").asText().equals(submissionId)) {
                ids.add(p.path("packageId").asText());
            }
        });
        return ids;
    }

    static JsonNode ok(String path) {
        HttpResponse<byte[]> r = hub.client("ig-lead").get(path);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return HubHttpClient.json(r);
    }
}
