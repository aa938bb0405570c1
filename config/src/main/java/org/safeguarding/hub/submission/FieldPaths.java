package org.safeguarding.hub.submission;

import java.util.Comparator;

/**
 * The order in which a problem lists its errors: paths of fields the submission's reference defines first, then those
 * naming an undefined key by its position; each as a person reads them ({@code subjects[2]} before
 * {@code subjects[10]}: runs of digits by their value, everything else character by character).
 */
final class FieldPaths {
    /** How a path names an undefined key. */
    static final String UNKNOWN = "(unknown field ";
    static final Comparator<String> ORDER = Comparator.<String, Boolean>comparing(p -> p.contains(UNKNOWN))
            .thenComparing(FieldPaths::compare);

    private FieldPaths() {
    }

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (isDigit(x) && isDigit(y)) {
                int ei = i;
                while (ei < a.length() && isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && isDigit(b.charAt(ej))) {
                    ej++;
                }
                // without leading zeros, the longer run is the larger number; paths have none
                int byValue = ei - i != ej - j ? Integer.compare(ei - i, ej - j)
                        : a.substring(i, ei).compareTo(b.substring(j, ej));
                if (byValue != 0) {
                    return byValue;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
