package org.safeguarding.hub.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.safeguarding.hub.error.FieldError;

/** Reads dotted keys from a YAML tree with defaults, recording every problem instead of stopping at the first. */
final class SettingsReader {
    private final ObjectNode root;
    private final Path base;
    private final List<FieldError> problems;
    private final Set<String> known = new HashSet<>();

    SettingsReader(ObjectNode root, Path base, List<FieldError> problems) {
        this.root = root;
        this.base = base;
        this.problems = problems;
    }

    private JsonNode node(String key) {
        known.add(key);
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n == null || n.isNull() ? null : n;
    }

    String text(String key, String fallback) {
        JsonNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isValueNode()) {
            problems.add(new FieldError(key, "must be a single value"));
            return fallback;
        }
        return n.asText();
    }

    int integer(String key, int fallback) {
        JsonNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            problems.add(new FieldError(key, "must be a whole number"));
            return fallback;
        }
        return n.intValue();
    }

    long longValue(String key, long fallback) {
        JsonNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber()) {
            problems.add(new FieldError(key, "must be a whole number"));
            return fallback;
        }
        return n.longValue();
    }

    Duration duration(String key, Duration fallback) {
        String s = text(key, null);
        if (s == null) {
            return fallback;
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            problems.add(new FieldError(key, "must be an ISO-8601 duration such as PT5M or P5D"));
            return fallback;
        }
    }

    Path path(String key, String fallback) {
        String s = text(key, fallback);
        return base.resolve(s).normalize();
    }

    Path pathUnder(String key, Path parent, String fallback) {
        String s = text(key, null);
        return s == null ? parent.resolve(fallback).normalize() : base.resolve(s).normalize();
    }

    Path optionalPath(String key) {
        String s = text(key, null);
        return s == null ? null : base.resolve(s).normalize();
    }

    /**
     * A list of names, each one of {@code allowed}; a problem per entry that is not (path {@code key[i]}).
     * Returns the entries, or the fallback when the key is absent or an entry is wrong (so that later checks do not
     * repeat the problem).
     */
    List<String> names(String key, List<String> allowed, String hint, List<String> fallback) {
        JsonNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isArray()) {
            problems.add(new FieldError(key, "must be a list such as [" + String.join(", ", allowed) + "]"));
            return fallback;
        }
        List<String> out = new java.util.ArrayList<>();
        int before = problems.size();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (e.isTextual() && allowed.contains(e.asText())) {
                if (!out.contains(e.asText())) {
                    out.add(e.asText());
                }
            } else {
                problems.add(new FieldError(key + "[" + i + "]", "must be one of " + String.join(", ", allowed) + hint));
            }
        }
        return problems.size() == before ? out : fallback;
    }

    /** A list of single values, or null when the key is absent (a problem when it is not a list). */
    List<String> strings(String key) {
        JsonNode n = node(key);
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            problems.add(new FieldError(key, "must be a list such as [a, b]"));
            return null;
        }
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (e.isValueNode() && !e.isNull()) {
                out.add(e.asText());
            } else {
                problems.add(new FieldError(key + "[" + i + "]", "must be a single value"));
            }
        }
        return out;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode n = node(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            problems.add(new FieldError(key, "must be true or false"));
            return fallback;
        }
        return n.booleanValue();
    }

    /** One of an enum's constants, by name. */
    <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        String s = text(key, null);
        if (s == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        problems.add(new FieldError(key, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(Enum::name).collect(java.util.stream.Collectors.joining(", "))));
        return fallback;
    }

    /** Reports every key in the file that this reader never asked for: a typo must not pass silently. */
    void rejectUnknownKeys() {
        collect(root, "");
    }

    private void collect(JsonNode n, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (known.contains(key)) {
                continue;
            }
            if (e.getValue().isObject() && known.stream().anyMatch(k -> k.startsWith(key + "."))) {
                collect(e.getValue(), key);
            } else {
                problems.add(new FieldError(key, "unknown setting; see the README for the keys of hub.yaml"));
            }
        }
    }
}
