package org.safeguarding.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry on a real (in-memory) H2 database. */
class SubmissionRegistryTest {
    final RegistryTestDatabase db = newDatabase();
    final DataSource pool = db.dataSource();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
    final SubmissionRegistry registry = new SubmissionRegistry(pool, clock);

    @AfterEach
    void close() {
        db.close();
    }

    /** A fresh database for each test: H2 in memory here, PostgreSQL in {@link PostgresSubmissionRegistryTest}. */
    RegistryTestDatabase newDatabase() {
        return RegistryTestDatabase.h2();
    }

    static Receipt receipt(String submissionId, String digest) {
        return new Receipt("lancs-police", submissionId, UUID.randomUUID().toString(),
                Instant.parse("2026-11-27T09:59:00Z"), digest);
    }

    @Test
    void aSecondReservationReturnsTheFirstRecordUnchanged() {
        Receipt first = receipt("s-1", "aa");
        assertThat(registry.reserve(first).created()).isTrue();

        SubmissionRegistry.Reservation again = registry.reserve(receipt("s-1", "bb"));

        assertThat(again.created()).isFalse();
        assertThat(again.record().receipt()).isEqualTo(first);
    }

    @Test
    void theSameIdFromAnotherPartnerIsAnotherSubmission() {
        registry.reserve(receipt("s-2", "aa"));
        Receipt other = new Receipt("nhs-lsc", "s-2", "r", Instant.parse("2026-11-27T09:59:00Z"), "aa");

        assertThat(registry.reserve(other).created()).isTrue();
    }

    @Test
    void aReleasedReservationCanBeMadeAgainButAnAcceptedOneCannotBeReleased() {
        registry.reserve(receipt("s-3", "aa"));
        registry.release("lancs-police", "s-3");
        assertThat(registry.find("lancs-police", "s-3")).isEmpty();

        registry.reserve(receipt("s-3", "aa"));
        registry.setStatus("lancs-police", "s-3", SubmissionStatus.ACCEPTED);
        registry.release("lancs-police", "s-3");
        assertThat(registry.find("lancs-police", "s-3")).hasValueSatisfying(
                r -> assertThat(r.status()).isEqualTo(SubmissionStatus.ACCEPTED));
    }

    @Test
    void deliveriesAreRecordedOnceAndTheirStateFollowsAcknowledgement() {
        registry.reserve(receipt("s-4", "aa"));
        registry.recordDelivery("lancs-police", "s-4", "police-fib", "p-1");
        registry.recordDelivery("lancs-police", "s-4", "police-fib", "p-1");
        registry.recordDelivery("lancs-police", "s-4", "mash-bpl", "p-2");
        registry.setDeliveryState("p-1", DeliveryState.ACKNOWLEDGED);

        assertThat(registry.find("lancs-police", "s-4").orElseThrow().deliveries()).containsExactly(
                new SubmissionRecord.Delivery("mash-bpl", "p-2", DeliveryState.DELIVERED),
                new SubmissionRecord.Delivery("police-fib", "p-1", DeliveryState.ACKNOWLEDGED));
        assertThat(registry.recipientOf("p-2")).hasValue("mash-bpl");
        assertThat(registry.recipientOf("p-9")).isEmpty();
    }

    @Test
    void aWebhookRegisteredAgainReplacesTheFirstAndCanBeRemoved() {
        registry.registerWebhook("police-fib", "https://a.example/hook");
        registry.registerWebhook("police-fib", "https://b.example/hook");
        registry.registerWebhook("mash-bpl", "https://c.example/hook");

        assertThat(registry.webhookUrl("police-fib")).hasValue("https://b.example/hook");
        assertThat(registry.removeWebhook("police-fib")).isTrue();
        assertThat(registry.removeWebhook("police-fib")).isFalse();
        assertThat(registry.webhookUrl("police-fib")).isEmpty();
        assertThat(registry.webhookUrl("mash-bpl")).hasValue("https://c.example/hook");
    }

    @Test
    void decisionFactsAreKeptOnceReadOldestFirstAndExpired() {
        RegistryProjection projection = new RegistryProjection(pool, clock);
        DecisionFactStore facts = new DecisionFactStore(pool);
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        List<RegistryChange> batch = List.of(
                new RegistryChange.Facts("lancs-police", "s-2", t0.plusSeconds(60), "{\"n\":2}"),
                new RegistryChange.Facts("lancs-police", "s-1", t0, "{\"n\":1}"),
                new RegistryChange.Facts("nhs-lsc", "s-1", t0.plusSeconds(120), "{\"n\":3}"));
        projection.apply(batch);
        projection.apply(batch); // replayed
        projection.apply(List.of(new RegistryChange.Facts("lancs-police", "s-1", t0, "{\"n\":9}"))); // not again

        assertThat(facts.since(t0, 10)).extracting(DecisionFactStore.Stored::facts)
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(facts.since(t0.plusSeconds(61), 10)).extracting(DecisionFactStore.Stored::submissionId)
                .containsExactly("s-1");
        assertThat(facts.since(t0, 2)).hasSize(2);
        assertThat(facts.oldest()).contains(t0);

        assertThat(facts.expire(t0.plusSeconds(61))).isEqualTo(2);
        assertThat(facts.since(t0, 10)).extracting(DecisionFactStore.Stored::partnerId).containsExactly("nhs-lsc");
    }

