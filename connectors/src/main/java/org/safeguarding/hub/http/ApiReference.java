package org.safeguarding.hub.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * What the hub serves about its own API: the OpenAPI document (the repository's {@code docs/openapi.yaml}, as JSON)
 * and a page per problem code (the repository's {@code docs/problems/<slug>.md}, as HTML under a policy that lets the
 * page load nothing and run nothing). Both are packaged from {@code docs/} at build time, so what the hub serves is what
 * the repository holds.
 */
final class ApiReference {
    static final String OPENAPI_RESOURCE = "/api/openapi.yaml";
    static final String PROBLEMS_RESOURCE = "/problems/";
    /** The page loads nothing, runs nothing, submits nothing and cannot be framed. */
    static final String PAGE_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final byte[] OPENAPI = openApiJson();

    private ApiReference() {
    }

    static ApiResponse openApi() {
        return ApiResponse.json(200, OPENAPI);
    }

    /** The page of the code whose slug this is; 404 for any other. */
    static ApiResponse problemPage(String slug) {
        ErrorCode code = ErrorCode.ofSlug(slug).orElseThrow(() -> new HubException(ErrorCode.NOT_FOUND,
                "No problem has that code: a problem's page is its code in lower case with hyphens,"
                        + " such as /problems/invalid-submission."));
        String markdown = new String(resource(PROBLEMS_RESOURCE + code.slug() + ".md"), StandardCharsets.UTF_8);
        String body = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build()
                .render(Parser.builder().build().parse(markdown));
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + Html.escape(code.title()) + " (" + code.name() + ") - Safeguarding hub</title>\n</head>\n<body>\n"
                + body + "</body>\n</html>\n";
        return new ApiResponse(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of(
                "Content-Security-Policy", PAGE_POLICY,
                "Referrer-Policy", "no-referrer"));
    }

    private static byte[] openApiJson() {
        try {
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(resource(OPENAPI_RESOURCE));
            return new ObjectMapper().writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiReference.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not packaged with the hub: build it from the repository");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
