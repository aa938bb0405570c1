package org.safeguarding.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry on a real (in-memory) H2 database. */
class SubmissionRegistryTest {
    final JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "sa", "");
    final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
    final SubmissionRegistry registry = new SubmissionRegistry(pool, clock);

    @AfterEach
    void close() {
        pool.dispose();
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
}
