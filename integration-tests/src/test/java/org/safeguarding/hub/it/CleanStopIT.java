package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * A hub process stopped as systemd stops it (SIGTERM) closes in order and exits 0, not 143; started again on the same
 * data, what it accepted before the stop is there and routed.
 */
class CleanStopIT {
    @TempDir
    Path root;
    ForkedHub hub;

    @AfterEach
    void close() throws Exception {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void sigtermIsACleanExitWithStatusZero() throws Exception {
        TestPki pki = TestPki.ec();
        hub = ForkedHub.configure(root, pki, false);
        hub.start();
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        String id = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        HttpResponse<byte[]> accepted = HubHttpClient.as(pki, "lancs-police", hub.baseUrl())
                .submit(OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"), pki.key("lancs-police"), pki.cert("hub"),
                        "-aes-256-gcm"));
        assertThat(accepted.statusCode()).isEqualTo(202);

        int status = hub.stop();

        String log = Files.readString(hub.log, StandardCharsets.UTF_8);
        assertThat(status).as(log).isZero();
        assertThat(log).contains("SIGTERM received: stopping").contains("hub stopped");

        hub.start();
        HubHttpClient partner = HubHttpClient.as(pki, "lancs-police", hub.baseUrl());
        Await.until("the submission accepted before the stop to be routed", Duration.ofSeconds(60),
                () -> HubHttpClient.json(partner.get("api/v1/submissions/" + id)).path("status").asText().equals("ROUTED"));
        assertThat(hub.stop()).isZero();
    }
}
