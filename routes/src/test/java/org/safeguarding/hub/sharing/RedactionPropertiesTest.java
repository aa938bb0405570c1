package org.safeguarding.hub.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.safeguarding.hub.partnership.ContextType;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.RedactionProfile;
import org.safeguarding.hub.partnership.RedactionProfile.GroupRule;
import org.safeguarding.hub.routing.PackageBuilder;
import org.safeguarding.hub.submission.ValidSubmission;
import org.safeguarding.hub.testing.PackageSchema;
import org.safeguarding.hub.testing.RealParts;

/**
 * For random valid submissions, no package ever holds a group that its recipient's profile withholds, and every package
 * validates against the published package schema.
 */
class RedactionPropertiesTest {
    private static final Set<String> TOP = Set.of("submissionId", "partnerId", "submittedAt", "area", "categories",
            "purpose", "classification", "handling", "grading", "source", "subjects", "contexts", "narrative",
            "missingEpisode", "attachments");
    private static final Set<String> SUBJECT = Set.of("ref", "role", "age", "ageYears", "identity", "lookedAfter", "health");

    private final SharingPlanner planner = new SharingPlanner(Scenario.PARTNERSHIP, new Pseudonymiser(Scenario.SECRET));
    private final PackageBuilder packages = new PackageBuilder(RealParts.JSON);

    @Provide
    Arbitrary<ValidSubmission> submissions() {
        return Submissions.valid();
    }

    @Property(tries = 300)
    void noPackageHoldsAWithheldGroup(@ForAll("submissions") ValidSubmission s) {
        SharingPlan plan = planner.plan(s, Scenario.CLOCK);
        for (RecipientPackage p : plan.packages()) {
            Participant recipient = Scenario.PARTNERSHIP.participant(p.recipientId()).orElseThrow();
            RedactionProfile profile = Scenario.PARTNERSHIP.profile(recipient.sector());
            ObjectNode out = p.redactedSubmission();
            String who = p.recipientId();

            assertThat(names(out)).as(who).isSubsetOf(TOP);
            out.get("subjects").forEach(x -> assertThat(names(x)).as(who).isSubsetOf(SUBJECT));
            if (profile.source() != RedactionProfile.SourceRule.FULL) {
                assertThat(out.has("source")).as(who).isFalse();
            }
            if (profile.source() == RedactionProfile.SourceRule.WITHHELD) {
                assertThat(out.has("grading")).as(who).isFalse();
            }
            for (JsonNode subject : out.get("subjects")) {
                if (profile.health() == GroupRule.WITHHELD) {
                    assertThat(subject.has("health")).as(who).isFalse();
                }
                if (profile.care() == GroupRule.WITHHELD) {
                    assertThat(subject.has("lookedAfter")).as(who).isFalse();
                }
                boolean child = subject.get("role").asText().equals("CHILD_AT_RISK");
                switch (profile.identity()) {
                    case DROP_OTHER_SUBJECTS -> assertThat(child).as(who).isTrue();
                    case PSEUDONYM_FOR_OTHER_ROLES -> {
                        if (!child && subject.has("identity")) {
                            assertThat(names(subject.get("identity"))).as(who).containsExactly("pseudonym");
                        }
                    }
                    case WITHHELD -> assertThat(subject.has("identity")).as(who).isFalse();
                    case FULL -> { }
                }
            }
            switch (profile.narrative()) {
                case WITHHELD -> assertThat(out.has("narrative")).as(who).isFalse();
                case SCRUBBED -> {
                    if (out.has("narrative")) {
                        assertThat(out.get("narrative").asText()).as(who)
                                .doesNotContain("07700", "x@y.org", "BB2 6TT", "999 000 0018");
                    }
                }
                case FULL -> { }
            }
            if (profile.contexts() == RedactionProfile.ContextRule.WITHHELD) {
                assertThat(out.has("contexts")).as(who).isFalse();
            }
            if (out.has("contexts")) {
                assertThat(out.get("contexts")).as(who).isNotEmpty();
                out.get("contexts").forEach(c -> assertThat(profile.keepsContext(ContextType.valueOf(c.get("type").asText())))
                        .as(who).isTrue());
            }
            if (profile.episode() == GroupRule.WITHHELD) {
                assertThat(out.has("missingEpisode")).as(who).isFalse();
            }
            if (profile.attachments() == GroupRule.WITHHELD) {
                assertThat(out.has("attachments")).as(who).isFalse();
            }
            // handling, and its conditions, travel with every package
            assertThat(out.get("handling")).as(who).isEqualTo(s.json().get("handling"));
            // every withheld path names something the submission has and the package lacks
            for (String path : p.redactions()) {
                assertThat(s.json().at(pointer(path)).isMissingNode()).as(who + " " + path).isFalse();
            }
            assertThat(Set.copyOf(p.redactions())).isEqualTo(p.decision().withheld());
            Participant partner = Scenario.PARTNERSHIP.participant(s.partnerId()).orElseThrow();
            PackageSchema.read(packages.build(java.util.UUID.nameUUIDFromBytes(who.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
                    s.submissionId(), partner, p, Scenario.CLOCK));
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> out = new java.util.HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    /** subjects[1].health -> /subjects/1/health */
    private static String pointer(String path) {
        return "/" + path.replaceAll("\\[(\\d+)]", "/$1").replace('.', '/');
    }
}
