package org.safeguarding.hub.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;

/**
 * Thousands of generated hostile submissions per kind, built from the scenario's accepted samples C01-C08 as their
 * own partners send them: undefined keys with content-like names, texts and lists over every bound, malformed UTF-8,
 * and escapes of what no recipient should get. Every one is refused as INVALID_SUBMISSION with the expected paths, and
 * its problem document is small and repeats neither a planted value nor a planted key.
 */
class HostileSubmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SAMPLES = new LinkedHashMap<>();
    private static final int MAX_PROBLEM_BYTES = 16 * 1024;

    static {
        SAMPLES.put("C01-police-cce-blackpool.json", "lancs-police");
        SAMPLES.put("C02-health-cse-blackburn.json", "nhs-lsc");
        SAMPLES.put("C03-education-missing-blackpool.json", "bpl-education");
        SAMPLES.put("C04-vcs-cse-blackpool-age21.json", "lancs-vcs");
        SAMPLES.put("C05-vcs-cse-blackburn-age21.json", "lancs-vcs");
        SAMPLES.put("C06-police-trafficking-placed-child.json", "lancs-police");
        SAMPLES.put("C07-education-cce-handling-c.json", "bwd-education");
        SAMPLES.put("C08-csc-missing-unknown-age.json", "bpl-csc");
    }

    private static final String[] FIRST = {"Jamie", "Riley", "Morgan", "Zoë", "Łukasz", "Siobhán", "Aarav", "Nuñez",
        "Amélie", "Oluwaseun", "Mei-Ling", "Jürgen"};
    private static final String[] LAST = {"Example", "Sample", "O'Neill-Test", "Kowalski", "Ní Bhriain", "Singh",
        "Müller", "Okafor", "Dubois", "Chen"};

    private final SchemaCheckedValidator validator = new SchemaCheckedValidator(Scenario.PARTNERSHIP);
    private final Random random = new Random(20261127L);

    private static ObjectNode sample(String file) {
        try {
            return (ObjectNode) JSON.readTree(Scenario.submission(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A name, a date of birth, an NHS-like number, an e-mail, a postcode or a phone number with a unique serial. */
    private String contentLike(int serial) {
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String tag = String.format(Locale.ROOT, "%07d", serial);
        switch (random.nextInt(6)) {
            case 0:
                return first + " " + last + " 999" + tag;
            case 1:
                return first.toLowerCase(Locale.ROOT) + "." + tag + "@mail.test";
            case 2:
                return "FY" + (serial % 10) + " " + tag + "ZZ " + last;
            case 3:
                return "07700 " + tag + " " + first;
            case 4:
                return first + " born 2012-06-15 ref " + tag;
            default:
                return last + ", " + first + " #" + tag;
        }
    }

    /** The serial a planted text carries: enough to tell whether any of it leaked. */
    private static String serialOf(String planted) {
        for (int i = 0, run = 0; i < planted.length(); i++) {
            run = Character.isDigit(planted.charAt(i)) ? run + 1 : 0;
            if (run == 7) {
                return planted.substring(i - 6, i + 1);
            }
        }
        return planted;
    }

    /** Validates as the sample's partner; the refusal, checked for what every refusal must be. */
    private HubException refused(String how, byte[] body, String sender, List<String> planted) {
        HubException e = catchThrowableOfType(HubException.class,
                () -> validator.validate(body, Scenario.participant(sender)));
        assertThat(e).as(how + ": refused").isNotNull();
        assertThat(e.code()).as(how).isEqualTo(ErrorCode.INVALID_SUBMISSION);
        assertThat(e.errors()).as(how).isNotEmpty().hasSizeLessThanOrEqualTo(ProblemJson.MAX_ERRORS);
        byte[] problem = new ProblemJson("https://hub.test").of(e, null);
        assertThat(problem.length).as(how + ": problem size").isLessThan(MAX_PROBLEM_BYTES);
        String text = new String(problem, StandardCharsets.UTF_8);
        for (String p : planted) {
            if (text.contains(p) || text.contains(serialOf(p))) {
                throw new AssertionError(how + ": the problem repeats what was planted: " + text);
            }
        }
        return e;
    }

    /** Every object of a sample where a key can be planted, with its path. */
    private static Map<String, ObjectNode> objects(ObjectNode root) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(JsonNode node, String path, Map<String, ObjectNode> out) {
        if (node.isObject()) {
            out.put(path, (ObjectNode) node);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    /** Puts {@code key} at {@code index} among the members of {@code o}. */
    private static void insert(ObjectNode o, int index, String key, JsonNode value) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
        o.fields().forEachRemaining(members::add);
        o.removeAll();
        for (int i = 0; i <= members.size(); i++) {
            if (i == index) {
                o.set(key, value);
            }
            if (i < members.size()) {
                o.set(members.get(i).getKey(), members.get(i).getValue());
            }
        }
    }

    @Test
    void undefinedKeysWithContentLikeNamesAreNamedByPositionOnly() {
        int cases = 0;
        int serial = 0;
        List<String> files = new ArrayList<>(SAMPLES.keySet());
        for (int n = 0; n < 2_000; n++) {
            String file = files.get(n % files.size());
            ObjectNode tree = sample(file);
            Map<String, ObjectNode> objects = objects(tree);
            List<String> where = new ArrayList<>(objects.keySet());
            int keys = 1 + random.nextInt(n % 10 == 0 ? 150 : 6);
            List<String> planted = new ArrayList<>();
            Map<String, Set<String>> plantedIn = new TreeMap<>();
            for (int k = 0; k < keys; k++) {
                String path = where.get(random.nextInt(where.size()));
                ObjectNode o = objects.get(path);
                String key = contentLike(serial++);
                String value = contentLike(serial++);
                planted.add(key);
                planted.add(value);
                JsonNode v = random.nextBoolean() ? TextNode.valueOf(value)
                        : JSON.createObjectNode().put("name", value).set("more", JSON.createArrayNode().add(value));
                insert(o, random.nextInt(o.size() + 1), key, v);
                plantedIn.computeIfAbsent(path, x -> new java.util.HashSet<>()).add(key);
            }
            List<String> expected = new ArrayList<>();
            plantedIn.forEach((path, names) -> {
                int i = 0;
                for (Iterator<String> it = objects.get(path).fieldNames(); it.hasNext(); i++) {
                    if (names.contains(it.next())) {
                        expected.add((path.isEmpty() ? "" : path + ".") + "(unknown field " + i + ")");
                    }
                }
            });

            HubException e = refused(file + " with " + keys + " undefined keys", bytes(tree), SAMPLES.get(file), planted);

            assertThat(e.errorCount()).as(file).isEqualTo(keys);
            if (keys <= ProblemJson.MAX_ERRORS) {
                assertThat(e.errors()).extracting(FieldError::path).as(file).containsExactlyInAnyOrderElementsOf(expected);
            } else {
                assertThat(expected).containsAll(e.errors().stream().map(FieldError::path).toList());
            }
            assertThat(e.errors()).extracting(FieldError::message).containsOnly(SubmissionReader.UNKNOWN_FIELD);
            cases++;
        }
        assertThat(cases).isEqualTo(2_000);
    }

    @Test
    void twentyThousandUndefinedKeysGiveASmallProblem() {
        ObjectNode tree = sample("C02-health-cse-blackburn.json");
        List<String> planted = new ArrayList<>();
        ObjectNode identity = (ObjectNode) tree.get("subjects").get(0).get("identity");
        for (int i = 0; i < 20_000; i++) {
            String key = contentLike(i);
            identity.put(key, "x");
            if (i % 500 == 0) {
                planted.add(key);
            }
        }
        HubException e = refused("20,000 undefined keys", bytes(tree), "nhs-lsc", planted);
        assertThat(e.errorCount()).isEqualTo(20_000);
        assertThat(new ProblemJson("https://hub.test").of(e, null).length).isLessThan(12 * 1024);
        assertThat(e.errors().get(0).path()).isEqualTo("subjects[0].identity.(unknown field 5)");
    }

    @Test
    void textsAndListsOverEveryBoundAreRefusedAtTheirPath() {
        int cases = 0;
        int serial = 0;
        for (String file : SAMPLES.keySet()) {
            for (Map.Entry<String, Integer> b : SubmissionFields.bounds().entrySet()) {
                int max = b.getValue();
                if (max == SubmissionFields.BY_BODY_LIMIT) {
                    continue;
                }
                boolean list = !b.getKey().endsWith("]") && List.of("categories", "subjects", "contexts",
                        "attachments").contains(b.getKey());
                int[] sizes = list ? new int[] {max + 1, max + 2, max + 1 + random.nextInt(3 * max), 4 * max}
                        : new int[] {max + 1, max + 2, max + 1 + random.nextInt(max), 2 * max,
                            max + 1 + random.nextInt(12 * max), max * 12 + 1 + random.nextInt(1000)};
                for (int size : sizes) {
                    ObjectNode tree = sample(file);
                    String planted = contentLike(serial++);
                    String path = SubmissionBoundsTest.pathOf(b.getKey());
                    String message;
                    if (list) {
                        ArrayNode items = SubmissionBoundsTest.listOf(b.getKey(), size);
                        if (items.get(size - 1).isObject()) {
                            ((ObjectNode) items.get(size - 1)).put("ref", planted);
                        }
                        tree.set(b.getKey(), items);
                        message = "must have at most " + String.format(Locale.ROOT, "%,d", max) + " items";
                    } else {
                        StringBuilder text = new StringBuilder(size);
                        while (text.length() < size) {
                            text.append(planted).append(' ');
                        }
                        text.setLength(size);
                        SubmissionBoundsTest.set(tree, b.getKey(), TextNode.valueOf(text.toString()));
                        message = SubmissionReader.tooLong(max);
                    }
                    String how = file + ": " + b.getKey() + " of " + size;
                    HubException e = refused(how, bytes(tree), SAMPLES.get(file),
                            list || size > planted.length() + 1 ? List.of(planted) : List.of());
                    assertThat(e.errors()).as(how).contains(new FieldError(path, message));
                    assertThat(e.errors()).as(how).filteredOn(f -> f.path().equals(path)).hasSize(1);
                    cases++;
                }
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(2_000);
    }

    /** Malformed UTF-8, each kind with random parameters. */
    private byte[] malformed() {
        int kind = random.nextInt(9);
        switch (kind) {
            case 0: { // overlong two-byte form of an ASCII character
                int c = random.nextInt(0x80);
                return new byte[] {(byte) (0xC0 | (c >> 6)), (byte) (0x80 | (c & 0x3F))};
            }
            case 1: { // overlong three-byte form of a code point below U+0800
                int c = random.nextInt(0x800);
                return new byte[] {(byte) 0xE0, (byte) (0x80 | (c >> 6)), (byte) (0x80 | (c & 0x3F))};
            }
            case 2: { // overlong four-byte form of a code point below U+10000
                int c = random.nextInt(0x10000);
                return new byte[] {(byte) 0xF0, (byte) (0x80 | (c >> 12)), (byte) (0x80 | ((c >> 6) & 0x3F)),
                    (byte) (0x80 | (c & 0x3F))};
            }
            case 3: { // a surrogate encoded in UTF-8
                int c = 0xD800 + random.nextInt(0x800);
                return new byte[] {(byte) 0xED, (byte) (0x80 | ((c >> 6) & 0x3F)), (byte) (0x80 | (c & 0x3F))};
            }
            case 4: { // above U+10FFFF, or a lead byte UTF-8 never uses
                return random.nextBoolean()
                        ? new byte[] {(byte) 0xF4, (byte) (0x90 + random.nextInt(0x30)), (byte) 0x80, (byte) 0x80}
                        : new byte[] {(byte) (0xF5 + random.nextInt(11)), (byte) 0x80, (byte) 0x80, (byte) 0x80};
            }
            case 5: { // stray continuation bytes
                byte[] b = new byte[1 + random.nextInt(3)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (0x80 + random.nextInt(0x40));
                }
                return b;
            }
            case 6: { // a sequence cut short, followed by ASCII
                int lead = random.nextInt(3);
                return lead == 0 ? new byte[] {(byte) (0xC2 + random.nextInt(30)), 'x'}
                        : lead == 1 ? new byte[] {(byte) (0xE1 + random.nextInt(11)), (byte) 0x80, 'x'}
                        : new byte[] {(byte) 0xF1, (byte) 0x80, (byte) 0x80, 'x'};
            }
            case 7: { // a continuation position holding a byte that is not one
                return new byte[] {(byte) 0xE2, (byte) (random.nextBoolean() ? 0x28 : 0xC0), (byte) 0xA1};
            }
            default: { // a raw control character JSON forbids
                int c = random.nextInt(0x20);
                return new byte[] {(byte) (c == '\t' || c == '\n' || c == '\r' ? 0 : c)};
            }
        }
    }

    private static byte[] splice(byte[] body, int at, byte[] inserted) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(body.length + inserted.length);
        b.write(body, 0, at);
        b.writeBytes(inserted);
        b.write(body, at, body.length - at);
        return b.toByteArray();
    }

    /** Every text value of a tree, to check a refusal repeats none of them. */
    private static List<String> texts(JsonNode node, List<String> out) {
        if (node.isTextual() && node.asText().length() >= 6 && node.asText().contains(" ")) {
            out.add(node.asText());
        }
        node.forEach(child -> texts(child, out));
        return out;
    }

    @Test
    void malformedUtf8AnywhereIsRefusedAtTheRoot() {
        int cases = 0;
        List<String> files = new ArrayList<>(SAMPLES.keySet());
        for (int n = 0; n < 3_000; n++) {
            String file = files.get(n % files.size());
            byte[] body = Scenario.submission(file);
            List<String> values = texts(sample(file), new ArrayList<>());
            byte[] hostile;
            String how;
            int variant = n % 20;
            if (variant == 0) {
                Charset cs = List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE,
                        Charset.forName("UTF-32"), Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"))
                        .get(random.nextInt(6));
                hostile = new String(body, StandardCharsets.UTF_8).getBytes(cs);
                how = file + " as " + cs.name();
            } else if (variant == 1) {
                hostile = splice(body, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                how = file + " behind a byte order mark";
            } else {
                byte[] flaw = malformed();
                int at = random.nextInt(body.length + 1);
                hostile = splice(body, at, flaw);
                how = file + " with " + java.util.HexFormat.of().formatHex(flaw) + " at " + at;
            }
            HubException e = refused(how, hostile, SAMPLES.get(file), values);
            assertThat(e.errors()).as(how).hasSize(1);
            assertThat(e.errors().get(0).path()).as(how).isEqualTo("$");
            assertThat(e.errors().get(0).message()).as(how).startsWith(Utf8Json.MESSAGE + ": ");
            cases++;
        }
        assertThat(cases).isEqualTo(3_000);
    }

    /** Every known text field of a tree, by its path. */
    private static void textPaths(JsonNode node, String path, Map<String, String> out) {
        if (node.isTextual() && node.asText().length() >= 2) {
            out.put(path, node.asText());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> textPaths(e.getValue(), path.isEmpty() ? e.getKey()
                    : path + "." + e.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                textPaths(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    @Test
    void escapesOfNulControlCharactersAndUnpairedSurrogatesAreRefusedAtTheirPath() {
        String[] controls = {"\\u0000", "\\b", "\\f", "\\u0001", "\\u0007", "\\u000B", "\\u000e", "\\u001B", "\\u001f",
            "\\u007F", "\\u0080", "\\u0085", "\\u009b", "\\u009F"};
        int cases = 0;
        List<String> files = new ArrayList<>(SAMPLES.keySet());
        for (int n = 0; n < 2_000; n++) {
            String file = files.get(n % files.size());
            ObjectNode tree = sample(file);
            Map<String, String> fields = new LinkedHashMap<>();
            textPaths(tree, "", fields);
            List<String> paths = new ArrayList<>(fields.keySet());
            String path = paths.get(random.nextInt(paths.size()));
            boolean surrogate = random.nextBoolean();
            String escape;
            if (surrogate) {
                int s = random.nextBoolean() ? 0xD800 + random.nextInt(0x400) : 0xDC00 + random.nextInt(0x400);
                escape = String.format(Locale.ROOT, random.nextBoolean() ? "\\u%04x" : "\\u%04X", s)
                        + (random.nextBoolean() ? "" : "A");
            } else {
                escape = controls[random.nextInt(controls.length)];
            }
            String original = fields.get(path);
            String marker = "\u2603MARK" + n + "\u2603";
            SubmissionBoundsTest.set(tree, path.replaceAll("\\[[0-9]+]", "[]"), TextNode.valueOf(marker));
            // the marker went into the first item of each list; aim at the same place
            String expectedPath = path.replaceAll("\\[[0-9]+]", "[0]");
            // the escape replaces as many characters as it stands for, so that the text stays within its bound
            int split = original.length() / 2;
            int rest = Math.min(original.length(), split + (escape.endsWith("A") ? 2 : 1));
            String json = new String(bytes(tree), StandardCharsets.UTF_8).replace(marker,
                    original.substring(0, split) + escape + original.substring(rest));
            String how = file + ": " + escape + " in " + expectedPath;
            HubException e = refused(how, json.getBytes(StandardCharsets.UTF_8), SAMPLES.get(file),
                    original.length() >= 6 && original.contains(" ") ? List.of(original) : List.of());
            assertThat(e.errors()).as(how).contains(new FieldError(expectedPath,
                    surrogate ? SubmissionReader.UNPAIRED_SURROGATE : SubmissionReader.CONTROL_CHARACTER));
            cases++;
        }
        assertThat(cases).isEqualTo(2_000);
    }
}
