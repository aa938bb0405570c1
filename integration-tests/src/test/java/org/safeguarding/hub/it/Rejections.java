package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;

/** Assertions on a refused submission: the problem document, and the audit event for exactly that body. */
final class Rejections {
    private Rejections() {
    }

    /** The status, problem+json with every RFC 9457 member, and the code; returns the document. */
    static JsonNode problem(HttpResponse<byte[]> r, int status, String code) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(body).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = HubHttpClient.json(r);
        assertThat(p.path("code").asText()).as(body).isEqualTo(code);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).isNotBlank();
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("detail").asText()).isNotBlank();
        return p;
    }

    /** The trail holds one SUBMISSION_REJECTED for this very body (by its SHA-256), with {@code code}, by {@code actor}. */
    static void audited(RunningHub hub, String actor, byte[] body, String code) {
        String digest = sha256Hex(body);
        assertThat(hub.app().auditTrail().find(new AuditQuery(null, actor, AuditEventType.SUBMISSION_REJECTED, null,
                null, null, 1000)))
                .filteredOn(e -> digest.equals(e.receivedDigest()))
                .singleElement().satisfies(e -> {
                    assertThat(e.reasonCode()).isEqualTo(code);
                    assertThat(e.actor()).isEqualTo(actor);
                });
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signed DER with the first byte of {@code marker} (which must be in the encapsulated content) case-flipped. */
    static byte[] alterSignedContent(byte[] signedDer, String marker) {
        byte[] m = marker.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + m.length <= signedDer.length; i++) {
            if (java.util.Arrays.equals(signedDer, i, i + m.length, m, 0, m.length)) {
                byte[] altered = signedDer.clone();
                altered[i] ^= 0x20;
                return altered;
            }
        }
        throw new IllegalArgumentException("marker not in the signed content");
    }
}
