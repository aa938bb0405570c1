package org.safeguarding.hub.partnership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/**
 * The reference partnership's urgency rules and calendar, and the loader's checks of an urgency section: deadlines
 * over a weekend and a bank holiday, the rules (a partner's own urgency wins; the most urgent rule otherwise), the
 * escalation steps in order (a duty inbox first, then the area's MASH, never the recipient itself).
 */
class UrgencyPolicyTest {
    static final String REFERENCE = PartnershipLoader.referencePartnershipYaml();
    final UrgencyPolicy policy = PartnershipLoader.loadReference().urgency();

    @Test
    void priorityMeansByTheStartOfTheNextWorkingDayInLondon() {
        // Thursday 24 December 2026, 15:00 UTC: Friday 25 and Monday 28 are bank holidays, so Tuesday 29 at 08:30
        assertThat(policy.deadline(Urgency.PRIORITY, Instant.parse("2026-12-24T15:00:00Z")))
                .contains(Instant.parse("2026-12-29T08:30:00Z"));
        // a Wednesday before the day starts: that same morning
        assertThat(policy.deadline(Urgency.PRIORITY, Instant.parse("2026-12-02T06:00:00Z")))
                .contains(Instant.parse("2026-12-02T08:30:00Z"));
        // in British Summer Time 08:30 in London is 07:30 UTC; a Friday evening: Monday
        assertThat(policy.deadline(Urgency.PRIORITY, Instant.parse("2027-06-04T18:00:00Z")))
                .contains(Instant.parse("2027-06-07T07:30:00Z"));
        assertThat(policy.deadline(Urgency.IMMEDIATE, Instant.parse("2027-06-04T18:00:00Z")))
                .contains(Instant.parse("2027-06-04T19:00:00Z"));
        assertThat(policy.deadline(Urgency.ROUTINE, Instant.parse("2027-06-04T18:00:00Z"))).isEmpty();
    }

    @Test
    void aPartnersOwnUrgencyWinsAndOtherwiseTheMostUrgentRule() {
        assertThat(policy.classify(null, false, 15, false)).isEqualTo(Urgency.ROUTINE);
        assertThat(policy.classify(null, false, 12, false)).isEqualTo(Urgency.PRIORITY);
        assertThat(policy.classify(null, false, null, true)).isEqualTo(Urgency.PRIORITY);
        assertThat(policy.classify(null, true, 12, true)).isEqualTo(Urgency.IMMEDIATE);
        assertThat(policy.classify("ROUTINE", true, 12, true)).isEqualTo(Urgency.ROUTINE);
        assertThat(policy.classify("IMMEDIATE", false, null, false)).isEqualTo(Urgency.IMMEDIATE);
    }

    @Test
    void escalationGoesToTheDutyInboxThenTheAreaMashAndNeverToTheRecipientItself() {
        Partnership withDuty = PartnershipLoader.parse(REFERENCE.replace("dutyInboxes: {}",
                "dutyInboxes: {vcs-missing: health-safeguarding}").getBytes(StandardCharsets.UTF_8), "test");
        UrgencyPolicy p = withDuty.urgency();
        assertThat(p.escalationTarget(1, "vcs-missing", Area.BPL)).contains("health-safeguarding");
        assertThat(p.escalationTarget(2, "vcs-missing", Area.BPL)).contains("mash-bpl");
        assertThat(p.escalationTarget(3, "vcs-missing", Area.BPL)).isEmpty();
        assertThat(p.escalationTarget(1, "police-fib", Area.LANCS)).as("no duty inbox: the MASH").contains("mash-lancs");
        assertThat(p.escalationTarget(1, "mash-bpl", Area.BPL)).as("not itself").isEmpty();
        assertThat(p.escalationTarget(1, "police-fib", null)).as("area unknown (a recall)").isEmpty();
        assertThat(PartnershipLoader.parse(REFERENCE.substring(0, REFERENCE.indexOf("\nurgency:\n") + 1)
                .getBytes(StandardCharsets.UTF_8), "none").urgency()).as("without the section").isEqualTo(UrgencyPolicy.NONE);
        assertThat(UrgencyPolicy.NONE.deadline(Urgency.IMMEDIATE, Instant.EPOCH)).contains(Instant.EPOCH.plus(Duration.ofHours(1)));
    }

    @Test
    void aWrongUrgencySectionIsRefusedAtItsPaths() {
        String broken = REFERENCE.replace("zone: Europe/London", "zone: Mars/Olympus")
                .replace("immediateWithin: PT1H", "immediateWithin: soon")
                .replace("dutyInboxes: {}", "dutyInboxes: {vcs-missing: nobody, lancs-police: mash-bpl}")
                .replace("areaMash: {BWD: mash-bwd,", "areaMash: {NORTH: mash-bwd, BWD: lancs-police,")
                .replace("{when: MISSING_OPEN, urgency: IMMEDIATE}", "{when: FULL_MOON, urgency: SOON}")
                .replace("workingDays: [MONDAY,", "workingDays: [FUNDAY,");
        assertThatThrownBy(() -> PartnershipLoader.parse(broken.getBytes(StandardCharsets.UTF_8), "broken"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.errors()).extracting(FieldError::path)
                        .contains("urgency.zone", "urgency.immediateWithin", "urgency.dutyInboxes.vcs-missing",
                                "urgency.dutyInboxes.lancs-police", "urgency.areaMash.NORTH", "urgency.areaMash.BWD",
                                "urgency.rules[0].when", "urgency.rules[0].urgency", "urgency.workingDays[0]"));
    }
}
