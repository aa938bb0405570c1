package org.safeguarding.hub.error;

import java.util.List;
import java.util.Objects;

/**
 * The hub's one domain exception: a code from {@link ErrorCode}, a detail that is safe
 * to show to the caller (it never contains intelligence content or the failing value),
 * and, for validation failures, every failing path.
 */
public class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<FieldError> errors;

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
        super(detail, cause, false, cause != null);
        this.code = Objects.requireNonNull(code, "code");
        this.errors = List.copyOf(errors);
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
