package org.safeguarding.hub.sharing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Replaces every UK phone number (any common format, with or without +44 or 0044), e-mail
 * address, NHS number (10 digits, or 3-3-4 with spaces, dots or hyphens) and UK postcode in a text by
 * {@value #REDACTED}. Errs towards replacing too much.
 */
public final class NarrativeScrubber {
    public static final String REDACTED = "[REDACTED]";

    /** Between digits: nothing, or up to three spaces, dots or hyphens ("07700.900123", "07700 - 900123"). */
    private static final String SEP = "[ .\\u00A0-]{0,3}";
    private static final Pattern EMAIL = Pattern.compile(
            "[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");
    /** 0 or +44 / 0044 (optionally followed by "(0)"), then 9 or 10 digits with spaces, hyphens or a closing bracket. */
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?:(?:\\+|00)" + SEP + "44" + SEP + "(?:\\(0\\)" + SEP + ")?|\\(?0)"
                    + "\\d(?:" + SEP + "\\)?" + SEP + "\\d){8,9}(?!\\d)");
    private static final Pattern NHS = Pattern.compile("(?<![\\d+])\\d{3}" + SEP + "\\d{3}" + SEP + "\\d{4}(?!\\d)");
    private static final Pattern POSTCODE = Pattern.compile(
            "(?<![A-Za-z0-9])(?:GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[ \\u00A0]*[0-9][A-Z]{2})(?![A-Za-z0-9])",
            Pattern.CASE_INSENSITIVE);
    private static final List<Pattern> IN_ORDER = List.of(EMAIL, PHONE, NHS, POSTCODE);

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Pattern p : IN_ORDER) {
            out = p.matcher(out).replaceAll(REDACTED.replace("[", "\\[").replace("]", "\\]"));
        }
        return out;
    }
}
