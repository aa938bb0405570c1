package org.safeguarding.hub.error;

import java.util.Objects;

/**
 * One failing field of a submission or configuration: where, and what is wrong.
 * The message never repeats the value that failed.
 */
public record FieldError(String path, String message) {
    public FieldError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }
}
