package org.safeguarding.hub.partnership;

/** The status of one version of a data-sharing agreement. Only ACTIVE agreements share. */
public enum AgreementStatus {
    ACTIVE, EXPIRED, SUSPENDED
}
