package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;

/**
 * Every text and list of a submission has a bound ({@link SubmissionFields#bounds}): at the bound it passes, one over
 * it is refused at its path with the bound and never the value; a list's items past its bound are not read.
 */
class SubmissionBoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SchemaCheckedValidator validator = new SchemaCheckedValidator(Scenario.PARTNERSHIP);

    static ObjectNode c03() {
        try {
            return (ObjectNode) JSON.readTree(Scenario.submission("C03-education-missing-blackpool.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A valid item of each bounded list, to fill it with. */
    static JsonNode item(String list, ObjectNode base) {
        switch (list) {
            case "categories":
                return TextNode.valueOf("MISSING");
            case "subjects":
                return base.get("subjects").get(1).deepCopy();
            case "contexts":
                return base.get("contexts").get(0).deepCopy();
            case "attachments":
                return JSON.createObjectNode().put("name", "a.txt").put("mediaType", "text/plain").put("content", "aGk=");
            default:
                throw new IllegalArgumentException(list);
        }
    }

    /** Sets the field at {@code pattern} ({@code subjects[].identity.name}: the first item of each list) to {@code v}. */
    static void set(ObjectNode root, String pattern, JsonNode v) {
        String[] parts = pattern.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.endsWith("[]")) {
                String key = part.substring(0, part.length() - 2);
                ArrayNode list = at.has(key) ? (ArrayNode) at.get(key) : at.putArray(key);
                if (list.isEmpty()) {
                    list.add(item(key, c03()));
                }
                if (last) {
                    list.set(0, v);
                    return;
                }
                at = (ObjectNode) list.get(0);
            } else if (last) {
                at.set(part, v);
            } else {
                at = at.has(part) ? (ObjectNode) at.get(part) : at.putObject(part);
            }
        }
    }

    /** Where a pattern's field is reported: the first item of each list. */
    static String pathOf(String pattern) {
        return pattern.replace("[]", "[0]");
    }

    static ArrayNode listOf(String pattern, int n) {
        String key = pattern.substring(pattern.lastIndexOf('.') + 1);
        ArrayNode out = JSON.createArrayNode();
        JsonNode one = item(key, c03());
        for (int i = 0; i < n; i++) {
            out.add(one.deepCopy());
        }
        return out;
    }

    private List<FieldError> problems(ObjectNode tree) throws Exception {
        HubException e = catchThrowableOfType(HubException.class,
                () -> validator.validate(JSON.writeValueAsBytes(tree), Scenario.participant("bpl-education")));
        if (e == null) {
            return List.of();
        }
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SUBMISSION);
        return e.errors();
    }

    private static boolean isList(String pattern) {
        return List.of("categories", "subjects", "contexts", "attachments").contains(pattern);
    }

    @Test
    void everyTextAndListHasABound() {
        Map<String, Integer> bounds = SubmissionFields.bounds();
        assertThat(bounds).hasSize(47).containsEntry("urgency", 32).containsEntry("narrative", 20_000).containsEntry("subjects", 100)
                .containsEntry("handling.conditions", 2_000).containsEntry("subjects[].identity.name", 200)
                .containsEntry("attachments[].content", SubmissionFields.BY_BODY_LIMIT); // the sealed body's limit
        bounds.forEach((path, b) -> {
            if (!path.equals("attachments[].content")) {
                assertThat(b).as(path).isGreaterThan(0).isLessThanOrEqualTo(20_000);
            }
        });
    }

    @Test
    void atItsBoundAFieldPassesAndOneOverIsRefusedAtItsPath() throws Exception {
        for (Map.Entry<String, Integer> b : SubmissionFields.bounds().entrySet()) {
            String pattern = b.getKey();
            int max = b.getValue();
            if (max == SubmissionFields.BY_BODY_LIMIT) {
                continue;
            }
            String path = pathOf(pattern);
            String expected = isList(pattern)
                    ? "must have at most " + String.format(Locale.ROOT, "%,d", max) + " items"
                    : "must be at most " + String.format(Locale.ROOT, "%,d", max) + " characters";

            ObjectNode atBound = c03();
            set(atBound, pattern, isList(pattern) ? listOf(pattern, max) : TextNode.valueOf("a".repeat(max)));
            assertThat(problems(atBound)).as(pattern + " at its bound")
                    .noneMatch(f -> f.message().equals(expected));

            ObjectNode over = c03();
            String planted = "Zq" + "x".repeat(max);
            set(over, pattern, isList(pattern) ? listOf(pattern, max + 1) : TextNode.valueOf(planted.substring(1)));
            List<FieldError> refused = problems(over);
            assertThat(refused).as(pattern + " over its bound").contains(new FieldError(path, expected));
            assertThat(refused).as(pattern + ": one problem at its path")
                    .filteredOn(f -> f.path().equals(path)).hasSize(1);
        }
    }

    @Test
    void charactersAreCodePointsNotUtf16Units() throws Exception {
        String face = new String(Character.toChars(0x1F600));
        ObjectNode atBound = c03();
        atBound.put("narrative", face.repeat(SubmissionFields.NARRATIVE));
        assertThat(problems(atBound)).isEmpty();

        ObjectNode over = c03();
        over.put("narrative", face.repeat(SubmissionFields.NARRATIVE + 1));
        assertThat(problems(over)).containsExactly(new FieldError("narrative", "must be at most 20,000 characters"));
    }

    @Test
    void whatTheIssueSawAcceptedIsRefused() throws Exception {
        ObjectNode handling = c03();
        handling.putObject("handling").put("code", "C").put("conditions", "Do not disclose. ".repeat(300_000));
        assertThat(problems(handling)).containsExactly(
                new FieldError("handling.conditions", "must be at most 2,000 characters"));

        ObjectNode name = c03();
        ((ObjectNode) name.get("subjects").get(0).get("identity")).put("name", "J".repeat(1 << 20));
        assertThat(problems(name)).containsExactly(
                new FieldError("subjects[0].identity.name", "must be at most 200 characters"));

        ObjectNode subjects = c03();
        subjects.set("subjects", listOf("subjects", 100_000));
        subjects.withArray("subjects").set(0, c03().get("subjects").get(0));
        assertThat(problems(subjects)).containsExactly(new FieldError("subjects", "must have at most 100 items"));

        ObjectNode contexts = c03();
        contexts.set("contexts", listOf("contexts", 200_000));
        assertThat(problems(contexts)).containsExactly(new FieldError("contexts", "must have at most 100 items"));
    }

    @Test
    void itemsPastTheBoundAreNotRead() throws Exception {
        ObjectNode tree = c03();
        ArrayNode contexts = listOf("contexts", 100);
        for (int i = 0; i < 5_000; i++) {
            contexts.addObject().put("Jamie " + i, "x").put("type", 5);   // would be 10,000 problems if read
        }
        tree.set("contexts", contexts);
        assertThat(problems(tree)).containsExactly(new FieldError("contexts", "must have at most 100 items"));
    }

    @Test
    void problemsAreCountedPastTheHundredListed() throws Exception {
        ObjectNode tree = c03();
        for (int i = 0; i < 20_000; i++) {
            tree.put("Jamie Example 999000" + i, "x");
        }
        tree.put("purpose", "CURIOSITY");
        HubException e = catchThrowableOfType(HubException.class,
                () -> validator.validate(JSON.writeValueAsBytes(tree), Scenario.participant("bpl-education")));

        assertThat(e.errors()).hasSize(ProblemJson.MAX_ERRORS);
        assertThat(e.errorCount()).isEqualTo(20_001);
        assertThat(e.detail()).isEqualTo("20001 fields fail validation; the first 100 are listed.");
        assertThat(e.errors()).contains(new FieldError("purpose",
                "must be one of SAFEGUARDING, PREVENTION, DISRUPTION, DETECTION_PROSECUTION"));
        // the fields the reference defines first, then the keys it does not, each in path order
        assertThat(e.errors().get(0).path()).isEqualTo("purpose");
        assertThat(e.errors().get(1).path()).isEqualTo("(unknown field 12)");
        assertThat(e.errors().get(99).path()).isEqualTo("(unknown field 110)");
        byte[] problem = new ProblemJson("https://hub.test").of(e, null);
        assertThat(problem.length).isLessThan(12 * 1024);
        assertThat(new String(problem, StandardCharsets.UTF_8)).doesNotContain("Jamie").doesNotContain("999000")
                .contains("\"errorCount\":20001");
    }
}
