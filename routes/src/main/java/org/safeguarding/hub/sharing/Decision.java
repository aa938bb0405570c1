package org.safeguarding.hub.sharing;

/** Whether a recipient gets a package of a submission. */
public enum Decision {
    SHARED, NOT_SHARED
}
