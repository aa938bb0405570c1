package org.safeguarding.hub.linkstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.RegistryProjection;
import org.safeguarding.hub.registry.RegistryTestDatabase;
import org.safeguarding.hub.registry.SubmissionRegistry;

/** The link store as the feed fills it: idempotent links, alert revisions that only move forward, retention. */
class LinkStoreTest {
    final RegistryTestDatabase db = newDatabase();
    final DataSource pool = db.dataSource();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
    static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");
    final SubmissionRegistry registry = new SubmissionRegistry(pool, clock);
    final RegistryProjection projection = new RegistryProjection(pool, clock);
    final LinkStore store = new LinkStore(pool);

    @AfterEach
    void close() {
        db.close();
    }

    /** A fresh database for each test: H2 in memory here, PostgreSQL in {@link PostgresLinkStoreTest}. */
    RegistryTestDatabase newDatabase() {
        return RegistryTestDatabase.h2();
    }

    static RegistryChange.Linked linked(String partner, String submission, String sector, Instant at, String code,
                                        List<String> shared, String... tokens) {
        return new RegistryChange.Linked(partner, submission, UUID.nameUUIDFromBytes(submission.getBytes()).toString(),
                sector, "BPL", List.of("CCE"), code, at, shared,
                java.util.Arrays.stream(tokens).map(t -> new RegistryChange.Token("VEHICLE", "k1", t)).toList());
    }

    @Test
    void aSubmissionsLinksAreKeptOnceWithItsFactsAndFoundByTokenWithinTheWindow() {
        RegistryChange.Linked a = linked("lancs-police", "s1", "POLICE", T0, "P", List.of("police-fib", "mash-bpl"),
                "tokA", "tokB");
        projection.apply(List.of(a));
        projection.apply(List.of(a)); // a replayed batch

        assertThat(store.linkCount()).isEqualTo(2);
        var found = store.linkedByToken(List.of("tokA", "tokZ"), T0.minusSeconds(1));
        assertThat(found).containsOnlyKeys("tokA");
        LinkStore.LinkedSubmission s = found.get("tokA").get(0);
        assertThat(s.partnerId()).isEqualTo("lancs-police");
        assertThat(s.sector()).isEqualTo("POLICE");
        assertThat(s.categories()).containsExactly("CCE");
        assertThat(s.sharedWith()).containsExactlyInAnyOrder("police-fib", "mash-bpl");
        assertThat(s.receivedAt()).isEqualTo(T0);
        assertThat(store.linkedByToken(List.of("tokA"), T0.plusSeconds(1))).isEmpty();
        assertThat(store.tokensOf("lancs-police", "s1")).extracting(RegistryChange.Token::token)
                .containsExactly("tokA", "tokB");
        assertThat(store.submissions(List.of(new RegistryChange.Member("lancs-police", "s1"),
                new RegistryChange.Member("lancs-police", "nope")))).hasSize(1);
        assertThat(store.oldestHeld()).contains(T0);
    }

    @Test
    void aTokenBringsAtMostItsNewestSubmissionsOldestFirst() {
        List<RegistryChange> changes = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            changes.add(linked("lancs-police", "s" + i, "POLICE", T0.plusSeconds(i), "P", List.of(), "tokA"));
        }
        projection.apply(changes);

