package org.safeguarding.hub.audit;

/**
 * A record was refused because a field could carry intelligence content or is malformed.
 * The message names the field and the rule, never the refused value.
 */
public class AuditContentException extends IllegalArgumentException {
    private final String field;

    public AuditContentException(String field, String rule) {
        super("audit record field '" + field + "' refused: " + rule);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
