package org.safeguarding.hub.broker;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The hub nodes' broker password as the brokers keep it: {@code pbkdf2-sha256:ITERATIONS:SALT:HASH} (salt and hash in
 * Base64), never the password itself. A broker's {@code bootstrap.xml} carries the hash; the hub reads the password
 * from its environment or a file.
 */
public final class HubPasswordHash {
    static final String SCHEME = "pbkdf2-sha256";
    static final int ITERATIONS = 120_000;

    private HubPasswordHash() {
    }

    public static String hash(char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return SCHEME + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether {@code password} is the one {@code hash} was made of; false for a malformed hash. */
    public static boolean matches(String hash, char[] password) {
        String[] parts = hash == null ? new String[0] : hash.split(":");
        if (parts.length != 4 || !SCHEME.equals(parts[0]) || password == null) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return iterations >= 10_000 && MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code hash} has this class's form (for configuration checks). */
    static boolean wellFormed(String hash) {
        String[] parts = hash == null ? new String[0] : hash.split(":");
        return parts.length == 4 && SCHEME.equals(parts[0]) && parts[1].matches("[0-9]{5,9}");
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }
}
