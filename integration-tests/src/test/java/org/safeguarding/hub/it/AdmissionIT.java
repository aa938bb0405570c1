package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Admission is bounded: with routing stopped, intake takes submissions up to {@code routing.maxBacklog} and then answers
 * 503 with Retry-After, keeping the connection, before anything is opened; the backlog never passes the bound, and the
 * metrics show the queue, the backlog and the answers by outcome. Once routing runs again the refused one is taken.
 */
class AdmissionIT {
    static final int BOUND = 4;
    RunningHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    byte[] sealed() {
        return OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"),
                hub.pki().cert("lancs-police"), hub.pki().key("lancs-police"), hub.pki().cert("hub"), "-aes-256-gcm");
    }

    static String metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse(null);
    }

    static String metricLine(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
    }

    @Test
    void pastTheBacklogBoundIntakeAnswers503OnTheSameConnectionAndTakesItOnceRoutingCatchesUp() throws Exception {
        hub = RunningHub.start(TestPki.ec(), "routing:\n  maxBacklog: " + BOUND);
        hub.app().camel().getRouteController().stopRoute("routing");
        HubHttpClient partner = hub.client("lancs-police");
        for (int i = 0; i < BOUND; i++) {
            assertThat(partner.submit(sealed()).statusCode()).as("submission %d", i + 1).isEqualTo(202);
        }
        byte[] refused = sealed();

        HttpResponse<byte[]> busy = partner.submit(refused);

        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).isPresent();
        assertThat(busy.headers().firstValue("Connection").orElse("keep-alive")).isNotEqualToIgnoringCase("close");
        assertThat(HubHttpClient.json(busy).path("code").asText()).isEqualTo("UNAVAILABLE");
        String metrics = HealthIT.get(hub, "/observe/metrics").body();
        assertThat(Double.parseDouble(metric(metrics, "hub_intake_backlog"))).isEqualTo(BOUND);
        assertThat(Double.parseDouble(metric(metrics, "hub_intake_backlog_bound"))).isEqualTo(BOUND);
        assertThat(metricLine(metrics, "hub_queue_depth{queue=\"hub.intake\"")).endsWith(" " + (double) BOUND);
        assertThat(metricLine(metrics, "hub_queue_oldest_age_seconds{queue=\"hub.intake\"")).isNotEmpty();
        assertThat(metricLine(metrics, "hub_intake_answers_total{by=\"none\",outcome=\"ACCEPTED\"")).endsWith(" 4.0");
        assertThat(metricLine(metrics, "hub_intake_answers_total{by=\"hub\",outcome=\"UNAVAILABLE\"")).endsWith(" 1.0");

        hub.app().camel().getRouteController().startRoute("routing");
        hub.awaitPackages("police-fib", BOUND);
        HttpResponse<byte[]> again = Await.value("the refused submission to be taken once routing caught up",
                Duration.ofSeconds(30), () -> partner.submit(refused), r -> r.statusCode() != 503);
        assertThat(again.statusCode()).isEqualTo(202);
        hub.awaitPackages("police-fib", BOUND + 1);
        String after = HealthIT.get(hub, "/observe/metrics").body();
        assertThat(metricLine(after, "hub_routing_latency_seconds_count")).endsWith(" " + (BOUND + 1));
        assertThat(metric(after, "hub_audit_writer_lag_seconds")).isNotNull();
    }

    @Test
    void theBacklogNeverPassesTheBoundUnderConcurrentPartners() throws Exception {
        hub = RunningHub.start(TestPki.ec(), "routing:\n  maxBacklog: " + BOUND);
        hub.app().camel().getRouteController().stopRoute("routing");
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            bodies.add(sealed());
        }
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (byte[] b : bodies) {
                sent.add(pool.submit(() -> statuses.add(hub.client("lancs-police").submit(b).statusCode())));
            }
            for (var f : sent) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).containsOnly(202, 503);
        assertThat(statuses.stream().filter(s -> s == 202)).hasSize(BOUND);
        assertThat(hub.app().broker().messageCount(org.safeguarding.hub.broker.QueueNames.INTAKE)).isEqualTo(BOUND);
    }
}
