package org.safeguarding.hub.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.safeguarding.hub.partnership.AgeRange;
import org.safeguarding.hub.partnership.Agreement;
import org.safeguarding.hub.partnership.AgreementStatus;
import org.safeguarding.hub.partnership.AreaRule;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.Classification;
import org.safeguarding.hub.partnership.Clause;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.Purpose;
import org.safeguarding.hub.partnership.RedactionProfile;
import org.safeguarding.hub.partnership.Sector;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * Decisions never depend on the order of the configuration's entries: participants, agreements,
 * clauses and profiles shuffled give the same decision and package for every recipient. The
 * reference partnership is widened with agreements that name already-named recipients (an
 * older expired version of CS-CORE, and CS-WIDE) so that precedence is really exercised.
 */
class OrderIndependencePropertiesTest {
    private static final Partnership WIDENED = widened();

    @Provide
    Arbitrary<ValidSubmission> submissions() {
        return Submissions.valid();
    }

    @Provide
    Arbitrary<Instant> times() {
        return Submissions.receivedAt();
    }

    @Property(tries = 200)
    void shufflingTheConfigurationChangesNoDecision(@ForAll("submissions") ValidSubmission s,
                                                    @ForAll("times") Instant receivedAt,
                                                    @ForAll long shuffleSeed) {
        Pseudonymiser pseudonymiser = new Pseudonymiser(Scenario.SECRET);
        SharingPlan original = new SharingPlanner(WIDENED, pseudonymiser).plan(s, receivedAt);
        SharingPlan shuffled = new SharingPlanner(shuffle(WIDENED, new Random(shuffleSeed)), pseudonymiser).plan(s, receivedAt);

        assertThat(byRecipient(shuffled)).isEqualTo(byRecipient(original));
        assertThat(packages(shuffled)).isEqualTo(packages(original));
    }

    private static Map<String, RecipientDecision> byRecipient(SharingPlan p) {
        return p.decisions().stream().collect(Collectors.toMap(RecipientDecision::recipientId, d -> d));
    }

    private static Map<String, String> packages(SharingPlan p) {
        return p.packages().stream().collect(Collectors.toMap(RecipientPackage::recipientId,
                x -> x.redactedSubmission().toString() + x.redactions()));
    }

    static Partnership shuffle(Partnership p, Random random) {
        List<Participant> participants = new ArrayList<>(p.participants());
        Collections.shuffle(participants, random);
        List<Agreement> agreements = new ArrayList<>();
        for (Agreement a : p.agreements()) {
            List<Clause> clauses = new ArrayList<>(a.clauses());
            Collections.shuffle(clauses, random);
            agreements.add(new Agreement(a.id(), a.version(), a.precedence(), a.status(), a.validFrom(), a.validTo(),
                    a.title(), clauses));
        }
        Collections.shuffle(agreements, random);
        List<Map.Entry<Sector, RedactionProfile>> profiles = new ArrayList<>(p.profiles().entrySet());
        Collections.shuffle(profiles, random);
        Map<Sector, RedactionProfile> profileMap = new LinkedHashMap<>();
        profiles.forEach(e -> profileMap.put(e.getKey(), e.getValue()));
        return new Partnership(p.name(), p.source(), p.digest(), participants, agreements, profileMap,
                p.conditionalHandlingSectors());
    }

    private static Partnership widened() {
        Partnership p = Scenario.PARTNERSHIP;
        List<Agreement> agreements = new ArrayList<>(p.agreements());
        Agreement core = agreements.get(0);
        agreements.add(new Agreement("CS-CORE", 2, core.precedence(), AgreementStatus.EXPIRED,
                LocalDate.parse("2024-01-01"), LocalDate.parse("2025-12-31"), "older core", core.clauses()));
        List<AgeRange> young = List.of(new AgeRange(0, 25, Set.of()));
        agreements.add(new Agreement("CS-WIDE", 1, 6, AgreementStatus.ACTIVE, LocalDate.parse("2025-01-01"),
                LocalDate.parse("2027-12-31"), "wide", List.of(
                new Clause("vcs-missing", AreaRule.any(), EnumSet.allOf(Category.class),
                        EnumSet.of(Purpose.SAFEGUARDING, Purpose.PREVENTION), young,
                        EnumSet.allOf(Classification.class), null),
                new Clause("education-bwd", AreaRule.any(), EnumSet.of(Category.CSE, Category.TRAFFICKING),
                        EnumSet.allOf(Purpose.class), young, EnumSet.allOf(Classification.class), null),
                new Clause("police-fib", AreaRule.any(), EnumSet.allOf(Category.class), EnumSet.allOf(Purpose.class),
                        List.of(new AgeRange(0, null, Set.of())), EnumSet.allOf(Classification.class), null))));
        return new Partnership(p.name(), p.source(), p.digest(), p.participants(), agreements, p.profiles(),
                p.conditionalHandlingSectors());
    }
}
