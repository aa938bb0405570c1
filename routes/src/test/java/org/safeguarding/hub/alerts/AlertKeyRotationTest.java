package org.safeguarding.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.links.LinkNormaliser;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.partnership.LinkKind;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.RegistryProjection;
import org.safeguarding.hub.registry.SubmissionRegistry;

/** After the linking key is rotated, links made under the previous key still take part in alerts. */
class AlertKeyRotationTest {
    static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    final JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
            "sa", "");
    final Clock clock = Clock.fixed(T, java.time.ZoneOffset.UTC);
    final Partnership reference = PartnershipLoader.loadReference();

    @AfterEach
    void close() {
        pool.dispose();
    }

    static byte[] key(int seed) {
        byte[] k = new byte[LinkingKey.KEY_LENGTH];
        new java.util.Random(seed).nextBytes(k);
        return k;
    }

    @Test
    void aVehicleLinkedBeforeTheRotationRaisesTheAlertWithOneLinkedAfterIt() {
        new SubmissionRegistry(pool, clock);
        LinkStore store = new LinkStore(pool);
        LinkingKey before = LinkingKey.of(List.of(key(1)));
        LinkingKey after = LinkingKey.of(List.of(key(2), key(1)));
        String vrm = LinkNormaliser.vehicle("BK11 QQQ").orElseThrow();
        new RegistryProjection(pool, clock).apply(List.of(new RegistryChange.Linked("lancs-police", "s-police",
                "r-police", "POLICE", "BPL", List.of("CCE"), "P", T.minusSeconds(86_400), List.of("police-fib"),
                List.of(new RegistryChange.Token("VEHICLE", before.currentKeyId(), before.token(LinkKind.VEHICLE, vrm))))));
        LinkStore.LinkedSubmission health = new LinkStore.LinkedSubmission("nhs-lsc", "s-health", "r-health", "HEALTH",
                "BWD", List.of("CSE"), "P", T, Set.of("police-fib"));
        AlertEvaluator evaluator = new AlertEvaluator(store, new InFlightLinks(clock));

        var withoutPrevious = evaluator.evaluate(reference, health, List.of(new AlertEvaluator.TokenOf(
                LinkKind.VEHICLE, after.currentKeyId(), after.token(LinkKind.VEHICLE, vrm))), T);
        withoutPrevious.registration().remove();
        assertThat(withoutPrevious.raised()).as("the new key's token alone does not meet the old link").isEmpty();

        List<String> tokens = after.tokens(LinkKind.VEHICLE, vrm);
        var withPrevious = evaluator.evaluate(reference, health, List.of(new AlertEvaluator.TokenOf(LinkKind.VEHICLE,
                after.currentKeyId(), tokens.get(0), tokens.subList(1, tokens.size()))), T);
        assertThat(withPrevious.raised()).singleElement().satisfies(r -> {
            assertThat(r.rule().id()).isEqualTo("CONTEXT-2-SECTORS");
            assertThat(r.alert().members()).containsExactlyInAnyOrder(new RegistryChange.Member("nhs-lsc", "s-health"),
                    new RegistryChange.Member("lancs-police", "s-police"));
        });
    }
}
