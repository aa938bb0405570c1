package org.safeguarding.hub.submission;

/** The NHS number check: 10 digits, the last a modulus-11 check digit over the first nine. */
public final class NhsNumbers {
    private NhsNumbers() {
    }

    /** Whether the text is exactly 10 digits with a valid check digit (no spaces). */
    public static boolean isValid(String value) {
        if (value == null || !value.matches("[0-9]{10}")) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (value.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == value.charAt(9) - '0';
    }
}
