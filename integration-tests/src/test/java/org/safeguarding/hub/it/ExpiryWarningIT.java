package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.partnership.PartnershipLoader;

/**
 * An agreement ending in ten days, seen as a running hub shows it: health WARNING (still 200, no names), metrics
 * counting it (no names), the IG lead's flow report naming it, the board's report saying nothing of it.
 */
class ExpiryWarningIT {
    static RunningHub hub;
    static LocalDate lastDay;

    @BeforeAll
    static void start() throws Exception {
        lastDay = LocalDate.now(ZoneOffset.UTC).plusDays(9);
        String yaml = PartnershipLoader.referencePartnershipYaml();
        String soon = yaml.replace("validTo: 2027-05-31", "validTo: " + lastDay);
        assertThat(soon).as("the reference partnership's CS-PLACED end").isNotEqualTo(yaml);
        Path partnership = Files.writeString(Files.createTempDirectory("expiry-it").resolve("partnership.yaml"), soon);
        hub = RunningHub.start(TestPki.ec(), "partnershipFile: " + partnership + "\nexpiryWarning: P30D\n");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void healthWarnsWithoutGoingDownAndNamesNobody() throws Exception {
        HttpResponse<String> r = HealthIT.get(hub, "/observe/health");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode health = HubHttpClient.JSON.readTree(r.body());
        assertThat(health.path("status").asText()).isEqualTo("WARNING");
        assertThat(health.path("components").path("expiry:agreement").asText()).isEqualTo("WARNING");
        assertThat(health.path("components").path("expiry:hub-certificate").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("broker").asText()).isEqualTo("UP");
        assertThat(r.body()).doesNotContain("CS-PLACED").doesNotContain("placing-manchester");
    }

    @Test
    void metricsCountItWithoutAName() {
        String metrics = HealthIT.get(hub, "/observe/metrics").body();

        assertThat(metrics).contains("hub_expiry_warnings{kind=\"agreement\"} 1.0")
                .contains("hub_expiry_warnings{kind=\"hub-certificate\"} 0.0")
                .containsPattern("hub_expiry_seconds\\{kind=\"agreement\"\\} [0-9.E]+")
                .doesNotContain("CS-PLACED").doesNotContain("lancs-police"); // partners are never labels
    }

    @Test
    void theIgLeadsReportNamesItAndTheBoardsDoesNot() {
        JsonNode ig = HubHttpClient.json(hub.client("ig-lead").get("api/v1/reports/flows"));
        assertThat(ig.path("expiring")).hasSize(1);
        JsonNode end = ig.path("expiring").get(0);
        assertThat(end.path("kind").asText()).isEqualTo("agreement");
        assertThat(end.path("subject").asText()).isEqualTo("CS-PLACED v1");
        assertThat(end.path("at").asText()).isEqualTo(lastDay.plusDays(1) + "T00:00:00Z");
        assertThat(end.path("daysLeft").asLong()).isBetween(8L, 10L);

        HttpResponse<byte[]> board = hub.client("board").get("api/v1/reports/flows");
        assertThat(board.statusCode()).as(new String(board.body())).isEqualTo(200);
        assertThat(HubHttpClient.json(board).has("expiring")).isFalse();
    }
}
