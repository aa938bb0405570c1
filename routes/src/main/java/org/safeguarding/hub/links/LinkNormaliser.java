package org.safeguarding.hub.links;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import org.safeguarding.hub.submission.NhsNumbers;
import org.safeguarding.hub.submission.UniquePupilNumbers;

/**
 * The canonical form of each kind of link value, so that one car, place, account or child written differently by
 * different agencies gives one link token. Every method is total: it never throws, whatever the text (null, huge,
 * control characters, bidi marks, emoji), and returns empty when the value cannot link. The result is content: it is
 * only ever hashed, never logged or kept.
 */
public final class LinkNormaliser {
    private static final DateTimeFormatter ISO_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private LinkNormaliser() {
    }

    /**
     * {@link org.safeguarding.hub.partnership.LinkKind#NHS_NUMBER}: spaces and hyphens removed, then exactly 10 ASCII
     * digits with a valid modulus-11 check digit; the 10 digits.
     */
    public static Optional<String> nhsNumber(String value) {
        if (value == null) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder(10);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isSpace(c) || Character.getType(c) == Character.DASH_PUNCTUATION) {
                continue;
            }
            if (b.length() == 10) {
                return Optional.empty();
            }
            b.append(c);
        }
        String digits = b.toString();
        return NhsNumbers.isValid(digits) ? Optional.of(digits) : Optional.empty();
    }

    /**
     * {@link org.safeguarding.hub.partnership.LinkKind#UPN}: spaces removed, upper-cased, then a check letter and 12
     * ASCII digits with the right check letter; that canonical text.
     */
    public static Optional<String> upn(String value) {
        if (value == null) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder(13);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isSpace(c)) {
                continue;
            }
            if (b.length() == 13) {
                return Optional.empty();
            }
            b.append(asciiUpper(c));
        }
        String upn = b.toString();
        return UniquePupilNumbers.isValid(upn) ? Optional.of(upn) : Optional.empty();
    }

    /**
     * {@link org.safeguarding.hub.partnership.LinkKind#NAME_DOB}: the name NFKC, lower-cased (Locale.ROOT), its
     * diacritics removed, hyphens, apostrophes, dots and commas made spaces, invisible format and control characters
     * dropped, white space collapsed and trimmed; at least two words; no malformed text (a lone surrogate); the date of birth a valid ISO date
     * ({@code YYYY-MM-DD}). Gives {@code name|YYYY-MM-DD}. A single word, or a name without a date, never links.
     */
    public static Optional<String> nameDob(String name, String dateOfBirth) {
        if (name == null || dateOfBirth == null) {
            return Optional.empty();
        }
        Optional<String> dob = isoDate(dateOfBirth);
        if (dob.isEmpty()) {
            return Optional.empty();
        }
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String decomposed = Normalizer.normalize(folded, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(decomposed.length());
        int words = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.SURROGATE) {
                return Optional.empty(); // malformed text (a lone surrogate)
            }
            if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK) {
                continue; // diacritics
            }
            if (isSpace(cp) || isNamePunctuation(cp, type)) {
                pendingSpace = b.length() > 0;
                continue;
            }
            if (type == Character.FORMAT || type == Character.CONTROL) {
                continue; // zero-width and bidi marks, stray controls: invisible, not part of the name
            }
            if (pendingSpace || b.length() == 0) {
                words++;
            }
            if (pendingSpace) {
                b.append(' ');
                pendingSpace = false;
            }
            b.appendCodePoint(cp);
        }
        if (words < 2) {
            return Optional.empty();
        }
        return Optional.of(Normalizer.normalize(b, Normalizer.Form.NFC) + "|" + dob.get());
    }

    /**
     * {@link org.safeguarding.hub.partnership.LinkKind#VEHICLE}: the registration mark NFKC, upper-cased, everything
     * but A-Z and 0-9 removed; 2 to 8 characters with at least one letter and one digit. A letter or digit outside
     * A-Z/0-9 (a Cyrillic look-alike, say) refuses the mark rather than being dropped, since dropping it would make
     * another, real, mark.
     */
    public static Optional<String> vehicle(String vrm) {
        if (vrm == null) {
            return Optional.empty();
        }
        String s = Normalizer.normalize(vrm, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(8);
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int u = cp < 128 ? asciiUpper((char) cp) : cp;
            if (u >= 'A' && u <= 'Z') {
                letter = true;
            } else if (u >= '0' && u <= '9') {
                digit = true;
            } else if (Character.isLetterOrDigit(u)) {
                return Optional.empty();
            } else {
                continue;
            }
            if (b.length() == 8) {
                return Optional.empty();
            }
            b.append((char) u);
        }
        return b.length() >= 2 && letter && digit ? Optional.of(b.toString()) : Optional.empty();
    }

    /**
     * {@link org.safeguarding.hub.partnership.LinkKind#LOCATION_POSTCODE}: NFKC, upper-cased, white space removed; a
     * full UK postcode (outward {@code [A-Z]{1,2}[0-9][A-Z0-9]?}, inward {@code [0-9][A-Z]{2}}). Gives
     * {@code OUTWARD INWARD} with one space. A partial postcode (outward only) never links.
     */
    public static Optional<String> locationPostcode(String postcode) {
        if (postcode == null) {
            return Optional.empty();
        }
        String s = Normalizer.normalize(postcode, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(7);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                continue;
            }
            if (b.length() == 7) {
                return Optional.empty();
            }
            b.append(asciiUpper(c));
        }
        String p = b.toString();
        if (!p.matches("[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")) {
            return Optional.empty();
        }
        return Optional.of(p.substring(0, p.length() - 3) + " " + p.substring(p.length() - 3));
    }

    /**
     * {@link org.safeguarding.hub.partnership.LinkKind#ONLINE_HANDLE}: the platform NFKC, lower-cased, white space
     * removed (at least one character, no {@code |}); the handle NFKC, lower-cased, trimmed, one leading {@code @}
     * removed, refused if white space or a control character is left inside it. Malformed text (a lone surrogate)
     * never links. Invisible format characters
     * (zero-width, bidi marks) are dropped from both. Gives {@code platform|handle}; both are required.
     */
    public static Optional<String> onlineHandle(String platform, String handle) {
        if (platform == null || handle == null) {
            return Optional.empty();
        }
        StringBuilder p = new StringBuilder();
        String ps = Normalizer.normalize(platform, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        for (int i = 0; i < ps.length(); ) {
            int cp = ps.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (isSpace(cp) || type == Character.FORMAT) {
                continue;
            }
            if (type == Character.CONTROL || type == Character.SURROGATE || cp == '|') {
                return Optional.empty();
            }
            p.appendCodePoint(cp);
        }
        String hs = Normalizer.normalize(handle, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
        if (hs.startsWith("@")) {
            hs = hs.substring(1);
        }
        StringBuilder h = new StringBuilder(hs.length());
        for (int i = 0; i < hs.length(); ) {
            int cp = hs.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.FORMAT) {
                continue;
            }
            if (isSpace(cp) || type == Character.CONTROL || type == Character.SURROGATE) {
                return Optional.empty();
            }
            h.appendCodePoint(cp);
        }
        if (p.length() == 0 || h.length() == 0) {
            return Optional.empty();
        }
        return Optional.of(p + "|" + h);
    }

    /** The date as {@code YYYY-MM-DD} when it is exactly a valid ISO calendar date. */
    static Optional<String> isoDate(String value) {
        if (value == null || value.length() != 10) {
            return Optional.empty();
        }
        for (int i = 0; i < 10; i++) {
            char c = value.charAt(i);
            boolean ok = i == 4 || i == 7 ? c == '-' : c >= '0' && c <= '9';
            if (!ok) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(LocalDate.parse(value, ISO_DATE).toString());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static boolean isNamePunctuation(int cp, int type) {
        return type == Character.DASH_PUNCTUATION
                || cp == '\'' || cp == '\u2018' || cp == '\u2019' || cp == '\u02BC' || cp == '`' || cp == '\u00B4'
                || cp == '.' || cp == ',' || cp == '\u3001' || cp == '\u3002';
    }

    private static char asciiUpper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }
}
