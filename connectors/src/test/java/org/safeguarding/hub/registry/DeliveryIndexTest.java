package org.safeguarding.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry as the index of every recipient's pending packages: complete pages, oldest first, and a total. */
class DeliveryIndexTest {
    final RegistryTestDatabase db = newDatabase();
    final DataSource pool = db.dataSource();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
    static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");

    @AfterEach
    void close() {
        db.close();
    }

    /** A fresh database for each test: H2 in memory here, PostgreSQL in {@link PostgresDeliveryIndexTest}. */
    RegistryTestDatabase newDatabase() {
        return RegistryTestDatabase.h2();
    }

    static DeliveryRecord record(String recipient, String packageId, Instant routedAt) {
        return new DeliveryRecord("lancs-police", "s-" + packageId, recipient, packageId, routedAt,
                List.of("CSE", "NEGLECT"), 4321, DeliveryRecord.PACKAGE);
    }

    @Test
    void aDeliveryIsRecordedWithWhatTheInboxListsAndAReplayChangesNothing() {
        SubmissionRegistry registry = new SubmissionRegistry(pool, clock);
        DeliveryRecord d = record("police-fib", UUID.randomUUID().toString(), T0);
        registry.recordDelivery(d);
        registry.setDeliveryState(d.packageId(), DeliveryState.ACKNOWLEDGED);

        registry.recordDelivery(new DeliveryRecord("x", "y", "police-fib", d.packageId(), T0.plusSeconds(9), List.of(),
                1, "alert"));

        assertThat(registry.pendingCount("police-fib")).isZero();
        registry.setDeliveryState(d.packageId(), DeliveryState.DELIVERED);
        assertThat(registry.pendingPage("police-fib", null, 10)).containsExactly(d);
        assertThat(registry.isPending("police-fib", d.packageId())).isTrue();
        assertThat(registry.isPending("mash-bpl", d.packageId())).isFalse();
    }

    @Test
    void pagesAreOldestFirstByRoutingTimeThenPackageIdAndEveryPendingPackageIsOnExactlyOne() {
        SubmissionRegistry registry = new SubmissionRegistry(pool, clock);
        List<DeliveryRecord> expected = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            // several packages share a routing time: the package id decides between them
            DeliveryRecord d = record("police-fib", UUID.randomUUID().toString(), T0.plusSeconds(i / 3));
            registry.recordDelivery(d);
            expected.add(d);
            registry.recordDelivery(record("mash-bpl", UUID.randomUUID().toString(), T0));
        }
        DeliveryRecord acknowledged = expected.remove(100);
        registry.setDeliveryState(acknowledged.packageId(), DeliveryState.ACKNOWLEDGED);
        expected.sort(java.util.Comparator.comparing(DeliveryRecord::routedAt).thenComparing(DeliveryRecord::packageId));

        List<DeliveryRecord> seen = new ArrayList<>();
        String after = null;
        for (List<DeliveryRecord> page = registry.pendingPage("police-fib", null, 7); !page.isEmpty();
             page = registry.pendingPage("police-fib", after, 7)) {
            assertThat(page.size()).isLessThanOrEqualTo(7);
            seen.addAll(page);
            after = page.get(page.size() - 1).packageId();
        }

        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(registry.pendingCount("police-fib")).isEqualTo(249);
    }

    @Test
    void aPageAfterAPackageAcknowledgedMeanwhileContinuesFromItsPlaceAndAnUnknownOneGivesNothing() {
        SubmissionRegistry registry = new SubmissionRegistry(pool, clock);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = UUID.randomUUID().toString();
            registry.recordDelivery(record("police-fib", id, T0.plusSeconds(i)));
            ids.add(id);
        }
        registry.setDeliveryState(ids.get(1), DeliveryState.ACKNOWLEDGED);

        assertThat(registry.pendingPage("police-fib", ids.get(1), 10)).extracting(DeliveryRecord::packageId)
                .containsExactlyElementsOf(ids.subList(2, 5));
        assertThat(registry.pendingPage("police-fib", UUID.randomUUID().toString(), 10)).isEmpty();
        assertThat(registry.pendingPage("mash-bpl", ids.get(0), 10)).isEmpty();
    }

    @Test
    void aDatabaseFromBeforeTheIndexIsMigratedAndItsPackagesListed() throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE delivery (
                      package_id VARCHAR(36) NOT NULL PRIMARY KEY,
                      partner_id VARCHAR(100) NOT NULL,
                      submission_id VARCHAR(100) NOT NULL,
                      recipient VARCHAR(100) NOT NULL,
                      state VARCHAR(16) NOT NULL,
                      delivered_at TIMESTAMP WITH TIME ZONE NOT NULL,
                      updated_at TIMESTAMP WITH TIME ZONE NOT NULL)""");
            s.execute("INSERT INTO delivery VALUES ('11111111-1111-1111-1111-111111111111', 'lancs-police', 's-1',"
                    + " 'police-fib', 'DELIVERED', TIMESTAMP WITH TIME ZONE '2026-11-01 08:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-11-01 08:00:00+00')");
        }

        SubmissionRegistry registry = new SubmissionRegistry(pool, clock);
        new SubmissionRegistry(pool, clock); // a second start finds the columns there

        assertThat(registry.pendingPage("police-fib", null, 10)).containsExactly(new DeliveryRecord("lancs-police",
                "s-1", "police-fib", "11111111-1111-1111-1111-111111111111", Instant.parse("2026-11-01T08:00:00Z"),
                List.of(), 0, "package"));
        assertThat(registry.pendingCount("police-fib")).isEqualTo(1);
    }

    @Test
    void theOldFourArgumentRecordingStillWorksWithDefaults() {
        SubmissionRegistry registry = new SubmissionRegistry(pool, clock);
        registry.recordDelivery("lancs-police", "s-9", "police-fib", "99999999-9999-9999-9999-999999999999");

        assertThat(registry.pendingPage("police-fib", null, 1)).singleElement().satisfies(d -> {
            assertThat(d.routedAt()).isEqualTo(clock.instant());
            assertThat(d.kind()).isEqualTo("package");
            assertThat(d.categories()).isEmpty();
        });
    }
}
