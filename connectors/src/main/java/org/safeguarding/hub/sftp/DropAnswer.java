package org.safeguarding.hub.sftp;

import java.util.Objects;

/**
 * What intake answered a dropped file: the receipt document, the problem document, or "try again later"
 * (the hub could not store it durably just now), in which case the file is kept and offered again.
 */
public record DropAnswer(Outcome outcome, byte[] document) {
    public enum Outcome { RECEIPT, PROBLEM, RETRY_LATER }

    public DropAnswer {
        Objects.requireNonNull(outcome, "outcome");
        document = document == null ? new byte[0] : document.clone();
    }

    public static DropAnswer receipt(byte[] json) {
        return new DropAnswer(Outcome.RECEIPT, json);
    }

    public static DropAnswer problem(byte[] json) {
        return new DropAnswer(Outcome.PROBLEM, json);
    }

    public static DropAnswer retryLater() {
        return new DropAnswer(Outcome.RETRY_LATER, null);
    }

    @Override
    public byte[] document() {
        return document.clone();
    }
}
