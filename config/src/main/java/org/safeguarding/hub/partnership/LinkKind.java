package org.safeguarding.hub.partnership;

/**
 * A kind of strong, typed identifier by which submissions link: the same child, place, vehicle or online account seen
 * by several agencies. Only these link; free-text descriptions, names alone and subjects' home postcodes never do.
 */
public enum LinkKind {
    /** A subject's NHS number. */
    NHS_NUMBER(true),
    /** A subject's Unique Pupil Number. */
    UPN(true),
    /** A subject's name with date of birth: a weaker kind, used only by a rule that names it. */
    NAME_DOB(true),
    /** A VEHICLE context's registration mark ({@code vrm}). */
    VEHICLE(false),
    /** A LOCATION context's postcode (never a subject's home postcode: households share it). */
    LOCATION_POSTCODE(false),
    /** An ONLINE context's platform with its handle. */
    ONLINE_HANDLE(false);

    private final boolean subject;

    LinkKind(boolean subject) {
        this.subject = subject;
    }

    /** Whether this kind links a subject (a person), rather than a context. */
    public boolean subject() {
        return subject;
    }
}
