package org.safeguarding.hub.testing;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published package schema ({@code docs/schemas/package.schema.json}, with the submission schema it refers to) as
 * the routes tests hold every package they open against it: a package the hub seals to a recipient that the schema
 * refuses fails the test that opened it, with the schema's errors by path.
 */
public final class PackageSchema {
    private static final Path DOCS = Path.of("..", "docs", "schemas");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PackageSchema PUBLISHED = load();

    private final Schema schema;

    private PackageSchema(Schema schema) {
        this.schema = schema;
    }

    /** The published one. */
    public static PackageSchema published() {
        return PUBLISHED;
    }

    /**
     * A package schema from its text beside the published submission schema (draft 2020-12, formats asserted): to show
     * that a check against a schema the packages break is caught.
     */
    public static PackageSchema of(String packageSchemaText) {
        try {
            return new PackageSchema(schema(packageSchemaText,
                    Files.readString(DOCS.resolve("submission.schema.json"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON of a package as its recipient opened it, parsed and checked against the published schema. */
    public static JsonNode read(byte[] opened) {
        JsonNode pkg;
        try {
            pkg = JSON.readTree(opened);
        } catch (IOException e) {
            throw new AssertionError("a package the hub sealed is not JSON: " + e.getMessage(), e);
        }
        PUBLISHED.check(pkg);
        return pkg;
    }

    /** Throws an {@link AssertionError} naming each path at which {@code pkg} breaks the schema. */
    public JsonNode check(JsonNode pkg) {
        List<Error> errors = errors(pkg);
        if (!errors.isEmpty()) {
            throw new AssertionError("a package does not validate against docs/schemas/package.schema.json"
                    + " (kind " + pkg.path("kind").asText("none") + ", packageId " + pkg.path("packageId").asText()
                    + "): " + errors.stream().limit(10).map(PackageSchema::describe).toList());
        }
        return pkg;
    }

    /** An error as its JSON Pointer in the package ({@code /} for the whole), what is wrong, and the schema's path. */
    public static String describe(Error e) {
        String at = e.getInstanceLocation().toString();
        return (at.isEmpty() ? "/" : at) + ": " + e.getMessage().strip() + " [" + e.getEvaluationPath() + "]";
    }

    /** The schema's errors for {@code pkg}; empty when it validates. */
    public List<Error> errors(JsonNode pkg) {
        return schema.validate(pkg);
    }

    private static PackageSchema load() {
        try {
            return new PackageSchema(schema(Files.readString(DOCS.resolve("package.schema.json")),
                    Files.readString(DOCS.resolve("submission.schema.json"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both schemas registered by their {@code $id}, so that the package schema's references resolve offline. */
    private static Schema schema(String packageText, String submissionText) throws IOException {
        String packageId = JSON.readTree(packageText).path("$id").asText();
        String submissionId = JSON.readTree(submissionText).path("$id").asText();
        Map<String, String> byId = new LinkedHashMap<>();
        byId.put(packageId, packageText);
        byId.put(submissionId, submissionText);
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                .schemas(byId)
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        return registry.getSchema(SchemaLocation.of(packageId));
    }
}
