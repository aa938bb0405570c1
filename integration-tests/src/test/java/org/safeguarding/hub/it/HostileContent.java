package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.safeguarding.hub.submission.SubmissionFields;

/**
 * Hostile submission JSON that is validly signed and sealed but must be refused as INVALID_SUBMISSION: undefined keys
 * with content-like names, texts and lists over their bounds, malformed UTF-8, forbidden escapes. Each case says what
 * it planted (which the problem must not repeat) and the paths the problem must name. Built from a current copy of C01
 * (lancs-police), which the hub would otherwise accept.
 */
final class HostileContent {
    /**
     * One case: its JSON, what it planted, the paths expected among the errors (each with a message starting with
     * {@code message}), whether those are all of them, and how many errors there are in all (-1: not known).
     */
    record Case(String how, byte[] json, List<String> planted, List<String> paths, String message, boolean exactly,
                int errorCount) {
    }

    static final String UNKNOWN = "is not a field of a submission; remove it";
    static final String NOT_UTF8 = "not well-formed UTF-8 JSON: ";
    static final String CONTROL = "must not contain U+0000 or another control character";
    static final String SURROGATE = "must be Unicode text";

    private static final String[] FIRST = {"Jamie", "Riley", "Zoë", "Siobhán", "Aarav", "Łukasz"};
    private static final String[] LAST = {"Example", "Sample", "Ní Bhriain", "Okafor", "Müller"};
    private static final List<String> LISTS = List.of("categories", "subjects", "contexts", "attachments");

    private final Random random;
    private final int maxJsonBytes;
    private int serial;

    HostileContent(long seed, int maxJsonBytes) {
        this.random = new Random(seed);
        this.maxJsonBytes = maxJsonBytes;
    }