    @Test
    void whatTheFeedAppliesIsReadBackAndAReplayedBatchChangesNothing() {
        RegistryProjection projection = new RegistryProjection(pool, clock);
        Receipt r = receipt("s-5", "aa");
        Instant routed = Instant.parse("2026-11-27T09:59:30Z");
        Instant deadline = Instant.parse("2026-11-27T09:59:50Z");
        List<RegistryChange> batch = List.of(
                new RegistryChange.Accepted(r),
                new RegistryChange.Delivered("lancs-police", "s-5", "police-fib", "p-5", routed, List.of("CCE"), 10,
                        DeliveryRecord.PACKAGE, "BPL"),
                new RegistryChange.Delivered("lancs-police", "s-5", "mash-bpl", "p-6", routed, List.of(), 10),
                new RegistryChange.Deadline("p-5", "URGENT", deadline, "BPL"),
                new RegistryChange.Shown("lancs-police", "s-5", "police-fib", "p-5", 0, Map.of("SUBJECT", "d1")),
                new RegistryChange.Status("lancs-police", "s-5", SubmissionStatus.ROUTED),
                new RegistryChange.Revised("lancs-police", "s-5", 1, "bb"),
                new RegistryChange.NonDelivery("n-1", "lancs-police", "s-5", "mash-bpl", "p-6", "EXPIRED", routed),
                new RegistryChange.PackageState("p-6", DeliveryState.EXPIRED));
        projection.apply(batch);
        projection.apply(batch);
        projection.apply(List.of(new RegistryChange.Escalated("p-5", 1, null),
                new RegistryChange.Status("lancs-police", "s-5", SubmissionStatus.ACCEPTED)));

        SubmissionRecord held = registry.find("lancs-police", "s-5").orElseThrow();
        assertThat(held.receipt()).isEqualTo(r);
        assertThat(held.status()).isEqualTo(SubmissionStatus.ROUTED);
        assertThat(held.deliveries()).extracting(SubmissionRecord.Delivery::packageId, SubmissionRecord.Delivery::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p-6", DeliveryState.EXPIRED),
                        org.assertj.core.groups.Tuple.tuple("p-5", DeliveryState.DELIVERED));
        assertThat(registry.revision("lancs-police", "s-5"))
                .isEqualTo(new SubmissionRegistry.AppliedRevision(1, "bb"));
        assertThat(registry.shownViews("lancs-police", "s-5")).containsOnlyKeys("police-fib");
        assertThat(registry.shownViews("lancs-police", "s-5").get("police-fib").groups()).containsEntry("SUBJECT", "d1");
        assertThat(registry.areaOf("lancs-police", "s-5")).hasValue("BPL");
        assertThat(registry.overdue(clock.instant(), 10)).isEmpty(); // escalated once, no next deadline
        assertThat(registry.nonDeliveryPage("lancs-police", null, 10)).extracting(
                SubmissionRegistry.NonDeliveryReport::reportId).containsExactly("n-1");
        assertThat(registry.nonDeliveryPage("lancs-police", "n-1", 10)).isEmpty();
        assertThat(registry.outboundPending(10)).hasSize(1);
        registry.markOutboundWritten("n-1");
        assertThat(registry.outboundPending(10)).isEmpty();
        assertThat(registry.otherSenders("s-5", "nhs-lsc")).containsExactly("lancs-police");
        assertThat(registry.healthy()).isTrue();
    }

    @Test
    void anUrgentPackagePastItsDeadlineIsOverdueTheMostOverdueFirst() {
        RegistryProjection projection = new RegistryProjection(pool, clock);
        Instant routed = Instant.parse("2026-11-27T09:00:00Z");
        projection.apply(List.of(
                new RegistryChange.Delivered("lancs-police", "s-6", "police-fib", "p-7", routed, List.of(), 1),
                new RegistryChange.Delivered("lancs-police", "s-6", "mash-bpl", "p-8", routed, List.of(), 1),
                new RegistryChange.Delivered("lancs-police", "s-6", "nhs-lsc", "p-9", routed, List.of(), 1),
                new RegistryChange.Deadline("p-7", "URGENT", Instant.parse("2026-11-27T09:30:00Z"), "BPL"),
                new RegistryChange.Deadline("p-8", "URGENT", Instant.parse("2026-11-27T09:10:00Z"), "BPL"),
                new RegistryChange.Deadline("p-9", "URGENT", Instant.parse("2026-11-27T11:00:00Z"), "BPL")));

        assertThat(registry.overdue(clock.instant(), 10)).extracting(SubmissionRegistry.Overdue::packageId)
                .containsExactly("p-8", "p-7");
        assertThat(registry.overdue(clock.instant(), 1)).extracting(SubmissionRegistry.Overdue::packageId)
                .containsExactly("p-8");
    }
}
