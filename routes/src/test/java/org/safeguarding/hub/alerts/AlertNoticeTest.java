package org.safeguarding.hub.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.linkstore.LinkStore.LinkedSubmission;
import org.safeguarding.hub.partnership.AlertRule;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.LinkKind;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;

/**
 * What one notified recipient is told of an alert's linked submissions: only those it was itself SHARED, and counts by
 * sector only where the rule allows it, never counting a handling-code C submission for a recipient outside the
 * sectors that code allows (unless it was shared that submission itself).
 */
class AlertNoticeTest {
    static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    final Partnership reference = PartnershipLoader.loadReference(); // C only to POLICE and LOCAL_AUTHORITY

    static LinkedSubmission s(String partner, String id, String sector, String code, Set<String> shared) {
        return new LinkedSubmission(partner, id, "r-" + id, sector, "BPL", List.of("CCE"), code, T, shared);
    }

    static AlertRule rule(Set<String> counts) {
        return new AlertRule("R", "test", EnumSet.of(LinkKind.VEHICLE), AlertRule.Distinct.SECTORS, 2,
                Duration.ofDays(28), EnumSet.allOf(Category.class), List.of(),
                List.of("police-fib", "health-safeguarding", "mash-bpl"), counts);
    }

    final List<LinkedSubmission> linked = List.of(
            s("lancs-police", "p1", "POLICE", "C", Set.of("police-fib", "mash-bpl")),
            s("nhs-lsc", "h1", "HEALTH", "P", Set.of("health-safeguarding", "police-fib")),
            s("bwd-education", "e1", "EDUCATION", "C", Set.of("mash-bpl")));

    @Test
    void aRecipientIsToldOnlyOfWhatItWasSharedAndNoCountsUnlessTheRuleSaysSo() {
        var n = AlertEvaluator.notice(reference, rule(Set.of()), reference.participant("health-safeguarding")
                .orElseThrow(), linked);
        assertThat(n.own()).extracting(LinkedSubmission::submissionId).containsExactly("h1");
        assertThat(n.countsBySector()).isNull();
    }

    @Test
    void countsLeaveOutHandlingCodeCForARecipientOutsideItsSectors() {
        var health = AlertEvaluator.notice(reference, rule(Set.of("health-safeguarding", "police-fib")),
                reference.participant("health-safeguarding").orElseThrow(), linked);
        assertThat(health.countsBySector()).as("HEALTH may not learn of the C submissions").containsOnlyKeys("HEALTH")
                .containsEntry("HEALTH", 1);

        var police = AlertEvaluator.notice(reference, rule(Set.of("health-safeguarding", "police-fib")),
                reference.participant("police-fib").orElseThrow(), linked);
        assertThat(police.countsBySector()).containsEntry("POLICE", 1).containsEntry("HEALTH", 1)
                .containsEntry("EDUCATION", 1);
        assertThat(police.own()).extracting(LinkedSubmission::submissionId).containsExactly("h1", "p1");
    }
}
