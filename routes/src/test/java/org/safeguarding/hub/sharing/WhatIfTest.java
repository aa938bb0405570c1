package org.safeguarding.hub.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.submission.ValidSubmission;
import org.safeguarding.hub.whatif.DecisionFacts;
import org.safeguarding.hub.whatif.WhatIf;

/**
 * The what-if over the facts the hub keeps: put to the partnership that made the decisions, the facts alone give back
 * every decision and every withheld path exactly, for the scenario's cases and 600 generated submissions (so nothing a
 * decision or a redaction turns on is missing from the facts); a draft that narrows a clause loses a recipient its
 * submissions, one that widens a profile gains it fields, and one whose age range splits a child's age band cannot
 * evaluate that decision, rather than guess.
 */
class WhatIfTest {
    static final List<String> CASES = List.of("C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08");

    private static DecisionFacts facts(ValidSubmission s) {
        SharingPlan plan = new SharingPlanner(Scenario.PARTNERSHIP, new Pseudonymiser(Scenario.SECRET))
                .plan(s, Scenario.CLOCK);
        // as kept: through the registry's JSON
        return DecisionFacts.fromJson(DecisionFacts.of(s, Scenario.CLOCK, plan.decisions()).toJson());
    }

    private static Partnership draft(UnaryOperator<String> edit) {
        String yaml = PartnershipLoader.referencePartnershipYaml();
        String edited = edit.apply(yaml);
        assertThat(edited).as("the edit applied").isNotEqualTo(yaml);
        return PartnershipLoader.parse(edited.getBytes(StandardCharsets.UTF_8), "draft");
    }

    private static Map<String, WhatIf.RecipientChange> byRecipient(WhatIf.Report r) {
        Map<String, WhatIf.RecipientChange> m = new TreeMap<>();
        r.recipients().forEach(c -> m.put(c.recipient, c));
        return m;
    }

    @Test
    void theFactsAloneGiveBackEveryDecisionAndEveryWithheldPath() {
        List<DecisionFacts> all = new ArrayList<>();
        CASES.forEach(c -> all.add(facts(Scenario.submission(c))));
        for (long seed = 1; seed <= 600; seed++) {
            all.add(facts(Submissions.build(seed)));
        }

        WhatIf.Report r = WhatIf.evaluate(Scenario.PARTNERSHIP, all);

        assertThat(r.submissions()).isEqualTo(all.size());
        int decided = 0;
        int unsettled = 0;
        for (WhatIf.RecipientChange c : r.recipients()) {
            unsettled += c.cannotEvaluate;
            assertThat(c.gains).as(c.recipient + " gains").isZero();
            assertThat(c.losses).as(c.recipient + " losses").isZero();
            assertThat(c.fieldsGained).as(c.recipient + " fields gained").isEmpty();
            assertThat(c.fieldsLost).as(c.recipient + " fields lost").isEmpty();
            decided += c.unchanged;
            // only a band the partnership's own ranges split is left unsettled
            assertThat(c.cannotEvaluate).as(c.recipient).isLessThan(all.size() / 5);
        }
        assertThat(decided + unsettled).as("every recipient of every submission")
                .isEqualTo(all.size() * Scenario.PARTNERSHIP.recipients().size());
        assertThat(unsettled).as("settled: all but the bands the partnership's own ranges split")
                .isLessThan((decided + unsettled) / 5);
    }

    @Test
    void aNarrowedClauseLosesTheRecipientItsSubmissions() {
        DecisionFacts c01 = facts(Scenario.submission("C01")); // CCE in Blackpool: police-fib SHARED under CS-CORE
        Partnership draft = draft(y -> y.replaceFirst("(- recipient: police-fib\\n\\s+areas: ANY\\n\\s+)categories: ALL",
                "$1categories: [CSE]"));

        Map<String, WhatIf.RecipientChange> r = byRecipient(WhatIf.evaluate(draft, List.of(c01)));

        assertThat(r.get("police-fib").losses).isEqualTo(1);
        assertThat(r.get("mash-bpl").unchanged).isEqualTo(1);
        assertThat(r.get("mash-bpl").losses + r.get("mash-bpl").gains).isZero();
    }

    @Test
    void aWidenedProfileGainsTheRecipientFields() {
        DecisionFacts c01 = facts(Scenario.submission("C01")); // police-fib: subjects[0].health withheld
        Partnership draft = draft(y -> y.replaceFirst("(POLICE:\\n\\s+identity: FULL\\n\\s+)health: WITHHELD",
                "$1health: FULL"));

        WhatIf.RecipientChange police = byRecipient(WhatIf.evaluate(draft, List.of(c01))).get("police-fib");

        assertThat(police.unchanged).isEqualTo(1);
        assertThat(police.fieldsGained).containsExactly(Map.entry("subjects[].health", 1));
        assertThat(police.fieldsLost).isEmpty();
    }

    @Test
    void anAgeRangeThatSplitsAChildsBandCannotBeEvaluated() {
        DecisionFacts c01 = facts(Scenario.submission("C01")); // the child at risk is 15: band 13-15
        Partnership splits = draft(y -> y.replaceFirst("(- recipient: police-fib\\n(?:\\s+\\w+: .*\\n){3}\\s+ages:\\n"
                + "\\s+)- \\{ from: 0, to: 17 \\}", "$1- { from: 0, to: 14 }"));
        Partnership whole = draft(y -> y.replaceFirst("(- recipient: police-fib\\n(?:\\s+\\w+: .*\\n){3}\\s+ages:\\n"
                + "\\s+)- \\{ from: 0, to: 17 \\}", "$1- { from: 0, to: 12 }"));

        WhatIf.Report split = WhatIf.evaluate(splits, List.of(c01));
        assertThat(byRecipient(split).get("police-fib").cannotEvaluate).isEqualTo(1);
        assertThat(split.unsettled()).singleElement().satisfies(u -> {
            assertThat(u.recipient()).isEqualTo("police-fib");
            assertThat(u.why()).contains("age band");
        });
        // a range that leaves the whole band out is decided: police-fib loses it
        assertThat(byRecipient(WhatIf.evaluate(whole, List.of(c01))).get("police-fib").losses).isEqualTo(1);
    }

    @Test
    void theKeptFactsHoldNoContent() {
        String kept = DecisionFacts.of(Scenario.submission("C01"), Scenario.CLOCK, Scenario.plan("C01").decisions())
                .toJson();
        assertThat(kept).contains("\"area\":\"BPL\"").contains("\"band\":\"13-15\"")
                .doesNotContain("Jamie").doesNotContain("9990000018").doesNotContain("2011-03-02")
                .doesNotContain("PN19").doesNotContain("FY1").doesNotContain("bruising").doesNotContain("Snapchat")
                .doesNotContain("takeaway").doesNotContain("PC 4411").doesNotContain("LP-C-1");
    }
}
