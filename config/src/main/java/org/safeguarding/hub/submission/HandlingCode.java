package org.safeguarding.hub.submission;

/** Handling code: P lawful sharing permitted; C sharing with conditions. */
public enum HandlingCode {
    P, C
}
