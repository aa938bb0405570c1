package org.safeguarding.hub.partnership;

/**
 * How fast a recipient must acknowledge a package: ROUTINE (no deadline but the package expiry), PRIORITY (by the
 * start of the next working day of the partnership's calendar), IMMEDIATE (within the partnership's
 * {@code immediateWithin}, an hour in the reference partnership). Ordered from the least to the most urgent.
 */
public enum Urgency {
    ROUTINE, PRIORITY, IMMEDIATE
}
