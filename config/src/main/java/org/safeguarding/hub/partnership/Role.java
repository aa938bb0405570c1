package org.safeguarding.hub.partnership;

/** What a participant may do. A participant may hold several roles. */
public enum Role {
    /** Submits intelligence. */
    PARTNER,
    /** Receives routed packages in its own inbox. */
    RECIPIENT,
    /** Information governance lead: reads and verifies the audit trail, never intelligence content. */
    IG_LEAD,
    /** Strategic board: aggregate statistics only. */
    BOARD,
    /** The hub itself: decrypts submissions and signs packages. */
    HUB
}
