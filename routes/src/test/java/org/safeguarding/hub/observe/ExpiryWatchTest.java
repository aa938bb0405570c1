package org.safeguarding.hub.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.observe.ExpiryWatch.Dated;
import org.safeguarding.hub.observe.ExpiryWatch.Kind;
import org.safeguarding.hub.testing.MutableClock;

/** Warnings ahead of time, logged once each, counted in health and metrics without names, and gone once renewed. */
class ExpiryWatchTest {
    private static final Instant NOW = Instant.parse("2027-05-01T09:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final List<Dated> dates = new ArrayList<>(List.of(
            new Dated(Kind.HUB_CERTIFICATE, "hub", NOW.plus(Duration.ofDays(400))),
            new Dated(Kind.PARTICIPANT_CERTIFICATE, "lancs-police", NOW.plus(Duration.ofDays(12))),
            new Dated(Kind.PARTICIPANT_CERTIFICATE, "mash-bpl", NOW.plus(Duration.ofDays(200))),
            new Dated(Kind.PARTICIPANT_CERTIFICATE, "board", null),
            new Dated(Kind.CRL, "CN=Partnership CA", NOW.plus(Duration.ofHours(30))),
            new Dated(Kind.AGREEMENT, "CS-PLACED v1", Instant.parse("2027-06-01T00:00:00Z")),
            new Dated(Kind.AGREEMENT, "CS-2023 v4", Instant.parse("2026-01-01T00:00:00Z"))));
    private final ExpiryWatch watch = new ExpiryWatch(() -> List.copyOf(dates), Duration.ofDays(31), clock);

    @Test
    void whatEndsWithinTheWindowOrHasEndedIsAWarningSoonestFirst() {
        assertThat(watch.warnings()).extracting(ExpiryWatch.Warning::describe).containsExactly(
                "certificate of board: none is current",
                "CRL CN=Partnership CA is due for renewal (nextUpdate) 2027-05-02T15:00:00Z (in 1 day)",
                "certificate of lancs-police expires 2027-05-13T09:00:00Z (in 12 days)",
                "agreement CS-PLACED v1 ends 2027-06-01T00:00:00Z (in 30 days)");
    }

    @Test
    void eachWarningIsLoggedOnceThenOnceMoreWhenItPassesAndForgottenWhenRenewed() {
        assertThat(watch.check()).hasSize(4);
        assertThat(watch.check()).isEmpty();

        clock.advance(Duration.ofDays(2));
        assertThat(watch.check()).containsExactly("CRL CN=Partnership CA was due for renewal (nextUpdate)"
                + " 2027-05-02T15:00:00Z (1 day ago): renew it now");

        dates.set(4, new Dated(Kind.CRL, "CN=Partnership CA", clock.instant().plus(Duration.ofDays(7))));
        assertThat(watch.check()).containsExactly("CRL CN=Partnership CA is due for renewal (nextUpdate) "
                + clock.instant().plus(Duration.ofDays(7)) + " (in 7 days): renew it before then");
        dates.set(4, new Dated(Kind.CRL, "CN=Partnership CA", clock.instant().plus(Duration.ofDays(90))));
        assertThat(watch.check()).isEmpty();
        assertThat(watch.warnings()).noneMatch(w -> w.kind() == Kind.CRL);

        clock.advance(Duration.ofDays(30));
        assertThat(watch.check()).contains("agreement CS-PLACED v1 ended 2027-06-01T00:00:00Z (1 day ago): renew it now"
                + " (sharing under it has stopped)");
    }

    @Test
    void healthSaysWarningByKindAndMetricsCountWithoutAName() {
        assertThat(watch.health()).containsEntry("expiry:hub-certificate", "UP")
                .containsEntry("expiry:participant-certificate", "WARNING").containsEntry("expiry:crl", "WARNING")
                .containsEntry("expiry:agreement", "WARNING");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        watch.bind(registry);

        String metrics = registry.scrape();
        assertThat(metrics).contains("hub_expiry_warnings{kind=\"participant-certificate\"} 2.0")
                .contains("hub_expiry_warnings{kind=\"hub-certificate\"} 0.0")
                .contains("hub_expiry_seconds{kind=\"hub-certificate\"} " + (double) Duration.ofDays(400).toSeconds())
                .doesNotContain("lancs-police").doesNotContain("board").doesNotContain("CS-PLACED");
    }
}