    static ObjectNode c01() {
        try {
            return (ObjectNode) HubHttpClient.JSON.readTree(Submissions.current("C01-police-cce-blackpool.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode tree) {
        try {
            return HubHttpClient.JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A content-like text carrying a unique seven-digit serial, which alone would show a leak. */
    String contentLike() {
        String tag = String.format(Locale.ROOT, "%07d", 4_000_000 + serial++);
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        switch (random.nextInt(4)) {
            case 0:
                return first + " " + last + " " + tag;
            case 1:
                return first.toLowerCase(Locale.ROOT) + "." + tag + "@mail.test";
            case 2:
                return "07700 " + tag + " " + last;
            default:
                return last + ", " + first + " born 2011-03-02 #" + tag;
        }
    }

    static String serialOf(String planted) {
        for (int i = 0, run = 0; i < planted.length(); i++) {
            run = Character.isDigit(planted.charAt(i)) ? run + 1 : 0;
            if (run == 7) {
                return planted.substring(i - 6, i + 1);
            }
        }
        return planted;
    }

    private static Map<String, ObjectNode> objects(ObjectNode root) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(JsonNode node, String path, Map<String, ObjectNode> out) {
        if (node.isObject()) {
            out.put(path, (ObjectNode) node);
            node.fields().forEachRemaining(e -> collect(e.getValue(),
                    path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", out);
            }
        }
    }

    /** Undefined keys (and values) with content-like names planted in random objects at random positions. */
    Case undefinedKeys(int keys) {
        ObjectNode tree = c01();
        Map<String, ObjectNode> objects = objects(tree);
        List<String> where = new ArrayList<>(objects.keySet());
        List<String> planted = new ArrayList<>();
        Map<String, List<String>> plantedIn = new LinkedHashMap<>();
        for (int k = 0; k < keys; k++) {
            String path = where.get(random.nextInt(where.size()));
            ObjectNode o = objects.get(path);
            String key = contentLike();
            String value = contentLike();
            planted.add(key);
            planted.add(value);
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
            o.fields().forEachRemaining(members::add);
            int at = random.nextInt(members.size() + 1);
            o.removeAll();
            for (int i = 0; i <= members.size(); i++) {
                if (i == at) {
                    o.set(key, random.nextBoolean() ? TextNode.valueOf(value)
                            : HubHttpClient.JSON.createArrayNode().add(value).add(HubHttpClient.JSON.createObjectNode()
                                    .put(value, value)));
                }
                if (i < members.size()) {
                    o.set(members.get(i).getKey(), members.get(i).getValue());
                }
            }
            plantedIn.computeIfAbsent(path, x -> new ArrayList<>()).add(key);
        }
        List<String> paths = new ArrayList<>();
        plantedIn.forEach((path, names) -> {
            int i = 0;
            for (Iterator<String> it = objects.get(path).fieldNames(); it.hasNext(); i++) {
                if (names.contains(it.next())) {
                    paths.add((path.isEmpty() ? "" : path + ".") + "(unknown field " + i + ")");
                }
            }
        });
        return new Case(keys + " undefined keys", bytes(tree), planted, keys <= 100 ? paths : List.of(), UNKNOWN,
                keys <= 100, keys);
    }

    /** Sets the field at {@code pattern} in the first item of each list on the way. */
    private static void set(ObjectNode root, String pattern, JsonNode v) {
        String[] parts = pattern.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.endsWith("[]")) {
                String key = part.substring(0, part.length() - 2);
                ArrayNode list = at.has(key) ? (ArrayNode) at.get(key) : at.putArray(key);
                if (list.isEmpty()) {
                    list.add(item(key));
                }
                if (last) {
                    list.set(0, v);
                    return;
                }
                at = (ObjectNode) list.get(0);
            } else if (last) {
                at.set(part, v);
            } else {
                at = at.has(part) ? (ObjectNode) at.get(part) : at.putObject(part);
            }
        }
    }

    private static JsonNode item(String list) {
        switch (list) {
            case "categories":
                return TextNode.valueOf("CCE");
            case "subjects":
                return c01().get("subjects").get(1);
            case "contexts":
                return c01().get("contexts").get(0);
            default:
                return HubHttpClient.JSON.createObjectNode().put("name", "a.txt").put("mediaType", "text/plain")
                        .put("content", "aGk=");
        }
    }

    /**
     * Every bounded text and list of the field table, just over its bound and further over, within the body limit;
     * but {@code partnerId}: one over its bound names no participant, so the identity check before field validation
     * answers it (403 IDENTITY_MISMATCH), as the scenario orders.
     */
    List<Case> overBounds() {
        List<Case> out = new ArrayList<>();
        for (Map.Entry<String, Integer> b : SubmissionFields.bounds().entrySet()) {
            int max = b.getValue();
            if (max == SubmissionFields.BY_BODY_LIMIT || b.getKey().equals("partnerId")) {
                continue;
            }
            boolean list = LISTS.contains(b.getKey());
            for (int size : new int[] {max + 1, max + 1 + random.nextInt(Math.max(1, Math.min(max, 12_000)))}) {
                ObjectNode tree = c01();
                String planted = contentLike();
                String message;
                if (list) {
                    ArrayNode items = HubHttpClient.JSON.createArrayNode();
                    for (int i = 0; i < size; i++) {
                        items.add(item(b.getKey()).deepCopy());
                    }
                    if (items.get(size - 1).isObject()) {
                        ((ObjectNode) items.get(size - 1)).put("name", planted);
                    }
                    tree.set(b.getKey(), items);
                    message = "must have at most " + String.format(Locale.ROOT, "%,d", max) + " items";
                } else {
                    StringBuilder text = new StringBuilder(size);
                    while (text.length() < size) {
                        text.append(planted).append(' ');
                    }
                    text.setLength(size);
                    set(tree, b.getKey(), TextNode.valueOf(text.toString()));
                    message = "must be at most " + String.format(Locale.ROOT, "%,d", max) + " characters";
                }
                byte[] json = bytes(tree);
                if (json.length > maxJsonBytes) {
                    continue;
                }
                out.add(new Case(b.getKey() + " of " + size, json,
                        size > planted.length() ? List.of(planted) : List.of(),
                        List.of(b.getKey().replace("[]", "[0]")), message, false, -1));
            }
        }
        return out;
    }

    private byte[] flaw() {
        switch (random.nextInt(8)) {
            case 0: {
                int c = random.nextInt(0x80);
                return new byte[] {(byte) (0xC0 | (c >> 6)), (byte) (0x80 | (c & 0x3F))};
            }
            case 1: {
                int c = random.nextInt(0x800);
                return new byte[] {(byte) 0xE0, (byte) (0x80 | (c >> 6)), (byte) (0x80 | (c & 0x3F))};
            }
            case 2: {
                int c = 0xD800 + random.nextInt(0x800);
                return new byte[] {(byte) 0xED, (byte) (0x80 | ((c >> 6) & 0x3F)), (byte) (0x80 | (c & 0x3F))};
            }
            case 3:
                return new byte[] {(byte) 0xF4, (byte) (0x90 + random.nextInt(0x30)), (byte) 0x80, (byte) 0x80};
            case 4:
                return new byte[] {(byte) (0x80 + random.nextInt(0x40))};
            case 5:
                return new byte[] {(byte) (0xE1 + random.nextInt(11)), (byte) 0x80, '"'};
            case 6:
                return new byte[] {(byte) (0xF5 + random.nextInt(11))};
            default:
                return new byte[] {(byte) random.nextInt(9)};
        }
    }

    /** Malformed UTF-8 spliced in anywhere, a byte order mark, or the whole body in UTF-16 or UTF-32. */
    Case malformedUtf8(int n) {
        byte[] body = bytes(c01());
        List<String> planted = List.of("Jamie Example", "12 Example Street", "07700 900123");
        if (n % 10 == 0) {
            Charset cs = List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                    Charset.forName("UTF-32")).get(random.nextInt(4));
            return new Case("as " + cs.name(), new String(body, StandardCharsets.UTF_8).getBytes(cs), planted,
                    List.of("$"), NOT_UTF8, true, 1);
        }
        byte[] inserted = n % 10 == 1 ? new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF} : flaw();
        int at = n % 10 == 1 ? 0 : random.nextInt(body.length + 1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(body, 0, at);
        b.writeBytes(inserted);
        b.write(body, at, body.length - at);
        return new Case(HexFormat.of().formatHex(inserted) + " at byte " + at, b.toByteArray(), planted,
                List.of("$"), NOT_UTF8, true, 1);
    }

    /** An escaped U+0000, another control character or an unpaired surrogate in a random known text. */
    Case forbiddenEscape() {
        String[] escapes = {"\\u0000", "\\u001b", "\\u0007", "\\b", "\\u007f", "\\u0085", "\\ud800", "\\udfff",
            "\\uDBFFA", "\\udc00\\ud800"};
        String[][] fields = {{"subjects", "identity", "name"}, {"subjects", "identity", "address"},
            {"narrative"}, {"source", "sourceDetails"}, {"contexts", "description"}, {"subjects", "ref"},
            {"handling", "code"}, {"area"}};
        String[] field = fields[random.nextInt(fields.length)];
        String escape = escapes[random.nextInt(escapes.length)];
        ObjectNode tree = c01();
        String path;
        ObjectNode holder;
        boolean inList = field[0].equals("subjects") || field[0].equals("contexts");
        if (field.length == 3) {
            holder = (ObjectNode) tree.get(field[0]).get(0).get(field[1]);
            path = field[0] + "[0]." + field[1] + "." + field[2];
        } else if (field.length == 2 && inList) {
            holder = (ObjectNode) tree.get(field[0]).get(0);
            path = field[0] + "[0]." + field[1];
        } else if (field.length == 2) {
            holder = (ObjectNode) tree.get(field[0]);
            path = field[0] + "." + field[1];
        } else {
            holder = tree;
            path = field[0];
        }
        String key = field[field.length - 1];
        String original = holder.get(key).asText();
        String marker = "\u2603MARK" + serial++ + "\u2603";
        holder.put(key, marker);
        int split = original.length() / 2;
        int rest = Math.min(original.length(), split + (escape.length() > 6 ? 2 : 1));
        String json = new String(bytes(tree), StandardCharsets.UTF_8)
                .replace(marker, original.substring(0, split) + escape + original.substring(rest));
        boolean surrogate = escape.toLowerCase(Locale.ROOT).startsWith("\\ud");
        return new Case(escape + " in " + path, json.getBytes(StandardCharsets.UTF_8),
                original.contains(" ") ? List.of(original) : List.of(), List.of(path),
                surrogate ? SURROGATE : CONTROL, false, -1);
    }
}
