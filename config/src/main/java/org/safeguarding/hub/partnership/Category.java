package org.safeguarding.hub.partnership;

/** The exploitation categories a submission may concern. */
public enum Category {
    CSE, CCE, TRAFFICKING, MODERN_SLAVERY, MISSING
}
