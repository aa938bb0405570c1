package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;
import org.safeguarding.hub.submission.SubmissionFields.Field;
import org.safeguarding.hub.submission.SubmissionFields.ListOf;
import org.safeguarding.hub.submission.SubmissionFields.Obj;

/**
 * docs/submission-fields.md, the submission's reference, states exactly the fields of {@link SubmissionFields} with
 * exactly its bounds, and its example refusal is what the hub answers.
 */
class SubmissionReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String reference;
    /** Each row of the field table: its path and its "at most" cell. */
    private static final Map<String, String> ROWS = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws Exception {
        Path file = Path.of(System.getProperty("basedir", ".")).resolve("../docs/submission-fields.md").normalize();
        reference = Files.readString(file, StandardCharsets.UTF_8);
        List<String> header = null;
        for (String line : reference.split("\n")) {
            if (line.startsWith("| field |")) {
                header = cells(line);
            } else if (header != null && line.startsWith("| `")) {
                List<String> cells = cells(line);
                ROWS.put(cells.get(0).replace("`", ""), cells.get(header.indexOf("at most")));
            }
        }
    }

    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        for (String c : row.substring(1, row.length() - 1).split("\\|", -1)) {
            out.add(c.trim());
        }
        return out;
    }

    /** Every field's path as the reference writes it: {@code subjects[].identity.name}, {@code categories[]}. */
    private static void paths(Field f, String path, List<String> out) {
        if (!path.isEmpty()) {
            out.add(path);
        }
        if (f instanceof Obj o) {
            o.fields().forEach((k, v) -> paths(v, path.isEmpty() ? k : path + "." + k, out));
        } else if (f instanceof ListOf l) {
            if (l.item() instanceof Obj o) {
                o.fields().forEach((k, v) -> paths(v, path + "[]." + k, out));
            } else {
                paths(l.item(), path + "[]", out);
            }
        }
    }

    @Test
    void theReferenceListsExactlyTheFieldsOfTheTable() {
        List<String> fields = new ArrayList<>();
        paths(SubmissionFields.SUBMISSION, "", fields);
        assertThat(ROWS.keySet()).containsExactlyElementsOf(fields);
    }

    @Test
    void theReferenceStatesEveryBound() {
        Map<String, Integer> bounds = SubmissionFields.bounds();
        ROWS.forEach((path, atMost) -> {
            Integer bound = bounds.get(path);
            if (bound == null) {
                assertThat(atMost).as(path + " has no bound").isEmpty();
            } else if (bound == SubmissionFields.BY_BODY_LIMIT) {
                assertThat(atMost).as(path).isEqualTo("the sealed body's limit");
            } else {
                assertThat(atMost.replace(",", "")).as(path).isEqualTo(String.valueOf(bound));
            }
        });
    }

    @Test
    void theExampleRefusalIsWhatTheHubAnswers() throws Exception {
        int start = reference.indexOf("```json\n{\n  \"type\"") + "```json\n".length();
        JsonNode documented = JSON.readTree(reference.substring(start, reference.indexOf("```", start)));
        ObjectNode c06 = (ObjectNode) JSON.readTree(Scenario.submission("C06-police-trafficking-placed-child.json"));
        ((ObjectNode) c06.get("handling")).remove("conditions");
        c06.put("Taylor Example 2010-04-04", "a name in a key");                           // 13th member: position 12
        ObjectNode subject = (ObjectNode) c06.get("subjects").get(0);
        ObjectNode identity = (ObjectNode) subject.get("identity");
        identity.put("name", "Taylor ".repeat(40)).put("nhsNumber", "9990000035");
        JsonNode lookedAfter = subject.remove("lookedAfter");
        subject.put("lookedAfter ", true).set("lookedAfter", lookedAfter);            // 4th member: position 3
        HubException e = catchThrowableOfType(HubException.class, () -> new SubmissionValidator(Scenario.PARTNERSHIP)
                .validate(JSON.writeValueAsBytes(c06), Scenario.participant("lancs-police")));

        assertThat(JSON.readTree(new ProblemJson("https://hub.example.org:8443").of(e, "/api/v1/submissions"))).isEqualTo(documented);
    }
}
