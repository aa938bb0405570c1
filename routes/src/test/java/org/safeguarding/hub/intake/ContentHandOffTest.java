package org.safeguarding.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.Bytes;

/** What intake hands routing opens only in the run that sealed it, only with its digest, and holds no content. */
class ContentHandOffTest {
    private static final byte[] CONTENT = "{\"partnerId\":\"lancs-police\",\"subjects\":[{\"name\":\"Ava Thomas\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = Digests.sha256Hex(CONTENT);
    private final ContentHandOff handOff = new ContentHandOff(new SecureRandom());

    @Test
    void opensInTheRunThatSealedIt() {
        String sealed = handOff.seal(CONTENT, CONTENT.length, DIGEST).orElseThrow();

        assertThat(handOff.open(handOff.keyId(), sealed, DIGEST)).hasValueSatisfying(c -> assertThat(c).isEqualTo(CONTENT));
        byte[] raw = Base64.getDecoder().decode(sealed);
        assertThat(Bytes.indexOf(raw, "Ava Thomas".getBytes(StandardCharsets.UTF_8))).as("no content in the clear")
                .isNegative();
        assertThat(sealed).doesNotContain("Ava");
    }

    @Test
    void anotherRunOpensNothingEvenUnderTheSameKeyId() {
        String sealed = handOff.seal(CONTENT, CONTENT.length, DIGEST).orElseThrow();
        ContentHandOff later = new ContentHandOff(new SecureRandom());

        assertThat(later.keyId()).isNotEqualTo(handOff.keyId());
        assertThat(later.open(handOff.keyId(), sealed, DIGEST)).isEmpty();
        assertThat(later.open(later.keyId(), sealed, DIGEST)).isEmpty();
    }

    @Test
    void anotherDigestAnAlteredByteOrNoHandOffOpensNothing() {
        String sealed = handOff.seal(CONTENT, CONTENT.length, DIGEST).orElseThrow();
        byte[] raw = Base64.getDecoder().decode(sealed);
        raw[raw.length / 2] ^= 1;

        assertThat(handOff.open(handOff.keyId(), sealed, Digests.sha256Hex(new byte[1]))).isEmpty();
        assertThat(handOff.open(handOff.keyId(), Base64.getEncoder().encodeToString(raw), DIGEST)).isEmpty();
        assertThat(handOff.open(handOff.keyId(), "not base64 !", DIGEST)).isEmpty();
        assertThat(handOff.open(handOff.keyId(), "AAAA", DIGEST)).isEmpty();
        assertThat(handOff.open(handOff.keyId(), null, DIGEST)).isEmpty();
        assertThat(handOff.open(null, sealed, DIGEST)).isEmpty();
    }

    @Test
    void onlyPartOfABufferAndNothingOverTheBound() {
        byte[] buffer = java.util.Arrays.copyOf(CONTENT, CONTENT.length + 100);
        String sealed = handOff.seal(buffer, CONTENT.length, DIGEST).orElseThrow();

        assertThat(handOff.open(handOff.keyId(), sealed, DIGEST)).hasValueSatisfying(c -> assertThat(c).isEqualTo(CONTENT));
        assertThat(handOff.seal(new byte[ContentHandOff.MAX_CONTENT_BYTES + 1], ContentHandOff.MAX_CONTENT_BYTES + 1,
                DIGEST)).isEmpty();
        assertThat(handOff.seal(new byte[ContentHandOff.MAX_CONTENT_BYTES], ContentHandOff.MAX_CONTENT_BYTES, DIGEST))
                .isPresent();
        // beside a body that would take the message to the broker's large-message threshold: not handed off
        assertThat(handOff.seal(CONTENT, CONTENT.length, DIGEST, ContentHandOff.LARGE_MESSAGE_BYTES - 1024)).isEmpty();
        assertThat(handOff.seal(new byte[ContentHandOff.MAX_CONTENT_BYTES], ContentHandOff.MAX_CONTENT_BYTES, DIGEST,
                26 * 1024)).isPresent();
        assertThat(handOff.seal(new byte[ContentHandOff.MAX_CONTENT_BYTES], ContentHandOff.MAX_CONTENT_BYTES, DIGEST,
                40 * 1024)).as("64 KiB of property beside 40 KiB of body").isEmpty();
    }
}
