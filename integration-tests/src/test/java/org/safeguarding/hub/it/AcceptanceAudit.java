package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The audit trail as the IG lead reads it over HTTPS: every {@code SUBMISSION_ACCEPTED} event (paged with
 * {@code limit} and {@code after} until exhausted), as the receipts ({@code detail} {@code receipt=<id>}) recorded per
 * submissionId; and {@code GET /api/v1/audit/verify}.
 */
final class AcceptanceAudit {
    static final int PAGE = 1000;
    static final int MAX_PAGES = 1000;

    /** submissionId to the receipts of its SUBMISSION_ACCEPTED events, in trail order. */
    final Map<String, List<String>> receipts = new LinkedHashMap<>();
    JsonNode verification;
    int events;

    static AcceptanceAudit read(TestPki pki, String baseUrl) {
        return read(pki, baseUrl, "SUBMISSION_ACCEPTED");
    }

    /** The events of {@code type}, their receipts ({@code receipt=<id>} at the start of the detail) by submission. */
    static AcceptanceAudit read(TestPki pki, String baseUrl, String type) {
        HubHttpClient ig = HubHttpClient.as(pki, "ig-lead", baseUrl);
        AcceptanceAudit a = new AcceptanceAudit();
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            HttpResponse<byte[]> r = ig.get("api/v1/audit/events?type=" + type + "&limit=" + PAGE
                    + (after == null ? "" : "&after=" + after));
            if (r.statusCode() != 200) {
                throw new AssertionError("the IG lead reads the audit events: " + r.statusCode() + " "
                        + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            JsonNode body = HubHttpClient.json(r);
            for (JsonNode e : body.path("events")) {
                a.events++;
                String detail = e.path("detail").asText("");
                a.receipts.computeIfAbsent(e.path("submissionId").asText(), k -> new ArrayList<>())
                        .add(detail.startsWith("receipt=") ? detail.substring("receipt=".length()).split(";")[0] : detail);
            }
            if (body.path("next").isNull() || body.path("next").isMissingNode()) {
                HttpResponse<byte[]> v = ig.get("api/v1/audit/verify");
                if (v.statusCode() != 200) {
                    throw new AssertionError("the IG lead verifies the audit trail: " + v.statusCode());
                }
                a.verification = HubHttpClient.json(v);
                return a;
            }
            after = body.path("next").asText();
        }
        throw new AssertionError("more than " + MAX_PAGES + " pages of " + type + " events");
    }
}
