package org.safeguarding.hub.submission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;

/**
 * The hub's validator, with every answer held against the published JSON Schema
 * ({@code docs/schemas/submission.schema.json}) and the rules listed beside it ({@code docs/schemas/README.md}): what
 * the hub accepts must validate against the schema, and what it refuses for any reason the listed rules do not explain
 * must be refused by the schema alone. The tests that throw conformance cases, rejection cases, field rules, bounds
 * and the hostile corpus at the validator use this one, so every case they make is a case for the schema too.
 */
final class SchemaCheckedValidator {
    private static final Path DOCS = Path.of("..", "docs", "schemas");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Schema SCHEMA = load();
    private static final List<Rule> OUTSIDE = rulesOutsideTheSchema();

    /** A row of the README's table: where the hub applies a rule the schema does not, and how its message starts. */
    record Rule(List<Pattern> paths, List<String> messages) {
        boolean explains(FieldError e) {
            return (paths.isEmpty() || paths.stream().anyMatch(p -> p.matcher(e.path()).matches()))
                    && messages.stream().anyMatch(e.message()::startsWith);
        }
    }

    private final SubmissionValidator validator;
    private final Schema schema;

    SchemaCheckedValidator(Partnership partnership) {
        this(partnership, SCHEMA);
    }

    /** Against another schema: to show that a schema that disagrees with the hub is caught. */
    SchemaCheckedValidator(Partnership partnership, Schema schema) {
        this.validator = new SubmissionValidator(partnership);
        this.schema = schema;
    }

    /** A schema from its text (draft 2020-12, formats asserted). */
    static Schema schema(String id, String text) {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                .schemas(Map.of(id, text))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        return registry.getSchema(SchemaLocation.of(id));
    }

    ValidSubmission validate(byte[] json, Participant partner) {
        return validate(json, json.length, partner);
    }

    ValidSubmission validate(byte[] json, int length, Participant partner) {
        ValidSubmission accepted;
        try {
            accepted = validator.validate(json, length, partner);
        } catch (HubException refused) {
            checkRefusal(json, length, refused);
            throw refused;
        }
        List<Error> errors = schemaErrors(json, length);
        if (errors == null || !errors.isEmpty()) {
            throw new AssertionError("the hub accepts a submission its published schema refuses: "
                    + (errors == null ? "not JSON" : errors.stream().limit(5).map(Error::toString).toList()));
        }
        return accepted;
    }

    private void checkRefusal(byte[] json, int length, HubException refused) {
        if (refused.code() != ErrorCode.INVALID_SUBMISSION) {
            return; // NOT_A_PARTNER, AREA_NOT_PERMITTED: the sender, not the document (listed too)
        }
        List<FieldError> unexplained = refused.errors().stream().filter(e -> OUTSIDE.stream().noneMatch(r -> r.explains(e)))
                .toList();
        if (unexplained.isEmpty()) {
            return;
        }
        List<Error> errors = schemaErrors(json, length);
        if (errors != null && errors.isEmpty()) {
            throw new AssertionError("the hub refuses, for reasons the rules beside the schema do not list, a submission"
                    + " the schema accepts: " + unexplained.stream().limit(5).map(e -> e.path() + " " + e.message()).toList());
        }
    }

    /** The schema's errors, or null when the bytes are not JSON at all (the hub's reader refuses them at $). */
    private List<Error> schemaErrors(byte[] json, int length) {
        JsonNode node;
        try {
            node = JSON.readTree(json, 0, length);
        } catch (IOException e) {
            return null;
        }
        return node == null ? null : schema.validate(node);
    }

    private static Schema load() {
        try {
            String text = Files.readString(DOCS.resolve("submission.schema.json"));
            return schema(JSON.readTree(text).path("$id").asText(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The README's table of rules outside the schema: the rows that name a message (the others name a code). */
    static List<Rule> rulesOutsideTheSchema() {
        List<Rule> rules = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(DOCS.resolve("README.md"), StandardCharsets.UTF_8)) {
                String[] cells = line.split("\\|", -1);
                if (cells.length != 5 || cells[1].isBlank() || cells[1].trim().equals("rule") || cells[1].startsWith("-")) {
                    continue;
                }
                List<String> messages = new ArrayList<>();
                for (Matcher m = CODE.matcher(cells[3]); m.find(); ) {
                    messages.add(m.group(1).replace("...", "").strip());
                }
                if (messages.isEmpty()) {
                    continue;
                }
                List<Pattern> paths = new ArrayList<>();
                for (Matcher m = CODE.matcher(cells[2]); m.find(); ) {
                    paths.add(pathPattern(m.group(1)));
                }
                rules.add(new Rule(paths, messages));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rules.size() < 5) {
            throw new IllegalStateException("docs/schemas/README.md lists too few rules: " + rules.size());
        }
        return rules;
    }

    /** {@code subjects[n].identity.upn}, {@code missingEpisode.*}, or a bare field name meaning wherever it is. */
    private static Pattern pathPattern(String documented) {
        StringBuilder regex = new StringBuilder(documented.contains(".") || documented.equals("$") ? "" : "(?:.*\\.)?");
        for (String part : documented.split("(?=\\[n\\])|(?<=\\[n\\])|(?=\\.\\*)|(?<=\\.\\*)")) {
            regex.append(switch (part) {
                case "[n]" -> "\\[\\d+\\]";
                case ".*" -> "\\..+";
                default -> Pattern.quote(part);
            });
        }
        return Pattern.compile(regex.toString());
    }
}
