package org.safeguarding.hub.registry;

/**
 * A package's state as the submitting partner sees it. RECALLED: the partner withdrew the submission; a pending package
 * left the inbox, and a recall went to a recipient that held it.
 */
public enum DeliveryState {
    DELIVERED, ACKNOWLEDGED, EXPIRED, RECALLED
}
