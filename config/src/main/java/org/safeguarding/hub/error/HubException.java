package org.safeguarding.hub.error;

import java.util.List;
import java.util.Objects;

/**
 * The hub's one domain exception: a code from {@link ErrorCode}, a detail that is safe
 * to show to the caller (it never contains intelligence content or the failing value),
 * and, for validation failures, the failing paths (every one, or the first ones and how many there were).
 */
public class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<FieldError> errors;
    private final int errorCount;

    public HubException(ErrorCode code, String detail) {
        this(code, detail, List.of(), null);
    }

    public HubException(ErrorCode code, String detail, Throwable cause) {
        this(code, detail, List.of(), cause);
    }

    public HubException(ErrorCode code, String detail, List<FieldError> errors) {
        this(code, detail, errors, null);
    }

    public HubException(ErrorCode code, String detail, List<FieldError> errors, Throwable cause) {
        this(code, detail, errors, errors.size(), cause);
    }

    /**
     * A failure with {@code errorCount} failing paths in all, of which {@code errors} are the ones listed (a problem
     * document lists at most {@link ProblemJson#MAX_ERRORS}).
     */
    public HubException(ErrorCode code, String detail, List<FieldError> errors, int errorCount) {
        this(code, detail, errors, errorCount, null);
    }

    private HubException(ErrorCode code, String detail, List<FieldError> errors, int errorCount, Throwable cause) {
        super(detail, cause, false, cause != null);
        this.code = Objects.requireNonNull(code, "code");
        this.errors = List.copyOf(errors);
        this.errorCount = Math.max(errorCount, this.errors.size());
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    /** The failing paths listed (all of them, or the first of {@link #errorCount()}). */
    public List<FieldError> errors() {
        return errors;
    }

    /** How many failing paths there were in all: at least {@code errors().size()}. */
    public int errorCount() {
        return errorCount;
    }
}