        assertThat(store.linkedByToken(List.of("tokA"), T0, 5).get("tokA"))
                .extracting(LinkStore.LinkedSubmission::submissionId).containsExactly("s25", "s26", "s27", "s28", "s29");
        assertThat(store.linkedByToken(List.of("tokA"), T0).get("tokA")).hasSize(30);
    }

    @Test
    void anAlertRevisionAppliesOnceAndAnOlderOneNeverReplacesANewer() {
        var m1 = new RegistryChange.Member("lancs-police", "s1");
        var m2 = new RegistryChange.Member("nhs-lsc", "s2");
        var m3 = new RegistryChange.Member("bpl-education", "s3");
        var rev1 = new RegistryChange.Alert("a1", "CONTEXT-2-SECTORS", 1, "VEHICLE", T0, List.of("tokA"),
                List.of(m1, m2));
        var rev2 = new RegistryChange.Alert("a1", "CONTEXT-2-SECTORS", 2, "VEHICLE", T0, List.of("tokA", "tokB"),
                List.of(m1, m2, m3));
        projection.apply(List.of(rev1, rev2));
        projection.apply(List.of(rev1));

        LinkStore.AlertState state = store.alert("a1").orElseThrow();
        assertThat(state.revision()).isEqualTo(2);
        assertThat(state.members()).containsExactlyInAnyOrder(m1, m2, m3);
        assertThat(state.tokens()).containsExactlyInAnyOrder("tokA", "tokB");
        assertThat(store.alertsByToken("CONTEXT-2-SECTORS", List.of("tokB"))).extracting(LinkStore.AlertState::alertId)
                .containsExactly("a1");
        assertThat(store.alertsByToken("OTHER-RULE", List.of("tokB"))).isEmpty();
        assertThat(store.alertsOf("nhs-lsc", "s2")).hasSize(1);
    }

    @Test
    void retentionRemovesOldSubmissionsTheirLinksAndAlertsLeftWithNoMember() {
        projection.apply(List.of(
                linked("lancs-police", "old", "POLICE", T0, "P", List.of("police-fib"), "tokA"),
                linked("nhs-lsc", "new", "HEALTH", T0.plusSeconds(86_400 * 20), "C", List.of("police-fib"), "tokA"),
                new RegistryChange.Alert("gone", "R", 1, "VEHICLE", T0, List.of("tokA"),
                        List.of(new RegistryChange.Member("lancs-police", "old"))),
                new RegistryChange.Alert("kept", "R", 1, "VEHICLE", T0, List.of("tokA"),
                        List.of(new RegistryChange.Member("lancs-police", "old"), new RegistryChange.Member("nhs-lsc",
                                "new")))));

        assertThat(store.expire(T0.plusSeconds(86_400), 100)).isEqualTo(1);

        assertThat(store.linkedByToken(List.of("tokA"), T0.minusSeconds(1)).get("tokA"))
                .extracting(LinkStore.LinkedSubmission::submissionId).containsExactly("new");
        assertThat(store.alert("gone")).isEmpty();
        assertThat(store.alert("kept").orElseThrow().members())
                .containsExactly(new RegistryChange.Member("nhs-lsc", "new"));
        assertThat(store.oldestHeld()).contains(T0.plusSeconds(86_400 * 20));
        assertThat(store.expire(T0.plusSeconds(86_400), 100)).isZero();
    }

    @Test
    void aWithdrawnSubmissionsLinksAndAlertMembershipsGoAndAnAlertLeftEmptyGoesToo() {
        var m1 = new RegistryChange.Member("lancs-police", "s1");
        var m2 = new RegistryChange.Member("nhs-lsc", "s2");
        projection.apply(List.of(
                linked("lancs-police", "s1", "POLICE", T0, "P", List.of("police-fib"), "tokA"),
                linked("nhs-lsc", "s2", "HEALTH", T0, "P", List.of("police-fib"), "tokA"),
                new RegistryChange.Alert("both", "R", 1, "VEHICLE", T0, List.of("tokA"), List.of(m1, m2)),
                new RegistryChange.Alert("one", "R2", 1, "VEHICLE", T0, List.of("tokA"), List.of(m1))));

        projection.apply(List.of(new RegistryChange.Unlinked("lancs-police", "s1")));
        projection.apply(List.of(new RegistryChange.Unlinked("lancs-police", "s1")));

        assertThat(store.tokensOf("lancs-police", "s1")).isEmpty();
        assertThat(store.linkedByToken(List.of("tokA"), T0.minusSeconds(1)).get("tokA"))
                .extracting(LinkStore.LinkedSubmission::submissionId).containsExactly("s2");
        assertThat(store.alert("both").orElseThrow().members()).containsExactly(m2);
        assertThat(store.alert("one")).isEmpty();
    }

    @Test
    void theRegistryMakesTheLinkTablesToo() throws Exception {
        try (Connection c = pool.getConnection(); var rs = c.getMetaData().getTables(null, c.getSchema(),
                c.getMetaData().storesUpperCaseIdentifiers() ? "LINK%" : "link%", new String[] {"TABLE"})) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            assertThat(n).isGreaterThanOrEqualTo(4);
        }
        assertThat(registry.healthy()).isTrue();
    }
}
