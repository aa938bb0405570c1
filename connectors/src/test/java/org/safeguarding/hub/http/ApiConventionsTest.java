package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.settings.HubSettings;

/**
 * What every answer of the HTTPS API shares, over real TLS, for every operation the OpenAPI document lists: a problem
 * typed by the URL of its page, naming the request path; a wrong method is 405 with {@code Allow}; a query parameter
 * the operation does not take is 400 before the operation runs; and the pages and the document the types point to.
 */
class ApiConventionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH");
    private static Vertx vertx;
    private static HttpsApiServer server;
    private static final TestPki PKI = TestPki.ec();
    private static HttpClient client;
    private static int port;
    private static JsonNode openApi;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(PKI.caPem(), PKI.crl()));
        server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, 4096, 4),
                TlsMaterial.keyManager(PKI.identity("hub")), trust.tlsTrustManager(Clock.systemUTC()), new RecordingApi());
        port = server.start();
        client = HttpClient.newBuilder().sslContext(TlsClients.context(PKI.p12("police-fib"), PKI.caPem())).build();
        openApi = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docs", "openapi.yaml").toFile());
    }

    @AfterAll
    static void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static HttpResponse<byte[]> send(String method, String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(new byte[] {1}))
                .header("Content-Type", "application/pkcs7-mime").build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Every documented path, its parameters filled in, with the methods documented for it. */
    private static Map<String, Set<String>> documentedPaths() {
        Map<String, Set<String>> paths = new java.util.TreeMap<>();
        openApi.path("paths").fields().forEachRemaining(p -> {
            Set<String> methods = new LinkedHashSet<>();
            p.getValue().fieldNames().forEachRemaining(m -> methods.add(m.toUpperCase(Locale.ROOT)));
            paths.put(p.getKey().replaceAll("\\{[A-Za-z]+\\}", "x1"), methods);
        });
        return paths;
    }

    @Test
    void aProblemIsTypedByThePageOfItsCodeAndNamesTheRequestPathWithoutItsQuery() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/nothing/here?name=Taylor");

        JsonNode p = JSON.readTree(r.body());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(p.path("type").asText()).isEqualTo("https://localhost:" + port + "/problems/not-found");
        assertThat(p.path("instance").asText()).isEqualTo("/nothing/here");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("Taylor");
        assertThat(server.publicBaseUrl()).isEqualTo("https://localhost:" + port);
    }

    @Test
    void everyMethodAPathDoesNotTakeIs405WithTheMethodsItDoes() throws Exception {
        int checked = 0;
        for (Map.Entry<String, Set<String>> path : documentedPaths().entrySet()) {
            for (String method : METHODS) {
                if (path.getValue().contains(method)) {
                    continue;
                }
                HttpResponse<byte[]> r = send(method, path.getKey());
                String what = method + " " + path.getKey();
                assertThat(r.statusCode()).as(what).isEqualTo(405);
                assertThat(JSON.readTree(r.body()).path("code").asText()).as(what).isEqualTo("METHOD_NOT_ALLOWED");
                Set<String> allow = new TreeSet<>(Arrays.asList(r.headers().firstValue("Allow").orElse("").split(", ")));
                assertThat(allow).as(what).isEqualTo(new TreeSet<>(path.getValue()));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    @Test
    void aQueryParameterAnOperationDoesNotTakeIs400BeforeItRuns() throws Exception {
        int checked = 0;
        for (Map.Entry<String, Set<String>> path : documentedPaths().entrySet()) {
            for (String method : path.getValue()) {
                String what = method + " " + path.getKey();
                HttpResponse<byte[]> r = send(method, path.getKey() + "?limit=1&partcipant=lancs-police");
                JsonNode p = JSON.readTree(r.body());
                assertThat(r.statusCode()).as(what).isEqualTo(400);
                assertThat(p.path("code").asText()).as(what).isEqualTo("BAD_REQUEST");
                assertThat(p.path("detail").asText()).as(what).doesNotContain("partcipant").doesNotContain("lancs-police");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(15);
    }

    @Test
    void theRefusalSaysWhichParametersTheOperationTakes() throws Exception {
        JsonNode mistyped = JSON.readTree(send("GET", "/api/v1/audit/events?type=DECISION&partcipant=x").body());
        assertThat(mistyped.path("detail").asText()).startsWith("Query parameter 2 is not one this operation takes;"
                + " it takes only submissionId, participant, type, from, to, after, limit");

        JsonNode none = JSON.readTree(send("GET", "/api/v1/audit/verify?x=1").body());
        assertThat(none.path("detail").asText()).startsWith("This operation takes no query parameters");

        HttpResponse<byte[]> twice = send("GET", "/api/v1/inbox?limit=1&limit=2");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(twice.body()).path("detail").asText()).startsWith("limit is given more than once");

        assertThat(send("GET", "/api/v1/inbox?limit=1&after=x").statusCode()).isEqualTo(200);
    }

    @Test
    void everyRefusalIsLoggedOnceAtInfoWithItsOperationParticipantAndCodeAndNothingSent() throws Exception {
        List<String> refusals;
        try (org.safeguarding.hub.testing.LogCapture log = org.safeguarding.hub.testing.LogCapture.start()) {
            send("GET", "/api/v1/audit/verify?name=Taylor");
            send("DELETE", "/api/v1/inbox/Taylor-Example");
            send("GET", "/nothing/Taylor");
            refusals = log.lines().stream().filter(l -> l.contains(" refused ")).toList();
        }

        assertThat(refusals).containsExactly(
                "INFO org.safeguarding.hub.http.HttpsApiServer refused GET /api/v1/audit/verify for police-fib: 400 BAD_REQUEST",
                "INFO org.safeguarding.hub.http.HttpsApiServer refused DELETE (no such operation) for police-fib: 405 METHOD_NOT_ALLOWED",
                "INFO org.safeguarding.hub.http.HttpsApiServer refused GET (no such operation) for police-fib: 404 NOT_FOUND");
    }

    @Test
    void everyProblemTypeIsAPageTheHubServesUnderAPolicyThatLoadsNothing() throws Exception {
        for (ErrorCode code : ErrorCode.values()) {
            HttpResponse<byte[]> r = send("GET", "/problems/" + code.slug());
            String html = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(r.statusCode()).as(code.name()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(ApiReference.PAGE_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(html).startsWith("<!DOCTYPE html>").contains("<code>" + code.name() + "</code>")
                    .doesNotContain("<script").doesNotContain("style=");
        }
        HttpResponse<byte[]> unknown = send("GET", "/problems/no-such-code");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(send("GET", "/problems/INVALID_SUBMISSION").statusCode()).isEqualTo(404);
    }

    @Test
    void theHubServesTheRepositorysOpenApiDocument() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/openapi.json");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(r.body())).isEqualTo(openApi);
    }
}
