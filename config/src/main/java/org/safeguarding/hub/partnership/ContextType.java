package org.safeguarding.hub.partnership;

/** The kind of a context entry of a submission; redaction profiles may keep only some kinds. */
public enum ContextType {
    LOCATION, PEER_GROUP, SCHOOL, ONLINE, VEHICLE, BUSINESS
}
