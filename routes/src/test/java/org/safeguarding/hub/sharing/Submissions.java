package org.safeguarding.hub.sharing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;

/** jqwik generators of random valid submissions of the reference partnership, run through the real validator. */
final class Submissions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PARTNERS = List.of("lancs-police", "nhs-lsc", "bwd-education", "bpl-education",
            "lancs-vcs", "bpl-csc");
    private static final List<String> CATEGORIES = List.of("CSE", "CCE", "TRAFFICKING", "MODERN_SLAVERY", "MISSING");
    private static final List<String> CONTEXT_TYPES = List.of("LOCATION", "PEER_GROUP", "SCHOOL", "ONLINE", "VEHICLE", "BUSINESS");
    private static final List<String> NHS = List.of("9990000018", "9990000026", "9990000034", "9434765919");
    private static final List<String> ROLES = List.of("CHILD_AT_RISK", "PERSON_OF_CONCERN", "ASSOCIATE");

    private Submissions() {
    }

    static Arbitrary<ValidSubmission> valid() {
        Arbitrary<Long> seeds = Arbitraries.longs();
        return seeds.map(Submissions::build);
    }

    /** One submission from a seed (a small deterministic generator keeps every field's rule in one place). */
    static ValidSubmission build(long seed) {
        java.util.Random r = new java.util.Random(seed);
        String partnerId = PARTNERS.get(r.nextInt(PARTNERS.size()));
        Participant partner = Scenario.PARTNERSHIP.participant(partnerId).orElseThrow();
        List<String> areas = partner.submitAreas().stream().map(Enum::name).sorted().toList();
        Instant submittedAt = Scenario.CLOCK.minusSeconds(r.nextInt(6 * 24 * 3600));
        LocalDate today = LocalDate.ofInstant(submittedAt, java.time.ZoneOffset.UTC);
        ObjectNode s = JSON.createObjectNode();
        s.put("submissionId", new java.util.UUID(r.nextLong(), r.nextLong()).toString());
        s.put("partnerId", partnerId);
        s.put("submittedAt", submittedAt.toString());
        s.put("area", areas.get(r.nextInt(areas.size())));
        ArrayNode cats = s.putArray("categories");
        for (String c : CATEGORIES) {
            if (r.nextInt(3) == 0) {
                cats.add(c);
            }
        }
        if (cats.isEmpty()) {
            cats.add(CATEGORIES.get(r.nextInt(CATEGORIES.size())));
        }
        s.put("purpose", List.of("SAFEGUARDING", "PREVENTION", "DISRUPTION", "DETECTION_PROSECUTION").get(r.nextInt(4)));
        s.put("classification", r.nextBoolean() ? "OFFICIAL" : "OFFICIAL_SENSITIVE");
        ObjectNode handling = s.putObject("handling");
        if (r.nextInt(4) == 0) {
            handling.put("code", "C").put("conditions", "Contact the originator before any action");
        } else {
            handling.put("code", "P");
        }
        if (partnerId.equals("lancs-police") || r.nextInt(4) == 0) {
            s.putObject("grading").put("source", String.valueOf(1 + r.nextInt(3))).put("intelligence", "ABCDE".substring(r.nextInt(5)).substring(0, 1));
        }
        if (r.nextBoolean()) {
            s.putObject("source").put("officerRef", "PC 1").put("sourceType", "CHIS").put("sourceDetails", "protected source");
        }
        ArrayNode subjects = s.putArray("subjects");
        int n = 1 + r.nextInt(4);
        int child = r.nextInt(n);
        for (int i = 0; i < n; i++) {
            ObjectNode sub = subjects.addObject();
            sub.put("ref", "REF-" + i);
            sub.put("role", i == child ? "CHILD_AT_RISK" : ROLES.get(r.nextInt(ROLES.size())));
            if (r.nextInt(5) > 0) {
                ObjectNode id = sub.putObject("identity");
                if (r.nextBoolean()) {
                    id.put("name", "Person " + r.nextInt(1000));
                }
                if (r.nextBoolean()) {
                    id.put("dateOfBirth", today.minusDays(r.nextInt(30 * 365)).toString());
                }
                if (r.nextInt(3) == 0) {
                    id.put("nhsNumber", NHS.get(r.nextInt(NHS.size())));
                }
                if (r.nextInt(4) == 0) {
                    id.put("upn", "Q890200126001");
                }
                if (r.nextBoolean()) {
                    id.put("address", "1 Example Street").put("postcode", "FY1 4AB");
                }
            }
            if (r.nextInt(3) == 0) {
                sub.put("ageYears", r.nextInt(40));
            }
            if (r.nextInt(3) == 0) {
                sub.putObject("lookedAfter").put("isLookedAfter", r.nextBoolean())
                        .put("placingAuthority", r.nextBoolean() ? "MANCHESTER" : "Lancashire");
            }
            if (r.nextInt(3) == 0) {
                sub.putObject("health").put("summary", "health detail").put("mentalHealth", "mental health detail");
            }
        }
        if (r.nextBoolean()) {
            ArrayNode contexts = s.putArray("contexts");
            int k = 1 + r.nextInt(4);
            for (int i = 0; i < k; i++) {
                contexts.addObject().put("type", CONTEXT_TYPES.get(r.nextInt(CONTEXT_TYPES.size())))
                        .put("description", "context " + i);
            }
        }
        if (r.nextInt(4) > 0) {
            s.put("narrative", "Adult uses 07700 900123 and x@y.org near BB2 6TT; NHS 999 000 0018.");
        }
        boolean missing = cats.toString().contains("MISSING");
        if (missing || r.nextInt(4) == 0) {
            ObjectNode e = s.putObject("missingEpisode").put("from", submittedAt.minusSeconds(86_400).toString());
            if (r.nextBoolean()) {
                e.put("to", submittedAt.minusSeconds(3_600).toString());
            }
            e.put("returnedTo", "home");
        }
        if (r.nextInt(4) == 0) {
            s.putArray("attachments").addObject().put("name", "note.txt").put("mediaType", "text/plain").put("content", "aGVsbG8=");
        }
        try {
            return new SubmissionValidator(Scenario.PARTNERSHIP).validate(JSON.writeValueAsBytes(s), partner);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Arbitrary<Instant> receivedAt() {
        return Arbitraries.longs().between(0, 4L * 365 * 24 * 3600)
                .map(sec -> Instant.parse("2025-06-01T00:00:00Z").plusSeconds(sec));
    }

}
