package org.safeguarding.hub.withdrawal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.submission.SubmissionValidator;

/**
 * A partner's withdrawal of one of its submissions, as the contract gives it: {@code {"submissionId", "partnerId",
 * "reason", "withdrawnAt"}}, every field required and no other. {@link #parse} checks its shape, and every problem is
 * named by its path; the signer and the URL are checked by {@link SubmissionWithdrawal}.
 */
public record Withdrawal(String submissionId, String partnerId, WithdrawalReason reason, Instant withdrawnAt) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("submissionId", "partnerId", "reason", "withdrawnAt");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern PARTICIPANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** The withdrawal in {@code content}, or a 422 naming every field that is missing, unknown or malformed. */
    public static Withdrawal parse(byte[] content, int length) {
        JsonNode n;
        try {
            n = JSON.readTree(content, 0, length);
        } catch (IOException e) {
            throw invalid(List.of(new FieldError("$", "must be a JSON object")));
        }
        if (n == null || !n.isObject()) {
            throw invalid(List.of(new FieldError("$", "must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> names = n.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(safePath(name), "is not a field of a withdrawal"));
            }
        }
        String submissionId = text(n, "submissionId", UUID, "must be a UUID", errors);
        String partnerId = text(n, "partnerId", PARTICIPANT, "must be a participant id", errors);
        WithdrawalReason reason = null;
        String reasonText = text(n, "reason", null, null, errors);
        if (reasonText != null) {
            try {
                reason = WithdrawalReason.valueOf(reasonText);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("reason", "must be one of " + List.of(WithdrawalReason.values())));
            }
        }
        Instant withdrawnAt = null;
        String at = text(n, "withdrawnAt", null, null, errors);
        if (at != null) {
            try {
                withdrawnAt = Instant.parse(at);
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("withdrawnAt", "must be an instant such as 2026-12-01T10:00:00Z"));
            }
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new Withdrawal(submissionId, partnerId, reason, withdrawnAt);
    }

    /** The same window as a submission's {@code submittedAt}: at most 5 minutes ahead, at most 7 days old. */
    public void checkTimeWindow(Instant receivedAt) {
        if (withdrawnAt.isAfter(receivedAt.plus(SubmissionValidator.MAX_FUTURE))) {
            throw new HubException(ErrorCode.STALE_OR_FUTURE, "withdrawnAt is more than 5 minutes after the hub's clock.",
                    List.of(new FieldError("withdrawnAt", "must not be more than 5 minutes in the future")));
        }
        if (withdrawnAt.isBefore(receivedAt.minus(SubmissionValidator.MAX_AGE))) {
            throw new HubException(ErrorCode.STALE_OR_FUTURE, "withdrawnAt is more than 7 days before the hub's clock.",
                    List.of(new FieldError("withdrawnAt", "must not be older than 7 days")));
        }
    }

    private static String text(JsonNode n, String field, Pattern shape, String shapeMessage, List<FieldError> errors) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        if (shape != null && !shape.matcher(v.asText()).matches()) {
            errors.add(new FieldError(field, shapeMessage));
            return null;
        }
        return v.asText();
    }

    /** An unknown field's name is shown only if it is a plain identifier; never a value. */
    private static String safePath(String name) {
        return name.matches("[A-Za-z][A-Za-z0-9_]{0,63}") ? name : "(a field)";
    }

    private static HubException invalid(List<FieldError> errors) {
        return new HubException(ErrorCode.INVALID_SUBMISSION,
                "The withdrawal is not valid; correct the fields listed and send it again.", errors);
    }
}
