package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The repository's OpenAPI document ({@code docs/openapi.yaml}) as a check on what the hub answers: every answer an
 * integration test gets through {@link HubHttpClient} must have a status the operation documents (or be a problem
 * document), a content type the document lists for it, and a JSON body that validates against its schema (JSON Schema
 * 2020-12, formats asserted). A path the document does not have must be answered with a problem document.
 */
final class OpenApiContract {
    private static final String DOCUMENT = "https://hub.invalid/openapi.json";
    private static final OpenApiContract INSTANCE = new OpenApiContract(Path.of("..", "docs", "openapi.yaml"));

    private record Operation(String template, Pattern path, int literals) {
    }

    private final JsonNode doc;
    private final SchemaRegistry registry;
    private final List<Operation> paths = new ArrayList<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(Path file) {
        try {
            doc = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            String json = new ObjectMapper().writeValueAsString(doc);
            registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                    .schemas(Map.of(DOCUMENT, json))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        doc.path("paths").fieldNames().forEachRemaining(t -> {
            StringBuilder regex = new StringBuilder();
            int literals = 0;
            for (String segment : t.substring(1).split("/")) {
                boolean param = segment.startsWith("{");
                regex.append('/').append(param ? "[^/]+" : Pattern.quote(segment));
                literals += param ? 0 : 1;
            }
            paths.add(new Operation(t, Pattern.compile(regex.toString()), literals));
        });
        paths.sort(Comparator.comparingInt(Operation::literals).reversed());
    }

    /** Fails (AssertionError) when the answer to {@code method} on {@code rawPath} is not what the document says. */
    static void check(String method, String rawPath, HttpResponse<byte[]> r) {
        INSTANCE.verify(method, rawPath, r);
    }

    private void verify(String method, String rawPath, HttpResponse<byte[]> r) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        String what = method + " " + path + " answered " + r.statusCode();
        String type = r.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim().toLowerCase(Locale.ROOT))
                .orElse(null);
        Optional<Operation> op = paths.stream().filter(o -> o.path().matcher(path).matches()).findFirst();
        JsonNode operation = op.map(o -> doc.path("paths").path(o.template()).path(method.toLowerCase(Locale.ROOT)))
                .orElse(null);
        if (operation == null || operation.isMissingNode()) {
            // not an operation: a 404 or 405 problem
            if (r.statusCode() != 404 && r.statusCode() != 405) {
                throw new AssertionError(what + ": not an operation of the OpenAPI document, yet not 404 or 405");
            }
            validate(what, "#/components/schemas/Problem", r, type, "application/problem+json");
            return;
        }
        String pointer = "#/paths/" + escape(op.get().template()) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/";
        JsonNode responses = operation.path("responses");
        String key = responses.has(String.valueOf(r.statusCode())) ? String.valueOf(r.statusCode()) : "default";
        JsonNode response = responses.path(key);
        if (response.isMissingNode()) {
            throw new AssertionError(what + ": the OpenAPI document lists no such status for it");
        }
        if (response.has("$ref")) {
            pointer = response.path("$ref").asText() + "/";
            response = doc.at(response.path("$ref").asText().substring(1));
        } else {
            pointer += key + "/";
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode()) {
            if (r.body().length != 0) {
                throw new AssertionError(what + ": the document says no body, yet one came");
            }
            return;
        }
        if (type == null || !content.has(type)) {
            throw new AssertionError(what + ": Content-Type " + type + " is not one the document lists: "
                    + content.properties().stream().map(Map.Entry::getKey).toList());
        }
        if (type.endsWith("json")) {
            validate(what, pointer + "content/" + escape(type) + "/schema", r, type, type);
        }
    }

    private void validate(String what, String pointer, HttpResponse<byte[]> r, String type, String expectedType) {
        if (!expectedType.equals(type)) {
            throw new AssertionError(what + ": Content-Type " + type + ", the document says " + expectedType);
        }
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(what + ": the body is not JSON", e);
        }
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(DOCUMENT + p)));
        List<Error> errors = schema.validate(body);
        if (!errors.isEmpty()) {
            throw new AssertionError(what + ": the body does not match " + pointer + ": "
                    + errors.stream().limit(5).map(Error::toString).toList());
        }
    }

    /** A path template as a JSON Pointer token. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
