package org.safeguarding.hub.whatif;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.safeguarding.hub.partnership.Agreement;
import org.safeguarding.hub.partnership.AgeRange;
import org.safeguarding.hub.partnership.Clause;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.sharing.SharingPlan;
import org.safeguarding.hub.sharing.SharingPlanner;

/**
 * A draft partnership put to the decisions the hub made: for each kept {@link DecisionFacts}, the hub's own planner
 * decides under the draft (on a submission made of the facts alone, so the decision and what is withheld are the
 * planner's and the redactor's, never a second copy of their rules), and each recipient's outcome is set against what
 * it was given. A child's age is kept as a band: where the draft's age ranges split a band, the planner decides at an
 * age of each part, and if the parts differ that recipient's decision cannot be evaluated (never guessed).
 */
public final class WhatIf {
    /** The most age combinations tried for one submission; beyond it its decisions cannot be evaluated. */
    static final int MAX_COMBINATIONS = 256;
    /** The most examples of decisions that cannot be evaluated listed. */
    static final int MAX_EXAMPLES = 50;

    /** One recipient's change under the draft, over the window. */
    public static final class RecipientChange {
        public final String recipient;
        public int gains;
        public int losses;
        public int unchanged;
        public int cannotEvaluate;
        /** Withheld paths (indices dropped) the recipient would now see, by how many submissions. */
        public final Map<String, Integer> fieldsGained = new TreeMap<>();
        /** Paths the recipient would no longer see. */
        public final Map<String, Integer> fieldsLost = new TreeMap<>();

        RecipientChange(String recipient) {
            this.recipient = recipient;
        }
    }

    /** A decision the facts kept cannot settle: whose, and why. */
    public record Unsettled(String partnerId, String submissionId, String recipient, String why) {
    }

    /** The report: each recipient's change, and examples of what could not be evaluated. */
    public record Report(int submissions, List<RecipientChange> recipients, List<Unsettled> unsettled) {
    }

    private WhatIf() {
    }

    public static Report evaluate(Partnership draft, List<DecisionFacts> facts) {
        SharingPlanner planner = new SharingPlanner(draft, new Pseudonymiser(throwawaySecret()));
        Set<Integer> breakpoints = breakpoints(draft);
        Map<String, RecipientChange> changes = new TreeMap<>();
        List<Unsettled> unsettled = new ArrayList<>();
        for (DecisionFacts f : facts) {
            Map<String, Outcome> drafted = decide(planner, f, breakpoints);
            Set<String> recipients = new LinkedHashSet<>(f.decisions().keySet());
            draft.recipients().forEach(p -> recipients.add(p.id()));
            for (String r : recipients) {
                RecipientChange c = changes.computeIfAbsent(r, RecipientChange::new);
                Outcome now = drafted.getOrDefault(r, Outcome.NOT_SHARED);
                DecisionFacts.Made was = f.decisions().get(r);
                boolean wasShared = was != null && "SHARED".equals(was.decision());
                if (now.unsettled != null) {
                    c.cannotEvaluate++;
                    if (unsettled.size() < MAX_EXAMPLES) {
                        unsettled.add(new Unsettled(f.partnerId(), f.submissionId(), r, now.unsettled));
                    }
                } else if (now.shared && !wasShared) {
                    c.gains++;
                } else if (!now.shared && wasShared) {
                    c.losses++;
                } else {
                    c.unchanged++;
                    if (now.shared) {
                        count(c.fieldsGained, minus(was.withheld(), now.withheld));
                        count(c.fieldsLost, minus(now.withheld, was.withheld()));
                    }
                }
            }
        }
        return new Report(facts.size(), new ArrayList<>(changes.values()), unsettled);
    }

    /** A recipient's outcome under the draft: shared (and what is withheld), not, or unsettled (and why). */
    private record Outcome(boolean shared, Set<String> withheld, String unsettled) {
        static final Outcome NOT_SHARED = new Outcome(false, Set.of(), null);
    }

    private static Map<String, Outcome> decide(SharingPlanner planner, DecisionFacts f, Set<Integer> breakpoints) {
        List<List<Integer>> choices = new ArrayList<>();
        long combinations = 1;
        for (AgeBand b : f.childBands()) {
            List<Integer> ages = new ArrayList<>();
            if (b == null) {
                ages.add(null);
            } else {
                ages.addAll(b.representatives(breakpoints));
            }
            choices.add(ages);
            combinations *= ages.size();
        }
        Map<String, Outcome> out = new HashMap<>();
        if (combinations > MAX_COMBINATIONS) {
            for (Participant p : planner.partnership().recipients()) {
                out.put(p.id(), new Outcome(false, Set.of(), "its children's age bands are split too many ways by"
                        + " the draft's age ranges"));
            }
            return out;
        }
        Map<String, Set<Outcome>> seen = new HashMap<>();
        for (List<Integer> ages : product(choices)) {
            SharingPlan plan = planner.plan(f.skeleton(ages), f.receivedAt());
            for (RecipientDecision d : plan.decisions()) {
                seen.computeIfAbsent(d.recipientId(), k -> new HashSet<>())
                        .add(new Outcome(d.shared(), d.shared() ? Set.copyOf(d.withheld()) : Set.of(), null));
            }
        }
        seen.forEach((r, outcomes) -> out.put(r, outcomes.size() == 1 ? outcomes.iterator().next()
                : new Outcome(false, Set.of(), "the draft's age ranges split the age band of a child at risk, and the"
                        + " exact age was not kept")));
        return out;
    }

    /** Every age at which one of the draft's age ranges starts or stops including. */
    static Set<Integer> breakpoints(Partnership draft) {
        Set<Integer> points = new TreeSet<>();
        for (Agreement a : draft.agreements()) {
            for (Clause c : a.clauses()) {
                for (AgeRange r : c.ages()) {
                    points.add(r.from());
                    if (r.to() != null) {
                        points.add(r.to() + 1);
                    }
                }
            }
        }
        return points;
    }

    private static List<List<Integer>> product(List<List<Integer>> choices) {
        List<List<Integer>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        for (List<Integer> options : choices) {
            List<List<Integer>> next = new ArrayList<>();
            for (List<Integer> partial : out) {
                for (Integer age : options) {
                    List<Integer> l = new ArrayList<>(partial);
                    l.add(age);
                    next.add(l);
                }
            }
            out = next;
        }
        return out;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    private static void count(Map<String, Integer> m, Set<String> paths) {
        Set<String> once = new TreeSet<>();
        paths.forEach(p -> once.add(p.replaceAll("\\[\\d+\\]", "[]")));
        once.forEach(p -> m.merge(p, 1, Integer::sum));
    }

    private static byte[] throwawaySecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
