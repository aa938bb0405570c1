package org.safeguarding.hub.registry;

/** A package's state as the submitting partner sees it. */
public enum DeliveryState {
    DELIVERED, ACKNOWLEDGED, EXPIRED
}
