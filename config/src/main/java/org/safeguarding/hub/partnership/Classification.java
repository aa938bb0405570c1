package org.safeguarding.hub.partnership;

/** Government Security Classification marking of a submission. */
public enum Classification {
    OFFICIAL, OFFICIAL_SENSITIVE
}
