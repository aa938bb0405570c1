package org.safeguarding.hub.audit;

/** The audit store could not do what was asked (database unreachable, trail closed, schema too new...). */
public class AuditStoreException extends RuntimeException {
    public AuditStoreException(String message) {
        super(message);
    }

    public AuditStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
