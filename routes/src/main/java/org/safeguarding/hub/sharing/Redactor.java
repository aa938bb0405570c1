package org.safeguarding.hub.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.safeguarding.hub.partnership.ContextType;
import org.safeguarding.hub.partnership.RedactionProfile;
import org.safeguarding.hub.partnership.RedactionProfile.GroupRule;
import org.safeguarding.hub.submission.SubjectFacts;
import org.safeguarding.hub.submission.SubjectRole;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * Builds what one recipient sees of a submission, by its sector's {@link RedactionProfile}. The
 * package is built by copying what the profile allows into a new tree (never by deleting from a
 * copy), so a field that no rule names cannot reach a recipient. Withheld paths follow
 * SCENARIO.md: a withheld key is absent and listed ({@code source}, {@code subjects[0].health},
 * {@code contexts[2]}); a dropped subject is listed once as {@code subjects[i]}; when every
 * context is filtered out the key is absent and {@code contexts} is listed; a pseudonymised
 * identity or a scrubbed narrative is not withheld. Every subject keeps {@code ref},
 * {@code role} and {@code age} (whole years at {@code submittedAt}, absent when unknown).
 */
public final class Redactor {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Fields every recipient sees. */
    static final java.util.List<String> ALWAYS = java.util.List.of(
            "submissionId", "partnerId", "submittedAt", "area", "categories", "purpose", "classification", "handling");

    private final Pseudonymiser pseudonymiser;
    private final NarrativeScrubber scrubber;

    public Redactor(Pseudonymiser pseudonymiser, NarrativeScrubber scrubber) {
        this.pseudonymiser = Objects.requireNonNull(pseudonymiser, "pseudonymiser");
        this.scrubber = Objects.requireNonNull(scrubber, "scrubber");
    }

    /** The redacted submission and the withheld paths. */
    public record Redaction(ObjectNode submission, Set<String> withheld) {
    }

    public Redaction redact(ValidSubmission s, String recipientId, RedactionProfile profile) {
        ObjectNode in = s.json();
        ObjectNode out = F.objectNode();
        Set<String> withheld = new TreeSet<>();
        for (String key : ALWAYS) {
            copy(in, out, key);
        }
        // SOURCE
        if (in.has("grading")) {
            if (profile.source() == RedactionProfile.SourceRule.WITHHELD) {
                withheld.add("grading");
            } else {
                copy(in, out, "grading");
            }
        }
        if (in.has("source")) {
            if (profile.source() == RedactionProfile.SourceRule.FULL) {
                copy(in, out, "source");
            } else {
                withheld.add("source");
            }
        }
        out.set("subjects", subjects(s, recipientId, profile, withheld));
        // CONTEXTS
        if (in.has("contexts")) {
            ArrayNode kept = F.arrayNode();
            JsonNode contexts = in.get("contexts");
            for (int i = 0; i < contexts.size(); i++) {
                JsonNode c = contexts.get(i);
                if (profile.keepsContext(ContextType.valueOf(c.get("type").asText()))) {
                    kept.add(c.deepCopy());
                } else {
                    withheld.add("contexts[" + i + "]");
                }
            }
            if (kept.isEmpty() && !contexts.isEmpty()) {
                withheld.removeIf(p -> p.startsWith("contexts["));
                withheld.add("contexts");
            } else {
                out.set("contexts", kept);
            }
        }
        // NARRATIVE
        if (in.has("narrative")) {
            switch (profile.narrative()) {
                case FULL -> copy(in, out, "narrative");
                case SCRUBBED -> out.put("narrative", scrubber.scrub(in.get("narrative").asText()));
                case WITHHELD -> withheld.add("narrative");
            }
        }
        group(in, out, "missingEpisode", profile.episode(), "missingEpisode", withheld);
        group(in, out, "attachments", profile.attachments(), "attachments", withheld);
        return new Redaction(out, withheld);
    }

    private ArrayNode subjects(ValidSubmission s, String recipientId, RedactionProfile profile, Set<String> withheld) {
        ArrayNode out = F.arrayNode();
        JsonNode subjects = s.json().get("subjects");
        for (int i = 0; i < subjects.size(); i++) {
            JsonNode in = subjects.get(i);
            SubjectFacts facts = s.subjects().get(i);
            boolean child = facts.role() == SubjectRole.CHILD_AT_RISK;
            String at = "subjects[" + i + "]";
            if (!child && profile.identity() == RedactionProfile.IdentityRule.DROP_OTHER_SUBJECTS) {
                withheld.add(at);
                continue;
            }
            ObjectNode o = F.objectNode();
            copy(in, o, "ref");
            copy(in, o, "role");
            if (facts.age() != null) {
                o.put("age", facts.age().intValue());
            }
            copy(in, o, "ageYears");
            if (in.has("identity")) {
                switch (profile.identity()) {
                    case FULL, DROP_OTHER_SUBJECTS -> copy(in, o, "identity");
                    case PSEUDONYM_FOR_OTHER_ROLES -> {
                        if (child) {
                            copy(in, o, "identity");
                        } else {
                            o.putObject("identity").put("pseudonym",
                                    pseudonymiser.pseudonym(recipientId, Pseudonymiser.subjectKey(s.partnerId(), in)));
                        }
                    }
                    case WITHHELD -> withheld.add(at + ".identity");
                }
            }
            group(in, o, "lookedAfter", profile.care(), at + ".lookedAfter", withheld);
            group(in, o, "health", profile.health(), at + ".health", withheld);
            out.add(o);
        }
        return out;
    }

    private static void group(JsonNode in, ObjectNode out, String key, GroupRule rule, String path, Set<String> withheld) {
        if (!in.has(key)) {
            return;
        }
        if (rule == GroupRule.FULL) {
            copy(in, out, key);
        } else {
            withheld.add(path);
        }
    }

    private static void copy(JsonNode in, ObjectNode out, String key) {
        JsonNode v = in.get(key);
        if (v != null) {
            out.set(key, v.deepCopy());
        }
    }
}
