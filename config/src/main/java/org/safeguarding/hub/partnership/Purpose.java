package org.safeguarding.hub.partnership;

/** Why a partner shares a submission. */
public enum Purpose {
    SAFEGUARDING, PREVENTION, DISRUPTION, DETECTION_PROSECUTION
}
