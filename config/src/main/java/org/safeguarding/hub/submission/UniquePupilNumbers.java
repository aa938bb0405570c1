package org.safeguarding.hub.submission;

/**
 * The DfE Unique Pupil Number check: a check letter followed by 12 digits; the letter is the sum
 * of the digits multiplied by the weights 2 to 13, modulo 23, mapped to
 * {@code ABCDEFGHJKLMNPQRTUVWXYZ}.
 */
public final class UniquePupilNumbers {
    /** The 23 check letters (no I, O, S). */
    public static final String CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

    private UniquePupilNumbers() {
    }

    /** The check letter for 12 digits. */
    public static char checkLetter(String twelveDigits) {
        if (twelveDigits == null || !twelveDigits.matches("[0-9]{12}")) {
            throw new IllegalArgumentException("need exactly 12 digits");
        }
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (twelveDigits.charAt(i) - '0') * (i + 2);
        }
        return CHECK_LETTERS.charAt(sum % 23);
    }

    /** Whether the text is a check letter and 12 digits with the right letter. */
    public static boolean isValid(String value) {
        if (value == null || !value.matches("[A-Z][0-9]{12}")) {
            return false;
        }
        return checkLetter(value.substring(1)) == value.charAt(0);
    }
}
