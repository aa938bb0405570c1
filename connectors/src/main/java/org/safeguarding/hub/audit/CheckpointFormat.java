package org.safeguarding.hub.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;

/** What a checkpoint and a purge anchor sign, and the checkpoint event's {@code detail}. */
final class CheckpointFormat {
    private CheckpointFormat() {
    }

    /** The bytes a checkpoint signs: the covered sequence, the head hash at it, and the checkpoint's time. */
    static byte[] checkpointBytes(long covers, String head, Instant time) {
        return ("hub-audit-checkpoint|v1|covers=" + covers + "|head=" + head + "|time=" + time.toEpochMilli())
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The bytes a purge anchor signs: where the kept chain starts and the hash it links to. */
    static byte[] anchorBytes(long startSeq, String previousHash, Instant cutoff, Instant purgedAt, String purgeEventId) {
        return ("hub-audit-anchor|v1|start=" + startSeq + "|prev=" + previousHash + "|cutoff=" + cutoff.toEpochMilli()
                + "|purgedAt=" + purgedAt.toEpochMilli() + "|purgeEvent=" + purgeEventId)
                .getBytes(StandardCharsets.US_ASCII);
    }

    static String detail(long covers, String head, byte[] signature) {
        return "checkpoint:v1;covers=" + covers + ";head=" + head + ";sig=" + Base64.getEncoder().encodeToString(signature);
    }

    /** A parsed checkpoint detail, or null when the detail does not have the checkpoint form. */
    static Parsed parse(String detail) {
        if (detail == null) {
            return null;
        }
        Matcher m = ContentRules.CHECKPOINT_DETAIL.matcher(detail);
        if (!m.matches()) {
            return null;
        }
        try {
            return new Parsed(Long.parseLong(m.group(1)), m.group(2), Base64.getDecoder().decode(m.group(3)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    record Parsed(long covers, String head, byte[] signature) {
    }
}
