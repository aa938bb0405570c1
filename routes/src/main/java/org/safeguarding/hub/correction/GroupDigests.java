package org.safeguarding.hub.correction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed digests of what one recipient's package shows of a submission, one per field group (SCENARIO.md's groups, and
 * {@code CORE} for what every recipient sees), so that a correction can tell which groups it changed for that
 * recipient without the hub keeping any content. A digest is base64url HMAC-SHA256, under a key of the hub's own, of
 * the group's canonical JSON (keys sorted) as the recipient's redacted submission holds it: a withheld group is
 * absent and never digested, so its change cannot show. {@code submittedAt} is left out: it says when a partner sent
 * the content (a correction has its own), not what it says.
 */
public final class GroupDigests {
    /** The groups, in the order they are named to a recipient. */
    public static final List<String> GROUPS = List.of("CORE", "SOURCE", "IDENTITY", "CARE", "HEALTH", "CONTEXTS",
            "NARRATIVE", "EPISODE", "ATTACHMENTS");
    private static final List<String> CORE_FIELDS = List.of("submissionId", "partnerId", "area", "categories",
            "purpose", "classification", "handling");
    private static final List<String> SUBJECT_CORE = List.of("ref", "role", "age", "ageYears");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    /** @param key32 32 secret bytes of the hub's own, used for nothing else */
    public GroupDigests(byte[] key32) {
        if (key32 == null || key32.length != 32) {
            throw new IllegalArgumentException("the group digest key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key32.clone(), HMAC);
    }

    /** Group name to digest, for every group the redacted submission shows. */
    public Map<String, String> of(JsonNode redacted) {
        Map<String, String> digests = new TreeMap<>();
        ObjectNode core = F.objectNode();
        CORE_FIELDS.forEach(f -> copy(redacted, core, f));
        ArrayNode subjects = core.putArray("subjects");
        for (JsonNode s : redacted.path("subjects")) {
            ObjectNode o = subjects.addObject();
            SUBJECT_CORE.forEach(f -> copy(s, o, f));
        }
        put(digests, "CORE", core);
        ObjectNode source = F.objectNode();
        copy(redacted, source, "grading");
        copy(redacted, source, "source");
        put(digests, "SOURCE", source);
        put(digests, "IDENTITY", perSubject(redacted, "identity"));
        put(digests, "CARE", perSubject(redacted, "lookedAfter"));
        put(digests, "HEALTH", perSubject(redacted, "health"));
        put(digests, "CONTEXTS", single(redacted, "contexts"));
        put(digests, "NARRATIVE", single(redacted, "narrative"));
        put(digests, "EPISODE", single(redacted, "missingEpisode"));
        put(digests, "ATTACHMENTS", single(redacted, "attachments"));
        return digests;
    }

    /**
     * The groups that differ between what a recipient was shown and what it would be shown now, in {@link #GROUPS}
     * order: a group shown in one and not the other, or shown differently.
     */
    public static List<String> changed(Map<String, String> before, Map<String, String> after) {
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<String> changed = new ArrayList<>();
        for (String g : GROUPS) {
            if (names.contains(g) && !java.util.Objects.equals(before.get(g), after.get(g))) {
                changed.add(g);
            }
        }
        return changed;
    }

    /** The group's values, by subject position; absent when no subject shows it. */
    private static JsonNode perSubject(JsonNode redacted, String field) {
        ArrayNode values = F.arrayNode();
        boolean any = false;
        for (JsonNode s : redacted.path("subjects")) {
            JsonNode v = s.get(field);
            values.add(v == null ? F.nullNode() : v);
            any |= v != null;
        }
        return any ? values : null;
    }

    private static JsonNode single(JsonNode redacted, String field) {
        return redacted.get(field);
    }

    private void put(Map<String, String> digests, String group, JsonNode value) {
        if (value == null || (value.isObject() && value.isEmpty())) {
            return;
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update((group + "\0").getBytes(StandardCharsets.UTF_8));
            // streamed into the MAC: a group may hold attachments of many megabytes, never copied whole
            JSON.writeValue(new MacStream(mac), canonical(value));
            byte[] digest = mac.doFinal();
            digests.put(group, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("a group digest could not be made", e);
        }
    }

    /** Feeds what is written into a MAC; closing it does nothing. */
    private static final class MacStream extends java.io.OutputStream {
        private final Mac mac;

        MacStream(Mac mac) {
            this.mac = mac;
        }

        @Override
        public void write(int b) {
            mac.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            mac.update(b, off, len);
        }
    }

    /** The same value with every object's keys in sorted order, so that key order never reads as a change. */
    static JsonNode canonical(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = F.objectNode();
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            for (String name : names) {
                o.set(name, canonical(n.get(name)));
            }
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = F.arrayNode();
            n.forEach(e -> a.add(canonical(e)));
            return a;
        }
        return n;
    }

    private static void copy(JsonNode in, ObjectNode out, String field) {
        JsonNode v = in.get(field);
        if (v != null) {
            out.set(field, v);
        }
    }

    @Override
    public String toString() {
        return "GroupDigests[key hidden]";
    }
}
