package org.safeguarding.hub.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical serialization of an event and its SHA-256 hash.
 *
 * <p>Format v1: the ASCII tag {@code hub-audit-event-v1}, then every field in a fixed order, each as a
 * 4-byte big-endian length followed by its UTF-8 bytes, or the length -1 for null. The withheld paths are a
 * 4-byte count followed by each path in the same length-prefixed form. Numbers are written as decimal
 * text, the time as epoch milliseconds. Order: id, sequence, time, type, key, actor, participant,
 * submissionId, packageId, agreementId, agreementVersion, decision, reasonCode, withheldPaths,
 * receivedDigest, packageDigest, detail, previousHash.
 */
public final class AuditHashing {
    /** previousHash of the first event of a trail that was never purged. */
    public static final String GENESIS = "0".repeat(64);
    private static final byte[] TAG = "hub-audit-event-v1".getBytes(StandardCharsets.US_ASCII);

    private AuditHashing() {
    }

    public static byte[] canonicalBytes(AuditEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        out.writeBytes(TAG);
        field(out, e.id());
        field(out, Long.toString(e.sequence()));
        field(out, e.time() == null ? null : Long.toString(e.time().toEpochMilli()));
        field(out, e.type() == null ? null : e.type().name());
        field(out, e.key());
        field(out, e.actor());
        field(out, e.participant());
        field(out, e.submissionId());
        field(out, e.packageId());
        field(out, e.agreementId());
        field(out, e.agreementVersion() == null ? null : e.agreementVersion().toString());
        field(out, e.decision());
        field(out, e.reasonCode());
        List<String> paths = e.withheldPaths();
        int32(out, paths.size());
        for (String p : paths) {
            field(out, p);
        }
        field(out, e.receivedDigest());
        field(out, e.packageDigest());
        field(out, e.detail());
        field(out, e.previousHash());
        return out.toByteArray();
    }

    public static String hashOf(AuditEvent e) {
        return sha256Hex(canonicalBytes(e));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 unavailable", ex);
        }
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            int32(out, -1);
            return;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        int32(out, b.length);
        out.writeBytes(b);
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
