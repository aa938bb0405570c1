package org.safeguarding.hub.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.partnership.LinkKind;
import org.safeguarding.hub.submission.NhsNumbers;
import org.safeguarding.hub.submission.UniquePupilNumbers;

/**
 * Property-style tests at scale, with a seeded {@link Random}: every message names the seed, and
 * {@code -Dlinks.seed=<seed>} replays a run.
 */
class LinkNormaliserPropertiesTest {
    private static final long SEED = Long.getLong("links.seed", 20_261_127L);
    private static final int N = 3_000;
    private static final LinkingKey KEY = LinkingKey.of(List.of(bytes(1), bytes(2)));

    private static byte[] bytes(int fill) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private static String seed(long seed) {
        return " (seed " + seed + "; replay with -Dlinks.seed=" + SEED + ")";
    }

    // ---- generators of valid values ------------------------------------------------------------------------------

    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static char letter(Random r) {
        return LETTERS.charAt(r.nextInt(26));
    }

    private static char digit(Random r) {
        return (char) ('0' + r.nextInt(10));
    }

    /** A current-style GB mark (AB12CDE), a prefix mark (A123BCD) or a short one (K1). */
    private static String vrm(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> "" + letter(r) + letter(r) + digit(r) + digit(r) + letter(r) + letter(r) + letter(r);
            case 1 -> "" + letter(r) + digit(r) + digit(r) + digit(r) + letter(r) + letter(r) + letter(r);
            default -> "" + letter(r) + digit(r) + (r.nextBoolean() ? "" + digit(r) : "");
        };
    }

    private static String postcode(Random r) {
        String outward = switch (r.nextInt(6)) {
            case 0 -> "" + letter(r) + digit(r);
            case 1 -> "" + letter(r) + digit(r) + digit(r);
            case 2 -> "" + letter(r) + letter(r) + digit(r);
            case 3 -> "" + letter(r) + letter(r) + digit(r) + digit(r);
            case 4 -> "" + letter(r) + digit(r) + letter(r);
            default -> "" + letter(r) + letter(r) + digit(r) + letter(r);
        };
        return outward + " " + digit(r) + letter(r) + letter(r);
    }

    private static String nhs(Random r) {
        while (true) {
            StringBuilder b = new StringBuilder();
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                int d = r.nextInt(10);
                b.append(d);
                sum += d * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return b.append(check).toString();
            }
        }
    }

    private static String upn(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append(digit(r));
        }
        return UniquePupilNumbers.checkLetter(b.toString()) + b.toString();
    }

    private static String word(Random r) {
        int n = 2 + r.nextInt(8);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    private static List<String> words(Random r) {
        int n = 2 + r.nextInt(3);
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(word(r));
        }
        return out;
    }

    private static String dob(Random r) {
        return java.time.LocalDate.of(1990, 1, 1).plusDays(r.nextInt(36 * 365)).toString();
    }

    private static String handle(Random r) {
        String chars = "abcdefghijklmnopqrstuvwxyz0123456789_.";
        int n = 1 + r.nextInt(20);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(r.nextInt(chars.length())));
        }
        return b.toString();
    }

    private static final List<String> PLATFORMS = List.of("Snapchat", "Instagram", "TikTok", "WhatsApp", "Telegram",
            "Facebook Messenger", "X", "Discord");

    // ---- variants -------------------------------------------------------------------------------------------------

    private static String randomCase(Random r, String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return b.toString();
    }

    private static final String[] SPACES = {" ", "  ", "\t", "\u00a0", "\u2009", "\n"};
    private static final String[] SEPARATORS = {" ", "-", "  ", " - ", ".", "\u2010"};

    private static String spaced(Random r, String s, String[] fillers, int oneIn) {
        StringBuilder b = new StringBuilder();
        if (r.nextInt(oneIn) == 0) {
            b.append(fillers[r.nextInt(fillers.length)]);
        }
        for (char c : s.toCharArray()) {
            b.append(c);
            if (r.nextInt(oneIn) == 0) {
                b.append(fillers[r.nextInt(fillers.length)]);
            }
        }
        return b.toString();
    }

    private static final String[] ACCENTS = {"\u0301", "\u0300", "\u0308", "\u0302", "\u0327", "\u030c"};

    private static String accented(Random r, String word) {
        StringBuilder b = new StringBuilder();
        for (char c : word.toCharArray()) {
            b.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
            if (r.nextInt(4) == 0) {
                b.append(ACCENTS[r.nextInt(ACCENTS.length)]);
            }
        }
        // sometimes composed (é as one character), sometimes decomposed (e + U+0301)
        return Normalizer.normalize(b, r.nextBoolean() ? Normalizer.Form.NFC : Normalizer.Form.NFD);
    }

    private static final String[] NAME_SEPARATORS = {" ", "  ", "-", "'", "\u2019", ". ", ", ", " - ", "\t"};

    private static String nameVariant(Random r, List<String> words) {
        StringBuilder b = new StringBuilder();
        if (r.nextInt(4) == 0) {
            b.append(SPACES[r.nextInt(SPACES.length)]);
        }
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) {
                b.append(NAME_SEPARATORS[r.nextInt(NAME_SEPARATORS.length)]);
            }
            b.append(accented(r, words.get(i)));
        }
        if (r.nextInt(4) == 0) {
            b.append(r.nextBoolean() ? "." : " ");
        }
        return b.toString();
    }

    private interface Variant {
        Optional<String> normalise(Random r, int i);
    }

    private static void allVariantsOneToken(LinkKind kind, Variant variant) {
        Random r = new Random(SEED ^ kind.ordinal());
        for (int i = 0; i < N / 10; i++) {
            long valueSeed = r.nextLong();
            String first = null;
            for (int v = 0; v < 10; v++) {
                Random vr = new Random(valueSeed);
                Optional<String> n = variant.normalise(vr, v);
                if (n.isEmpty()) {
                    fail(kind + ": variant " + v + " of value " + i + " did not normalise" + seed(valueSeed));
                }
                String token = KEY.token(kind, n.get());
                if (first == null) {
                    first = token;
                } else {
                    assertThat(token).as(kind + ": variant " + v + " of value " + i + seed(valueSeed)).isEqualTo(first);
                }
            }
        }
    }

    /** Each value is drawn from its own seed; each variant re-draws the value then uses the rest of the stream. */
    @Test
    void vehicleVariantsGiveOneToken() {
        allVariantsOneToken(LinkKind.VEHICLE, (r, v) -> {
            String vrm = vrm(r);
            Random vr = new Random(r.nextLong() + v);
            return LinkNormaliser.vehicle(spaced(vr, randomCase(vr, vrm), SEPARATORS, 3));
        });
    }

    @Test
    void postcodeVariantsGiveOneToken() {
        allVariantsOneToken(LinkKind.LOCATION_POSTCODE, (r, v) -> {
            String pc = postcode(r);
            Random vr = new Random(r.nextLong() + v);
            String variant = spaced(vr, randomCase(vr, pc.replace(" ", "")), SPACES, 3);
            Optional<String> n = LinkNormaliser.locationPostcode(variant);
            assertThat(n).as(variant + seed(SEED)).contains(pc);
            return n;
        });
    }

    @Test
    void nhsVariantsGiveOneToken() {
        allVariantsOneToken(LinkKind.NHS_NUMBER, (r, v) -> {
            String nhs = nhs(r);
            Random vr = new Random(r.nextLong() + v);
            return LinkNormaliser.nhsNumber(spaced(vr, nhs, new String[] {" ", "-", "  ", " - "}, 3));
        });
    }

    @Test
    void upnVariantsGiveOneToken() {
        allVariantsOneToken(LinkKind.UPN, (r, v) -> {
            String upn = upn(r);
            Random vr = new Random(r.nextLong() + v);
            return LinkNormaliser.upn(spaced(vr, randomCase(vr, upn), SPACES, 3));
        });
    }

    @Test
    void nameVariantsGiveOneToken() {
        allVariantsOneToken(LinkKind.NAME_DOB, (r, v) -> {
            List<String> words = words(r);
            String dob = dob(r);
            Random vr = new Random(r.nextLong() + v);
            return LinkNormaliser.nameDob(nameVariant(vr, words), dob);
        });
    }

    @Test
    void handleVariantsGiveOneToken() {
        allVariantsOneToken(LinkKind.ONLINE_HANDLE, (r, v) -> {
            String platform = PLATFORMS.get(r.nextInt(PLATFORMS.size()));
            String handle = handle(r);
            Random vr = new Random(r.nextLong() + v);
            String p = spaced(vr, randomCase(vr, platform), SPACES, 4);
            String h = (vr.nextBoolean() ? "@" : "") + randomCase(vr, handle);
            if (vr.nextBoolean()) {
                h = SPACES[vr.nextInt(SPACES.length)] + h + SPACES[vr.nextInt(SPACES.length)];
            }
            return LinkNormaliser.onlineHandle(p, h);
        });
    }

    // ---- distinct values, distinct tokens -------------------------------------------------------------------------

    private static void distinctValuesDistinctTokens(LinkKind kind, Supplier<Optional<String>> value) {
        Map<String, String> byToken = new HashMap<>();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < N; i++) {
            Optional<String> n = value.get();
            assertThat(n).as(kind + " value " + i + seed(SEED)).isPresent();
            if (!values.add(n.get())) {
                continue; // the generator repeated itself
            }
            String token = KEY.token(kind, n.get());
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            String before = byToken.put(token, n.get());
            assertThat(before).as(kind + ": two values, one token" + seed(SEED)).isNull();
        }
        assertThat(values.size()).as(kind + " distinct values generated" + seed(SEED)).isGreaterThan(N / 2);
    }

    @Test
    void distinctValuesGiveDistinctTokens() {
        Random r = new Random(SEED);
        distinctValuesDistinctTokens(LinkKind.VEHICLE, () -> LinkNormaliser.vehicle(vrm(r)));
        distinctValuesDistinctTokens(LinkKind.LOCATION_POSTCODE, () -> LinkNormaliser.locationPostcode(postcode(r)));
        distinctValuesDistinctTokens(LinkKind.NHS_NUMBER, () -> LinkNormaliser.nhsNumber(nhs(r)));
        distinctValuesDistinctTokens(LinkKind.UPN, () -> LinkNormaliser.upn(upn(r)));
        distinctValuesDistinctTokens(LinkKind.NAME_DOB,
                () -> LinkNormaliser.nameDob(String.join(" ", words(r)), dob(r)));
        distinctValuesDistinctTokens(LinkKind.ONLINE_HANDLE,
                () -> LinkNormaliser.onlineHandle(PLATFORMS.get(r.nextInt(PLATFORMS.size())), handle(r)));
    }

    @Test
    void oneValueGivesADifferentTokenPerKindAndPerKey() {
        Random r = new Random(SEED);
        for (int i = 0; i < N; i++) {
            String v = vrm(r);
            Set<String> tokens = new HashSet<>();
            for (LinkKind kind : LinkKind.values()) {
                List<String> both = KEY.tokens(kind, v);
                assertThat(both).hasSize(2);
                tokens.addAll(both);
            }
            assertThat(tokens).as(v + seed(SEED)).hasSize(2 * LinkKind.values().length);
        }
    }

    // ---- hostile text ---------------------------------------------------------------------------------------------

    private static final String[] HOSTILE = {
        "\u0000", "\u0001", "\u001b[2J", "\u007f", "\u0085", "\r\n", "\u2028", "\u2029", // controls and line breaks
        "\u202e", "\u202d", "\u200e", "\u200f", "\u2066", "\u2069", "\u061c", // bidi marks
        "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", // zero-width, BOM, soft hyphen
        "\u0301", "\u0308\u0308\u0308\u0308", "\u20dd", "\u0489", // combining marks
        "\ud83d\ude00", "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67", "\ud83c\uddec\ud83c\udde7", // emoji
        "\ud800", "\udfff", // lone surrogates
        "\ufb00", "\u2167", "\u2460", "\uff21", "\u212a", "\u0130", "\u0131", "\u017f", "\u00df", // compatibility forms
        "\u0412", "\u0391", "\u0661", "\u0966", // look-alike letters and other scripts' digits
        "|", "@", "@@", "'", "-", ".", ",", " ", "\t", "\u00a0", "\u3000",
        "BK11 QQQ", "FY1 4AB", "9990000018", "Q890200126001", "Jamie Example", "2011-03-02", "@fastcash_fy1",
    };

    private static String hostile(Random r) {
        int kind = r.nextInt(50);
        if (kind == 0) {
            // a huge string, up to 100k characters, of hostile pieces and random code points
            int target = 1 + r.nextInt(100_000);
            StringBuilder b = new StringBuilder(target + 16);
            while (b.length() < target) {
                b.append(r.nextBoolean() ? HOSTILE[r.nextInt(HOSTILE.length)] : String.valueOf((char) r.nextInt(0x10000)));
            }
            return b.toString();
        }
        StringBuilder b = new StringBuilder();
        int pieces = r.nextInt(12);
        for (int i = 0; i < pieces; i++) {
            switch (r.nextInt(4)) {
                case 0 -> b.append((char) r.nextInt(0x10000));
                case 1 -> b.appendCodePoint(r.nextInt(Character.MAX_CODE_POINT + 1));
                default -> b.append(HOSTILE[r.nextInt(HOSTILE.length)]);
            }
        }
        return b.toString();
    }

    private static boolean invisible(String s) {
        return s.codePoints().anyMatch(cp -> {
            int t = Character.getType(cp);
            return t == Character.CONTROL || t == Character.FORMAT || t == Character.NON_SPACING_MARK
                    || t == Character.ENCLOSING_MARK || t == Character.SURROGATE;
        });
    }

    private static boolean malformed(String s) {
        return s.codePoints().anyMatch(cp -> Character.getType(cp) == Character.SURROGATE);
    }

    @Test
    void hostileTextNeverThrowsAndNormalisesOnlyToCanonicalForms() {
        Random r = new Random(SEED);
        int[] linked = new int[3];
        int huge = 0;
        for (int i = 0; i < N; i++) {
            long s = r.nextLong();
            Random hr = new Random(s);
            String a = hostile(hr);
            if (a.length() > 10_000) {
                huge++;
            }
            LinkNormaliser.vehicle(a).ifPresent(v -> linked[0]++);
            LinkNormaliser.nameDob(a, "2011-03-02").ifPresent(v -> linked[1]++);
            LinkNormaliser.onlineHandle("Snapchat", a).ifPresent(v -> linked[2]++);
            String b = hostile(hr);
            String valid = hostile(hr) + (hr.nextBoolean() ? "2011-03-02" : "");
            try {
                LinkNormaliser.vehicle(a).ifPresent(v -> {
                    assertThat(v).as(seed(s)).matches("[A-Z0-9]{2,8}").matches(".*[A-Z].*").matches(".*[0-9].*");
                    assertThat(LinkNormaliser.vehicle(v)).as("idempotent" + seed(s)).contains(v);
                });
                LinkNormaliser.locationPostcode(a).ifPresent(v -> {
                    assertThat(v).as(seed(s)).matches("[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}");
                    assertThat(LinkNormaliser.locationPostcode(v)).as("idempotent" + seed(s)).contains(v);
                });
                LinkNormaliser.nhsNumber(a).ifPresent(v -> assertThat(NhsNumbers.isValid(v)).as(seed(s)).isTrue());
                LinkNormaliser.upn(a).ifPresent(v -> assertThat(UniquePupilNumbers.isValid(v)).as(seed(s)).isTrue());
                for (String dob : List.of(b, "2011-03-02")) {
                    LinkNormaliser.nameDob(a, dob).ifPresent(v -> {
                        String name = v.substring(0, v.length() - 11);
                        assertThat(v).as(seed(s)).endsWith("|" + LinkNormaliser.isoDate(dob).orElseThrow());
                        assertThat(name).as(seed(s)).contains(" ").doesNotStartWith(" ").doesNotEndWith(" ")
                                .doesNotContain("  ").doesNotContain("-").doesNotContain("'").doesNotContain(",")
                                .doesNotContain(".");
                        assertThat(invisible(name)).as("no control, format or combining character left" + seed(s)).isFalse();
                        assertThat(LinkNormaliser.nameDob(name, dob)).as("idempotent" + seed(s)).contains(v);
                    });
                }
                for (String[] ph : List.of(new String[] {a, b}, new String[] {"Snapchat", a}, new String[] {a, "@x"})) {
                    LinkNormaliser.onlineHandle(ph[0], ph[1]).ifPresent(v -> {
                        int bar = v.indexOf('|');
                        assertThat(bar).as(seed(s)).isPositive().isLessThan(v.length() - 1);
                        assertThat(v).as(seed(s)).doesNotContain(" ").doesNotContain("\t").doesNotContain("\n");
                        assertThat(invisible(v.replaceAll("\\p{M}", ""))).as(seed(s)).isFalse();
                    });
                }
                LinkNormaliser.nameDob("Jamie Example", valid); // a hostile date
                for (LinkKind kind : LinkKind.values()) {
                    if (!malformed(a)) {
                        assertThat(KEY.token(kind, a)).as(seed(s)).hasSize(43);
                    }
                }
            } catch (RuntimeException e) {
                throw new AssertionError("normalising hostile text threw" + seed(s), e);
            }
        }
        // not vacuous: some hostile text does normalise, some of it is huge
        assertThat(java.util.Arrays.stream(linked).min().getAsInt()).as("vehicle, name, handle normalised " + java.util.Arrays.toString(linked) + seed(SEED)).isGreaterThan(50);
        assertThat(huge).as(seed(SEED)).isGreaterThan(20);
    }

    @Test
    void hostileCharactersInsideValidValuesEitherStillLinkOrDoNot() {
        Random r = new Random(SEED);
        for (int i = 0; i < N; i++) {
            long s = r.nextLong();
            Random hr = new Random(s);
            String vrm = vrm(hr);
            String pc = postcode(hr);
            String junk = HOSTILE[hr.nextInt(HOSTILE.length)];
            int at = hr.nextInt(vrm.length() + 1);
            String dirtyVrm = vrm.substring(0, at) + junk + vrm.substring(at);
            LinkNormaliser.vehicle(dirtyVrm).ifPresent(v -> assertThat(v).as(seed(s)).matches("[A-Z0-9]{2,8}"));
            int at2 = hr.nextInt(pc.length() + 1);
            String dirtyPc = pc.substring(0, at2) + junk + pc.substring(at2);
            LinkNormaliser.locationPostcode(dirtyPc).ifPresent(v -> assertThat(v).as(seed(s))
                    .matches("[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}"));
            if (junk.isBlank() && !junk.isEmpty()) {
                assertThat(LinkNormaliser.locationPostcode(dirtyPc)).as("white space is ignored" + seed(s)).contains(pc);
            }
        }
    }
}
