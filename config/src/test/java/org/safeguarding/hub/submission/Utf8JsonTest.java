package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte check agrees with Java's own strict UTF-8 decoder (which refuses overlong forms, encoded surrogates and
 * what is above U+10FFFF) on tens of thousands of random byte strings, adding only what JSON text forbids: a byte
 * order mark, and raw control characters other than tab, line feed and carriage return.
 */
class Utf8JsonTest {
    static boolean javaSaysWellFormedJsonText(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return false;
        }
        for (byte x : b) {
            if (x >= 0 && x < 0x20 && x != '\t' && x != '\n' && x != '\r') {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithJavasStrictDecoderOnRandomBytes() {
        Random random = new Random(20261127L);
        int wellFormed = 0;
        for (int n = 0; n < 50_000; n++) {
            byte[] b = new byte[1 + random.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                int kind = random.nextInt(6);
                b[i] = (byte) (kind == 0 ? 0x20 + random.nextInt(0x60)          // ASCII
                        : kind == 1 ? 0x80 + random.nextInt(0x40)               // continuation
                        : kind == 2 ? 0xC0 + random.nextInt(0x20)               // two-byte lead
                        : kind == 3 ? 0xE0 + random.nextInt(0x10)               // three-byte lead
                        : kind == 4 ? 0xF0 + random.nextInt(0x10)               // four-byte lead and beyond
                        : random.nextInt(256));
            }
            boolean expected = javaSaysWellFormedJsonText(b);
            assertThat(Utf8Json.isWellFormed(b, 0, b.length)).as(HexFormat.ofDelimiter(" ").formatHex(b))
                    .isEqualTo(expected);
            wellFormed += expected ? 1 : 0;
        }
        assertThat(wellFormed).as("some random strings are well-formed").isGreaterThan(1_000);
    }

    @Test
    void agreesOnEveryCodePointAndEveryTwoByteAndThreeByteSequence() {
        // alone, U+FEFF is a byte order mark: refused at the start, where a BOM would be
        for (int cp = 0; cp <= 0x10FFFF; cp += cp < 0x20000 ? 1 : 97) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            assertThat(Utf8Json.isWellFormed(b, 0, b.length)).as("U+%04X", cp)
                    .isEqualTo((cp >= 0x20 && cp != 0xFEFF) || cp == '\t' || cp == '\n' || cp == '\r');
        }
        for (int x = 0x80; x < 0x100; x++) {
            for (int y = 0; y < 0x100; y++) {
                byte[] two = {(byte) x, (byte) y};
                assertThat(Utf8Json.isWellFormed(two, 0, 2)).isEqualTo(javaSaysWellFormedJsonText(two));
                for (int z : new int[] {0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0}) {
                    byte[] three = {(byte) x, (byte) y, (byte) z};
                    assertThat(Utf8Json.isWellFormed(three, 0, 3))
                            .as(HexFormat.ofDelimiter(" ").formatHex(three))
                            .isEqualTo(javaSaysWellFormedJsonText(three));
                }
            }
        }
    }

    @Test
    void aFlawSaysWhatAndWhereButNeverTheBytes() {
        byte[] b = "{\"name\":\"Jamie \u00c0\"}".getBytes(StandardCharsets.ISO_8859_1);
        Utf8Json.Flaw flaw = Utf8Json.flaw(b, 0, b.length);
        assertThat(flaw.offset()).isEqualTo(15);
        assertThat(flaw.message()).startsWith("not well-formed UTF-8 JSON: ").contains("at byte 15")
                .doesNotContain("Jamie").doesNotContain("C0");
        assertThat(Utf8Json.flaw(b, 0, 14)).isNull();
    }
}
