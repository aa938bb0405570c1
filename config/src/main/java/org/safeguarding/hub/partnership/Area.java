package org.safeguarding.hub.partnership;

/** The local authority areas the partnership covers. */
public enum Area {
    /** Blackburn with Darwen. */
    BWD,
    /** Blackpool. */
    BPL,
    /** Lancashire. */
    LANCS
}
