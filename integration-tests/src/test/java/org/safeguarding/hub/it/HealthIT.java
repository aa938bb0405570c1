package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.crypto.testing.OpenSsl;

/**
 * The management port: {@code /observe/health} reports broker, audit store, registry and both
 * routes, and turns 503 with the component DOWN when one stops; {@code /observe/metrics} is
 * Prometheus text with Camel's route metrics.
 */
class HealthIT {
    static RunningHub hub;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        hub = RunningHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    static HttpResponse<String> get(String path) {
        return get(hub, path);
    }

    static HttpResponse<String> get(RunningHub hub, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.app().managementPort() + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyComponentIsUp() {
        HttpResponse<String> r = get("/observe/health");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode health = readTree(r.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        for (String component : new String[] {"broker", "auditStore", "registry", "trust", "route:intake",
                "route:routing"}) {
            assertThat(health.path("components").path(component).asText()).as(component).isEqualTo("UP");
        }
        // one node on its own registry: it leads the housekeeping, every housekeeping route as its role wants
        assertThat(health.path("components").path("housekeeping").asText()).isEqualTo("LEADER");
        for (String route : new String[] {"package-expiry", "package-escalation", "audit-retention", "audit-checkpoint",
                "link-retention"}) {
            assertThat(health.path("components").path("housekeeping:" + route).asText()).as(route).isEqualTo("RUNNING");
            assertThat(health.path("components").path("route:" + route).asText()).as(route).isEqualTo("UP");
        }
        for (String route : new String[] {"broker-refusals", "https-refusals", "broker-trust", "expiry-watch",
                "non-delivery-outbound", "partnership-reload"}) {
            assertThat(health.path("components").path("route:" + route).asText()).as(route).isEqualTo("UP");
        }
    }

    /**
     * A CRL past its nextUpdate says nothing of recent revocations: the hub trusts nobody (a partner's handshake fails)
     * and its health says so, until a current CRL is installed. The PKI here was made a year and a day ago.
     */
    @Test
    void aCrlPastItsNextUpdateTurnsTrustDownAndRefusesEveryone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        TestPki stale = TestPki.createIn(dir, TestPki.PARTICIPANTS, org.safeguarding.hub.crypto.KeyAlgorithm.EC_P256,
                java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(-366)));
        try (RunningHub staleHub = RunningHub.start(stale, "")) {
            HttpResponse<String> r = get(staleHub, "/observe/health");

            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(readTree(r.body()).path("components").path("trust").asText()).isEqualTo("DOWN");
            assertThat(readTree(r.body()).path("components").path("broker").asText()).isEqualTo("UP");
            assertThatThrownBy(() -> staleHub.client("lancs-police").get("api/v1/submissions/x"))
                    .as("no handshake without a current CRL").hasRootCauseInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void metricsArePrometheusTextWithCamelRouteMetrics() {
        // route something first, so that the route's exchange counters have moved
        NotifyBuilder routed = hub.routedNotifier(1);
        byte[] sealed = OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"),
                hub.pki().cert("lancs-police"), hub.pki().key("lancs-police"), hub.pki().cert("hub"), "-aes-256-gcm");
        assertThat(hub.client("lancs-police").submit(sealed).statusCode()).isEqualTo(202);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();

        HttpResponse<String> r = get("/observe/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String text = r.body();
        assertThat(text).contains("# TYPE ").contains("# HELP ");
        assertThat(text.lines().filter(l -> l.startsWith("camel_") && l.contains("routeId=\"routing\"")))
                .as("a camel metric of the routing route").isNotEmpty();
        assertThat(text.lines().filter(l -> l.startsWith("camel_") && l.contains("routeId=\"intake\"")))
                .as("a camel metric of the intake route").isNotEmpty();
        assertThat(text.lines().filter(l -> l.startsWith("hub_housekeeping_leader{") && l.endsWith(" 1.0")))
                .as("this node leads the housekeeping").hasSize(1);
        assertThat(text.lines().filter(l -> l.startsWith("camel_") && l.contains("routeId=\"expiry-watch\"")))
                .as("a camel metric of a housekeeping route").isNotEmpty();
        assertThat(text.lines().filter(l -> l.startsWith("hub_housekeeping_runs_total{")
                && l.contains("route=\"expiry-watch\"") && l.contains("outcome=\"ok\"")))
                .as("the expiry watch's run at start, counted").hasSize(1);
        // nothing of the submission or its people reaches the metrics
        assertThat(text).doesNotContain("lancs-police").doesNotContain("Jamie");
    }

    @Test
    void aStoppedRouteTurnsHealthTo503WithThatComponentDown() throws Exception {
        hub.app().camel().getRouteController().stopRoute("routing");
        try {
            HttpResponse<String> r = get("/observe/health");

            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            JsonNode health = readTree(r.body());
            assertThat(health.path("status").asText()).isEqualTo("DOWN");
            assertThat(health.path("components").path("route:routing").asText()).isEqualTo("DOWN");
            assertThat(health.path("components").path("route:intake").asText()).isEqualTo("UP");
            assertThat(health.path("components").path("broker").asText()).isEqualTo("UP");
        } finally {
            hub.app().camel().getRouteController().startRoute("routing");
        }
        assertThat(get("/observe/health").statusCode()).as("up again once the route is started").isEqualTo(200);
    }

    static JsonNode readTree(String body) {
        try {
            return HubHttpClient.JSON.readTree(body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
