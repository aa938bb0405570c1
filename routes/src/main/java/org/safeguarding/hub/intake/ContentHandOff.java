package org.safeguarding.hub.intake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Hands the content intake opened and verified to routing in the same process, so that routing need not open the
 * partner's envelope again (key agreement and CMS parsing, each submission's costliest step after its signatures).
 * Intake encrypts the content with AES-256-GCM under a key made at start and held only in this object's memory, bound
 * to the content's digest (which routing checks again on what it opens); the ciphertext travels on the intake queue beside the still-sealed
 * submission. The key is never written anywhere: once the process ends, what the broker journal holds of it can be
 * read by no one, and a routing after a restart (a replay) opens the envelope in full, as it always could.
 */
public final class ContentHandOff {
    /**
     * Content over this size is not handed off: routing opens its envelope. The hand-off is a message property, and a
     * message of 100 KiB or more (the broker's large-message threshold, the sealed body included) is sent as a large
     * message, whose properties must stay under that threshold: with 24 KiB of content the property (base64, two bytes
     * a character) and the sealed body stay under it together (a 120 KB submission was refused with 503 at a bound
     * of 256 KiB; SubmissionSizesIT).
     */
    public static final int MAX_CONTENT_BYTES = 24 * 1024;
    /** Artemis's default min-large-message-size, which the hub's broker and clients keep. */
    static final long LARGE_MESSAGE_BYTES = 100 * 1024;
    /** What the message's other properties and encoding take, and more. */
    static final long MARGIN_BYTES = 8 * 1024;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final String keyId;
    private final SecureRandom random;

    public ContentHandOff(SecureRandom random) {
        this.random = random;
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, random);
            this.key = generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is not available", e);
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        this.keyId = HexFormat.of().formatHex(id);
    }

    /** Names this process's key on what it seals: a copy sealed under another (an earlier run) is not for it. */
    public String keyId() {
        return keyId;
    }

    /**
     * The content sealed for routing in this process (base64 of nonce and ciphertext), or empty when it is larger than
     * {@link #MAX_CONTENT_BYTES}.
     */
    public Optional<String> seal(byte[] content, int length, String contentDigest) {
        return seal(content, length, contentDigest, 0);
    }

    /**
     * As {@link #seal(byte[], int, String)}, for a message whose sealed body has {@code sealedBodyBytes}: empty too
     * when the property beside that body would take the message near the broker's large-message threshold (a partner
     * may put a long certificate chain in its envelope).
     */
    public Optional<String> seal(byte[] content, int length, String contentDigest, long sealedBodyBytes) {
        long property = 2L * (4L * ((length + 2) / 3) + 64); // base64 of nonce, content and tag, two bytes a character
        if (length > MAX_CONTENT_BYTES || sealedBodyBytes + property + MARGIN_BYTES > LARGE_MESSAGE_BYTES) {
            return Optional.empty();
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associated(contentDigest));
            byte[] out = new byte[NONCE_BYTES + c.getOutputSize(length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            c.doFinal(content, 0, length, out, NONCE_BYTES);
            return Optional.of(Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the content could not be sealed for routing", e);
        }
    }

    /**
     * The content this process sealed with this digest; empty when it was sealed under another key (another
     * run of the hub), is missing, or does not open (then routing opens the envelope, which decides).
     */
    public Optional<byte[]> open(String sealedKeyId, String sealed, String contentDigest) {
        if (sealed == null || !keyId.equals(sealedKeyId) || contentDigest == null) {
            return Optional.empty();
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            if (in.length < NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(associated(contentDigest));
            return Optional.of(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] associated(String contentDigest) {
        return ("hub-content-hand-off|" + keyId + "|" + contentDigest)
                .getBytes(StandardCharsets.UTF_8);
    }
}
