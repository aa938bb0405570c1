package org.safeguarding.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What package expiry asks of the registry: the old, still-delivered packages; and what its record changes there, a
 * package's state, never over an acknowledgement.
 */
class OpenDeliveriesTest {
    final RegistryTestDatabase db = newDatabase();
    final DataSource pool = db.dataSource();
    Instant now = Instant.parse("2026-11-27T10:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    final SubmissionRegistry registry = new SubmissionRegistry(pool, clock);

    @AfterEach
    void close() {
        db.close();
    }

    /** A fresh database for each test: H2 in memory here, PostgreSQL in {@link PostgresOpenDeliveriesTest}. */
    RegistryTestDatabase newDatabase() {
        return RegistryTestDatabase.h2();
    }

    String deliver(String recipient) {
        String packageId = UUID.randomUUID().toString();
        registry.recordDelivery("lancs-police", "s-1", recipient, packageId);
        return packageId;
    }

    @Test
    void onlyStillDeliveredPackagesFromBeforeTheCutoffAreListedOldestFirst() {
        String oldest = deliver("lancs-csc");
        now = now.plus(Duration.ofHours(1));
        String older = deliver("nhs-lsc");
        String acknowledged = deliver("bpl-csc");
        registry.setDeliveryState(acknowledged, DeliveryState.ACKNOWLEDGED);
        now = now.plus(Duration.ofHours(1));
        Instant cutoff = now;
        deliver("lancs-csc");

        assertThat(registry.deliveredBefore(cutoff)).extracting(SubmissionRegistry.OpenDelivery::packageId)
                .containsExactly(oldest, older);
        assertThat(registry.deliveredBefore(cutoff).get(0)).isEqualTo(new SubmissionRegistry.OpenDelivery(
                "lancs-police", "s-1", "lancs-csc", oldest, Instant.parse("2026-11-27T10:00:00Z")));
        assertThat(registry.deliveredBefore(Instant.parse("2026-11-27T10:00:00Z"))).isEmpty();
    }

    @Test
    void anExpiryChangesOnlyAPackageStillDeliveredAndOnlyOnce() {
        String delivered = deliver("lancs-csc");
        String acknowledged = deliver("nhs-lsc");
        registry.setDeliveryState(acknowledged, DeliveryState.ACKNOWLEDGED);
        RegistryProjection projection = new RegistryProjection(pool, clock);

        // as the audit feed applies the expiry's records, one of them replayed
        projection.apply(java.util.List.of(new RegistryChange.PackageState(delivered, DeliveryState.EXPIRED),
                new RegistryChange.PackageState(acknowledged, DeliveryState.EXPIRED)));
        projection.apply(java.util.List.of(new RegistryChange.PackageState(delivered, DeliveryState.EXPIRED)));

        registry.reserve(new Receipt("lancs-police", "s-1", UUID.randomUUID().toString(), now, "aa"));
        assertThat(registry.find("lancs-police", "s-1").orElseThrow().deliveries())
                .extracting(SubmissionRecord.Delivery::recipient, SubmissionRecord.Delivery::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lancs-csc", DeliveryState.EXPIRED),
                        org.assertj.core.groups.Tuple.tuple("nhs-lsc", DeliveryState.ACKNOWLEDGED));
        assertThat(registry.deliveredBefore(now.plusSeconds(1))).isEmpty();
    }
}
