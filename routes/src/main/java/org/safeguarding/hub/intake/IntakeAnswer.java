package org.safeguarding.hub.intake;

import org.safeguarding.hub.registry.Receipt;

/** What intake answers: the receipt, and whether this was the first time (202) or a repeat of the same content (200). */
public record IntakeAnswer(Receipt receipt, boolean repeat) {
    public int httpStatus() {
        return repeat ? 200 : 202;
    }
}
