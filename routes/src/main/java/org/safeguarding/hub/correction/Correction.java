package org.safeguarding.hub.correction;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/**
 * A partner's correction of one of its submissions, as sealed: the whole corrected submission (every field of a
 * submission, validated as one, with the same {@code submissionId}) and two fields of its own, {@code revision} (a
 * whole number from 1, rising with each correction) and {@code correctionReason} (a {@link CorrectionReason}).
 * {@link #parse} takes those two out and leaves the submission's JSON for the submission validator.
 */
public record Correction(int revision, CorrectionReason reason, byte[] submissionJson, String contentDigest) {
    /** The highest revision a correction may carry. */
    public static final int MAX_REVISION = 1_000_000;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /** The correction in {@code content}, or a 422 naming each of its own fields that is missing or malformed. */
    public static Correction parse(byte[] content, int length) {
        JsonNode n;
        try {
            n = JSON.readTree(content, 0, length);
        } catch (IOException e) {
            throw invalid(List.of(new FieldError("$", "must be one JSON object in UTF-8, no key twice")));
        }
        if (n == null || !n.isObject()) {
            throw invalid(List.of(new FieldError("$", "must be a JSON object")));
        }
        ObjectNode o = (ObjectNode) n;
        List<FieldError> errors = new ArrayList<>();
        JsonNode r = o.remove("revision");
        int revision = 0;
        if (r == null || r.isNull()) {
            errors.add(new FieldError("revision", "is required: 1 for the first correction, higher for each later one"));
        } else if (!r.canConvertToExactIntegral() || !r.isNumber() || r.asLong() < 1 || r.asLong() > MAX_REVISION) {
            errors.add(new FieldError("revision", "must be a whole number from 1 to " + MAX_REVISION));
        } else {
            revision = r.asInt();
        }
        JsonNode why = o.remove("correctionReason");
        CorrectionReason reason = null;
        if (why == null || why.isNull()) {
            errors.add(new FieldError("correctionReason", "is required: one of " + List.of(CorrectionReason.values())));
        } else {
            try {
                reason = why.isTextual() ? CorrectionReason.valueOf(why.asText()) : null;
            } catch (IllegalArgumentException e) {
                reason = null;
            }
            if (reason == null) {
                errors.add(new FieldError("correctionReason", "must be one of " + List.of(CorrectionReason.values())));
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        try {
            // what tells one correction from another: the corrected content and the reason, whenever it was sent and
            // however its keys are ordered, so that a partner's repeat of the same correction is known as one
            ObjectNode same = o.deepCopy();
            same.remove("submittedAt");
            same.put("correctionReason", reason.name());
            String digest = java.util.HexFormat.of().formatHex(org.safeguarding.hub.intake.Digests.sha256()
                    .digest(JSON.writeValueAsBytes(GroupDigests.canonical(same))));
            return new Correction(revision, reason, JSON.writeValueAsBytes(o), digest);
        } catch (IOException e) {
            throw new IllegalStateException("the corrected submission could not be written back", e);
        }
    }

    private static HubException invalid(List<FieldError> errors) {
        return new HubException(ErrorCode.INVALID_SUBMISSION,
                "The correction is not valid; correct the fields listed and send it again.", errors);
    }

    /** Never the content. */
    @Override
    public String toString() {
        return "Correction[revision=" + revision + ", reason=" + reason + "]";
    }
}
