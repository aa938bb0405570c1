package org.safeguarding.hub.submission;

import java.util.Objects;

/**
 * Whether bytes can be JSON text as RFC 8259 §8.1 requires: well-formed UTF-8 (the Unicode standard's table 3-7, so
 * no overlong form such as {@code C0 AF}, no encoded surrogate such as {@code ED A0 80}, nothing above U+10FFFF, no
 * stray or missing continuation byte), without a byte order mark, and without a raw control character other than tab,
 * line feed and carriage return (JSON allows no other raw one anywhere, and a UTF-16 or UTF-32 body, whose ASCII
 * characters carry zero bytes, fails here rather than being guessed at). One pass over the bytes, no copy.
 */
public final class Utf8Json {
    /** What is wrong with a body and at which byte (counted from 0); never the bytes themselves. */
    public record Flaw(int offset, String what) {
        public Flaw {
            Objects.requireNonNull(what, "what");
        }

        /** {@code not well-formed UTF-8 JSON: <what> at byte <offset>; ...}. */
        public String message() {
            return MESSAGE + ": " + what + " at byte " + offset
                    + "; send UTF-8 JSON text without a byte order mark";
        }
    }

    /** How every message about a body that is not UTF-8 JSON text starts. */
    public static final String MESSAGE = "not well-formed UTF-8 JSON";

    private Utf8Json() {
    }

    /** The first flaw of {@code bytes[from, to)}, or {@code null} when they are well-formed UTF-8 JSON text. */
    public static Flaw flaw(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        if (to - from >= 3 && bytes[from] == (byte) 0xEF && bytes[from + 1] == (byte) 0xBB
                && bytes[from + 2] == (byte) 0xBF) {
            return new Flaw(0, "a byte order mark");
        }
        int i = from;
        while (i < to) {
            int b = bytes[i];
            if (b >= 0x20) {                                   // ASCII printable (and DEL): the common case
                i++;
                continue;
            }
            if (b >= 0) {
                if (b == '\t' || b == '\n' || b == '\r') {
                    i++;
                    continue;
                }
                return new Flaw(i - from, "a control character other than tab, line feed or carriage return"
                        + " (UTF-16 or UTF-32 text has zero bytes)");
            }
            int lead = b & 0xFF;
            int need;
            int min = 0x80;
            int max = 0xBF;
            if (lead < 0xC2) {
                return new Flaw(i - from, lead < 0xC0 ? "a continuation byte without a lead byte"
                        : "an overlong encoding");
            } else if (lead < 0xE0) {
                need = 1;
            } else if (lead < 0xF0) {
                need = 2;
                if (lead == 0xE0) {
                    min = 0xA0;
                } else if (lead == 0xED) {
                    max = 0x9F;
                }
            } else if (lead < 0xF5) {
                need = 3;
                if (lead == 0xF0) {
                    min = 0x90;
                } else if (lead == 0xF4) {
                    max = 0x8F;
                }
            } else {
                return new Flaw(i - from, "a byte that is never part of UTF-8");
            }
            if (i + need >= to) {
                return new Flaw(i - from, "a truncated sequence");
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                if (second < 0x80 || second > 0xBF) {
                    return new Flaw(i - from, "a truncated sequence or an invalid continuation byte");
                }
                return new Flaw(i - from, lead == 0xED ? "an encoded surrogate"
                        : lead == 0xF4 ? "a code point above U+10FFFF" : "an overlong encoding");
            }
            for (int k = 2; k <= need; k++) {
                int c = bytes[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    return new Flaw(i - from, "a truncated sequence or an invalid continuation byte");
                }
            }
            i += need + 1;
        }
        return null;
    }

    /** Whether {@code bytes[from, to)} are well-formed UTF-8 JSON text. */
    public static boolean isWellFormed(byte[] bytes, int from, int to) {
        return flaw(bytes, from, to) == null;
    }
}
