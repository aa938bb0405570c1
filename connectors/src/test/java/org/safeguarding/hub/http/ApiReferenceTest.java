package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.settings.HubSettings;

/** The OpenAPI document and the problem pages in docs/ against the server's own routing table and ErrorCode. */
class ApiReferenceTest {
    private static final Path DOCS = Path.of("..", "docs");

    @Test
    void everyRouteOfTheServerIsDocumentedAndEveryDocumentedRouteExists() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("openapi.yaml").toFile());
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m ->
                documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        Set<String> served = new TreeSet<>();
        Set<String> servedPaths = new TreeSet<>();
        Vertx vertx = Vertx.vertx();
        try {
            HttpsApiServer server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, 4096, 4),
                    null, null, null);
            List<Route> routes = new ArrayList<>(server.router().getRoutes());
            for (Route r : routes) {
                if (r.getPath() == null) {
                    continue; // the catch-all answer for unknown paths
                }
                String path = r.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
                servedPaths.add(path);
                if (r.methods() != null) {
                    r.methods().forEach(m -> served.add(m.name() + " " + path));
                }
            }
        } finally {
            vertx.close();
        }
        Set<String> documentedPaths = new TreeSet<>();
        documented.forEach(d -> documentedPaths.add(d.substring(d.indexOf(' ') + 1)));
        assertThat(documentedPaths).isEqualTo(servedPaths);
        // a route registered for given methods has exactly those documented
        assertThat(documented).containsAll(served);
        assertThat(served).isNotEmpty();
    }

    @Test
    void theQueryParametersEachOperationTakesAreTheDocumentedOnes() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("openapi.yaml").toFile());
        java.util.Map<String, Set<String>> documented = new java.util.TreeMap<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
            Set<String> names = new TreeSet<>();
            for (JsonNode param : op.getValue().path("parameters")) {
                JsonNode resolved = param.has("$ref")
                        ? doc.at(param.path("$ref").asText().substring(1)) : param;
                if (resolved.path("in").asText().equals("query")) {
                    names.add(resolved.path("name").asText());
                }
            }
            documented.put(op.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey(), names);
        }));
        java.util.Map<String, Set<String>> taken = new java.util.TreeMap<>();
        documented.keySet().forEach(op -> taken.put(op,
                new TreeSet<>(HttpsApiServer.QUERY_PARAMETERS.getOrDefault(op, List.of()))));

        assertThat(taken).isEqualTo(documented);
        assertThat(documented.keySet()).containsAll(HttpsApiServer.QUERY_PARAMETERS.keySet());
    }

    @Test
    void theDocumentedCodesAreTheErrorCodes() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(DOCS.resolve("openapi.yaml").toFile());
        List<String> documented = new ArrayList<>();
        doc.at("/components/schemas/ErrorCode/enum").forEach(c -> documented.add(c.asText()));

        assertThat(documented).containsExactly(java.util.Arrays.stream(ErrorCode.values()).map(Enum::name)
                .toArray(String[]::new));
    }

    @Test
    void everyErrorCodeHasItsPage() {
        for (ErrorCode code : ErrorCode.values()) {
            Path page = DOCS.resolve("problems").resolve(code.slug() + ".md");
            assertThat(page).as("the page of " + code).exists();
            assertThat(readString(page)).contains("`" + code.name() + "`").contains(code.action());
        }
        try (var pages = Files.list(DOCS.resolve("problems"))) {
            assertThat(pages.map(p -> p.getFileName().toString()))
                    .allSatisfy(name -> assertThat(ErrorCode.ofSlug(name.replaceFirst("\\.md$", ""))).as(name).isPresent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
