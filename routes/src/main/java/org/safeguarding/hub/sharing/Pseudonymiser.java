package org.safeguarding.hub.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonyms as SCENARIO.md defines them: the first 16 characters of the lower-case base32 (RFC
 * 4648, no padding) of HMAC-SHA256(K_r, x), where K_r = HMAC-SHA256(hub secret, "pseudonym|" +
 * recipient id). Stable for one person and recipient, different across recipients, not
 * reversible without the hub secret (32 bytes kept outside the configuration).
 */
public final class Pseudonymiser {
    public static final int SECRET_BYTES = 32;
    public static final int LENGTH = 16;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final byte[] secret;
    private final Map<String, byte[]> recipientKeys = new ConcurrentHashMap<>();

    public Pseudonymiser(byte[] hubSecret32) {
        Objects.requireNonNull(hubSecret32, "hubSecret32");
        if (hubSecret32.length != SECRET_BYTES) {
            throw new IllegalArgumentException("the pseudonym secret must be exactly 32 bytes");
        }
        this.secret = hubSecret32.clone();
    }

    /** The pseudonym of {@code x} for a recipient. */
    public String pseudonym(String recipientId, String x) {
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(x, "x");
        byte[] key = recipientKeys.computeIfAbsent(recipientId,
                r -> hmac(secret, ("pseudonym|" + r).getBytes(StandardCharsets.UTF_8)));
        return base32(hmac(key, x.getBytes(StandardCharsets.UTF_8))).substring(0, LENGTH);
    }

    /**
     * The x of a subject: its {@code identity.nhsNumber} when present, else lower-cased
     * {@code name} + "|" + {@code dateOfBirth} (empty when absent), else {@code partnerId} + "|" +
     * {@code ref}.
     */
    public static String subjectKey(String partnerId, JsonNode subject) {
        JsonNode identity = subject.path("identity");
        if (identity.hasNonNull("nhsNumber")) {
            return identity.get("nhsNumber").asText();
        }
        if (identity.hasNonNull("name")) {
            String dob = identity.hasNonNull("dateOfBirth") ? identity.get("dateOfBirth").asText() : "";
            return identity.get("name").asText().toLowerCase(Locale.ROOT) + "|" + dob;
        }
        return partnerId + "|" + subject.path("ref").asText();
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** RFC 4648 base32, lower case, no padding. */
    static String base32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Pseudonymiser[secret hidden]";
    }
}
