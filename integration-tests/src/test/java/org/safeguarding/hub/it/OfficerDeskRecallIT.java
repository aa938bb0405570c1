package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.desk.Desk;
import org.safeguarding.hub.desk.StoredPackage;

/**
 * A recall through the real hub: the desk of police-fib holds C01's package; Lancashire Constabulary withdraws C01;
 * the desk fetches the recall, destroys the package (its file too) and keeps the recall notice, acknowledged, and the
 * officer's page then shows the recall and nothing of the package.
 */
class OfficerDeskRecallIT {
    RunningHub hub;
    Desk desk;
    Path data;

    @AfterEach
    void stop() throws IOException {
        if (desk != null) {
            desk.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (data != null) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aWithdrawnSubmissionsPackageIsDestroyedOnTheDesk() throws Exception {
        hub = RunningHub.start();
        NotifyBuilder routed = hub.routedNotifier(1);
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        String submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        assertThat(hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(json, hub.pki().cert("lancs-police"),
                hub.pki().key("lancs-police"), hub.pki().cert("hub"), "-aes-256-gcm")).statusCode()).isEqualTo(202);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitPackages("police-fib", 1);
        data = Files.createTempDirectory("officer-desk-recall-");
        desk = Desk.start(new Desk.Settings(URI.create(hub.baseUrl()), data.resolve("police-fib"), 0,
                Duration.ofMillis(500), Duration.ofDays(90)), hub.pki().identity("police-fib"), hub.pki().caPem(),
                "police-fib", Clock.systemUTC());
        Await.until("the desk to keep C01's package", Duration.ofSeconds(60), () -> desk.store().size() == 1);
        String packageId = desk.store().all().get(0).packageId();
        Path file = data.resolve("police-fib").resolve("packages").resolve(packageId + ".pkg");
        assertThat(file).exists();

        byte[] withdrawal = ("{\"submissionId\":\"" + submissionId + "\",\"partnerId\":\"lancs-police\","
                + "\"reason\":\"WRONG_SUBJECT\",\"withdrawnAt\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(hub.client("lancs-police").postWithType("api/v1/submissions/" + submissionId + "/withdrawal",
                "application/pkcs7-mime", OpenSsl.signAndEncrypt(withdrawal, hub.pki().cert("lancs-police"),
                        hub.pki().key("lancs-police"), hub.pki().cert("hub"), "-aes-256-gcm")).statusCode())
                .isEqualTo(202);

        Await.until("the desk to take the recall and the inbox to be empty", Duration.ofSeconds(60),
                () -> desk.store().get(packageId).isEmpty()
                        && desk.store().all().stream().anyMatch(p -> p.kind().equals("recall"))
                        && HubHttpClient.json(hub.client("police-fib").get("api/v1/inbox")).isEmpty());
        StoredPackage recall = desk.store().all().get(0);
        assertThat(desk.store().all()).hasSize(1);
        assertThat(recall.json().path("recalls").toString()).contains(packageId);
        assertThat(file).as("the package's file is destroyed").doesNotExist();

        String list = Browser.renderedDom(desk.launchUrl());
        assertThat(list).contains("Recall: it was about the wrong person").contains("<h2>Packages (0)</h2>")
                .doesNotContain("Jamie Example").doesNotContain("Child criminal exploitation");
        String gone = Browser.renderedDom(desk.launchUrl().replace("/?token=", "/package/" + packageId + "?token="));
        assertThat(gone).contains("the desk holds no such package").doesNotContain("Jamie Example");
    }
}
