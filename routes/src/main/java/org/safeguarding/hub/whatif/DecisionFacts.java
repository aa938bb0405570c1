package org.safeguarding.hub.whatif;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.safeguarding.hub.partnership.Area;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.Classification;
import org.safeguarding.hub.partnership.Purpose;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.submission.HandlingCode;
import org.safeguarding.hub.submission.SubjectFacts;
import org.safeguarding.hub.submission.SubjectRole;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * What one routed submission's decisions turned on, and nothing of its content: the partner, area, categories,
 * purpose, classification and handling code; each subject's role, age band, whether looked after and by which placing
 * authority, and which of its groups (identity, care, health) were present; which other groups were (grading, source,
 * narrative, missing episode, attachments) and the types of its contexts; and each recipient's decision as made. A
 * draft partnership is evaluated against these ({@link WhatIf}); a condition needing a fact not kept (an exact age
 * inside a band) cannot be evaluated.
 */
public record DecisionFacts(String partnerId, String submissionId, Instant receivedAt, Area area,
                            Set<Category> categories, Purpose purpose, Classification classification,
                            HandlingCode handlingCode, List<Subject> subjects, Set<String> groups,
                            List<String> contextTypes, Map<String, Made> decisions) {
    /** The groups besides the subjects' and the contexts that a redaction profile may withhold. */
    static final List<String> GROUPS = List.of("grading", "source", "narrative", "missingEpisode", "attachments");
    /** The groups of a subject that a redaction profile may withhold. */
    static final List<String> SUBJECT_GROUPS = List.of("identity", "lookedAfter", "health");

    /** One subject: role, age band (null: no age given), care, and which of its groups were present. */
    public record Subject(SubjectRole role, AgeBand band, boolean lookedAfter, String placingAuthority,
                          Set<String> groups) {
    }

    /** A recipient's decision as the hub made it: SHARED or NOT_SHARED, the agreement, the reason, what was withheld. */
    public record Made(String decision, String agreementId, Integer agreementVersion, String reasonCode,
                       Set<String> withheld) {
    }

    /** The facts of {@code s}, received at {@code receivedAt}, decided as {@code decisions}. */
    public static DecisionFacts of(ValidSubmission s, Instant receivedAt, List<RecipientDecision> decisions) {
        ObjectNode json = s.json();
        List<Subject> subjects = new ArrayList<>();
        JsonNode subjectNodes = json.path("subjects");
        for (SubjectFacts f : s.subjects()) {
            JsonNode n = subjectNodes.path(f.index());
            Set<String> present = new TreeSet<>();
            for (String g : SUBJECT_GROUPS) {
                if (n.has(g)) {
                    present.add(g);
                }
            }
            subjects.add(new Subject(f.role(), f.age() == null ? null : AgeBand.of(f.age()), f.lookedAfter(),
                    f.isChildAtRisk() ? f.placingAuthority() : null, present));
        }
        Set<String> groups = new TreeSet<>();
        for (String g : GROUPS) {
            if (json.has(g)) {
                groups.add(g);
            }
        }
        List<String> contexts = new ArrayList<>();
        json.path("contexts").forEach(c -> contexts.add(c.path("type").asText()));
        Map<String, Made> made = new LinkedHashMap<>();
        for (RecipientDecision d : decisions) {
            made.put(d.recipientId(), new Made(d.decision().name(), d.agreementId(), d.agreementVersion(),
                    d.reason() == null ? null : d.reason().name(), new TreeSet<>(d.withheld())));
        }
        return new DecisionFacts(s.partnerId(), s.submissionId(), receivedAt, s.area(),
                s.categories().isEmpty() ? Set.of() : EnumSet.copyOf(s.categories()), s.purpose(), s.classification(),
                s.handlingCode(), subjects, groups, contexts, made);
    }

    /**
     * A submission with these facts and nothing else, as the planner and the redactor read one: every group that was
     * present is there (empty), each subject with {@code ages}' age (for children at risk, in order; null: none).
     */
    ValidSubmission skeleton(List<Integer> ages) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode json = f.objectNode();
        json.put("submissionId", submissionId);
        json.put("partnerId", partnerId);
        json.put("area", area.name());
        ArrayNode cats = json.putArray("categories");
        categories.forEach(c -> cats.add(c.name()));
        json.put("purpose", purpose.name());
        json.put("classification", classification.name());
        json.putObject("handling").put("code", handlingCode.name());
        for (String g : groups) {
            switch (g) {
                case "narrative" -> json.put(g, "");
                case "attachments" -> json.putArray(g);
                default -> json.putObject(g);
            }
        }
        ArrayNode subjectNodes = json.putArray("subjects");
        List<SubjectFacts> facts = new ArrayList<>();
        int child = 0;
        for (int i = 0; i < subjects.size(); i++) {
            Subject s = subjects.get(i);
            ObjectNode n = subjectNodes.addObject();
            n.put("ref", "s" + i);
            n.put("role", s.role().name());
            s.groups().forEach(n::putObject);
            Integer age = null;
            if (s.role() == SubjectRole.CHILD_AT_RISK) {
                age = ages.get(child++);
            }
            facts.add(new SubjectFacts(i, "s" + i, s.role(), age, s.lookedAfter(), s.placingAuthority()));
        }
        if (!contextTypes.isEmpty()) {
            ArrayNode contexts = json.putArray("contexts");
            contextTypes.forEach(t -> contexts.addObject().put("type", t));
        }
        return new ValidSubmission(json, submissionId, partnerId, receivedAt, area, categories, purpose,
                classification, handlingCode, handlingCode == HandlingCode.C ? "" : null, facts);
    }

    /** The bands of the children at risk, in order. */
    List<AgeBand> childBands() {
        List<AgeBand> bands = new ArrayList<>();
        for (Subject s : subjects) {
            if (s.role() == SubjectRole.CHILD_AT_RISK) {
                bands.add(s.band());
            }
        }
        return bands;
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** As the registry keeps them. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DecisionFacts fromJson(String text) {
        try {
            return JSON.readValue(text, DecisionFacts.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The change that keeps them in the registry, with the step that routed the submission. */
    public org.safeguarding.hub.registry.RegistryChange.Facts change() {
        return new org.safeguarding.hub.registry.RegistryChange.Facts(partnerId, submissionId, receivedAt, toJson());
    }

    /** Identifiers only. */
    @Override
    public String toString() {
        return "DecisionFacts[" + partnerId + "/" + submissionId + "]";
    }
}
