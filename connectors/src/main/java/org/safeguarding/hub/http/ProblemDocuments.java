package org.safeguarding.hub.http;

import java.util.Map;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;

/**
 * The hub's errors as HTTP answers: the code's status, the RFC 9457 problem document ({@link ProblemJson}) as
 * {@code application/problem+json} naming the request path as its {@code instance}, and {@code Retry-After} on a 503
 * or a 429.
 */
public final class ProblemDocuments {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** Seconds a client should wait before retrying after a 503. */
    public static final String RETRY_AFTER_SECONDS = "5";
    /** Seconds a caller should wait after a 429 (a rate-limited operation). */
    public static final String RATE_LIMIT_RETRY_AFTER_SECONDS = "60";

    private final ProblemJson json;

    public ProblemDocuments(ProblemJson json) {
        this.json = json;
    }

    public ProblemJson json() {
        return json;
    }

    /** The exception's problem: its first errors (at most {@link ProblemJson#MAX_ERRORS}) and how many in all. */
    public ApiResponse of(HubException e, String instance) {
        return new ApiResponse(e.code().httpStatus(), MEDIA_TYPE, json.of(e, instance), headers(e.code()));
    }

    public ApiResponse of(ErrorCode code, String detail, String instance) {
        return new ApiResponse(code.httpStatus(), MEDIA_TYPE, json.of(code, detail, instance), headers(code));
    }

    private static Map<String, String> headers(ErrorCode code) {
        return code == ErrorCode.UNAVAILABLE ? Map.of("Retry-After", RETRY_AFTER_SECONDS)
                : code == ErrorCode.TOO_MANY_REQUESTS ? Map.of("Retry-After", RATE_LIMIT_RETRY_AFTER_SECONDS) : Map.of();
    }
}
