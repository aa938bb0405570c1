package org.safeguarding.hub.registry;

/**
 * A package's state as the submitting partner sees it. RECALLED: the partner withdrew the submission, or a correction
 * took it out of the recipient's scope; a pending package left the inbox, and a recall went to a recipient that held
 * it. UPDATED: a correction changed what the recipient is shown; a pending package left the inbox, and the recipient
 * got an update (a package of its own, listed beside this one).
 */
public enum DeliveryState {
    DELIVERED, ACKNOWLEDGED, EXPIRED, RECALLED, UPDATED
}
