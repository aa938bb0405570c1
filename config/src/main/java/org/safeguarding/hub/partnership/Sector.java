package org.safeguarding.hub.partnership;

/** The sector of a partner or recipient organisation; redaction profiles are chosen by it. */
public enum Sector {
    POLICE, HEALTH, EDUCATION, LOCAL_AUTHORITY, VOLUNTARY
}
