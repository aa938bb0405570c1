package org.safeguarding.hub.partnership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.safeguarding.hub.error.FieldError;

/**
 * The expected shape of a JSON or YAML tree (which keys an object may have, which values are
 * text, numbers, booleans, lists or objects), checked in one pass that records every problem with
 * its path instead of stopping at the first. {@link #check} returns a copy of the tree holding only
 * the parts that have the right shape, so that binding the copy to typed records cannot fail and
 * Hibernate Validator can then check the values and report their problems too.
 *
 * <p>Paths are written {@code subjects[0].identity.nhsNumber}; map entries as {@code map.KEY}.
 * Messages never repeat a value.
 */
public final class TreeShape {

    /** How strict a check is. */
    public record Mode(boolean lenientScalars, String unknownKeyMessage, boolean listKnownKeys) {
        /** Configuration files: any scalar may stand for text; a single value may stand for a one-item list. */
        public static final Mode CONFIGURATION = new Mode(true, "is not a known key here", true);
    }

    /** A node of the expected shape. */
    public sealed interface Shape permits Text, WholeNumber, Bool, Obj, ListOf, MapOf, TextList {
    }

    /** A text value. */
    public record Text() implements Shape {
    }

    /** An integer. */
    public record WholeNumber() implements Shape {
    }

    /** true or false. */
    public record Bool() implements Shape {
    }

    /** An object with known keys. */
    public record Obj(Map<String, Shape> fields) implements Shape {
    }

    /** A list of items of one shape. */
    public record ListOf(Shape item) implements Shape {
    }

    /** An object with free keys whose values have one shape. */
    public record MapOf(Shape value) implements Shape {
    }

    /** A list of text values; in lenient mode a single text value counts as a one-item list. */
    public record TextList() implements Shape {
    }

    public static final Shape TEXT = new Text();
    public static final Shape WHOLE_NUMBER = new WholeNumber();
    public static final Shape BOOL = new Bool();
    public static final Shape TEXT_LIST = new TextList();

    private TreeShape() {
    }

    /** Starts an object shape: {@code obj().with("a", TEXT).with("b", WHOLE_NUMBER).build()}. */
    public static ObjBuilder obj() {
        return new ObjBuilder();
    }

    public static Shape listOf(Shape item) {
        return new ListOf(item);
    }

    public static Shape mapOf(Shape value) {
        return new MapOf(value);
    }

    /** Builds an {@link Obj} keeping the keys in the order given. */
    public static final class ObjBuilder {
        private final Map<String, Shape> fields = new LinkedHashMap<>();

        public ObjBuilder with(String key, Shape shape) {
            fields.put(key, shape);
            return this;
        }

        public Obj build() {
            return new Obj(Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
        }
    }

    /**
     * Checks {@code node} against {@code shape}, adding a problem for every mismatch.
     *
     * @return a copy holding only well-shaped parts, or {@code null} when the node itself is wrong
     */
    public static JsonNode check(JsonNode node, Shape shape, String path, Mode mode, List<FieldError> problems) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        if (node.isNull()) {
            problems.add(new FieldError(path, "must not be null; leave it out instead"));
            return null;
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (shape instanceof Text) {
            if (node.isTextual() || (mode.lenientScalars() && node.isValueNode())) {
                return f.textNode(node.asText());
            }
            problems.add(new FieldError(path, "must be a text value"));
            return null;
        }
        if (shape instanceof WholeNumber) {
            if (node.isIntegralNumber() && node.canConvertToInt()) {
                return f.numberNode(node.intValue());
            }
            if (mode.lenientScalars() && node.isTextual() && node.asText().matches("-?[0-9]{1,9}")) {
                return f.numberNode(Integer.parseInt(node.asText()));
            }
            problems.add(new FieldError(path, "must be a whole number"));
            return null;
        }
        if (shape instanceof Bool) {
            if (node.isBoolean()) {
                return f.booleanNode(node.booleanValue());
            }
            problems.add(new FieldError(path, "must be true or false"));
            return null;
        }
        if (shape instanceof TextList) {
            if (mode.lenientScalars() && node.isValueNode()) {
                ArrayNode out = f.arrayNode();
                out.add(node.asText());
                return out;
            }
            return checkList(node, TEXT, path, mode, problems);
        }
        if (shape instanceof ListOf list) {
            return checkList(node, list.item(), path, mode, problems);
        }
        if (shape instanceof MapOf map) {
            if (!node.isObject()) {
                problems.add(new FieldError(path, "must be a mapping of names to values"));
                return null;
            }
            ObjectNode out = f.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = check(e.getValue(), map.value(), join(path, e.getKey()), mode, problems);
                if (v != null) {
                    out.set(e.getKey(), v);
                }
            }
            return out;
        }
        Obj obj = (Obj) shape;
        if (!node.isObject()) {
            problems.add(new FieldError(path, "must be an object"));
            return null;
        }
        ObjectNode out = f.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Shape fieldShape = obj.fields().get(e.getKey());
            String fieldPath = join(path, e.getKey());
            if (fieldShape == null) {
                problems.add(new FieldError(fieldPath, unknownKeyMessage(mode, obj.fields().keySet())));
                continue;
            }
            JsonNode v = check(e.getValue(), fieldShape, fieldPath, mode, problems);
            if (v != null) {
                out.set(e.getKey(), v);
            }
        }
        return out;
    }

    private static JsonNode checkList(JsonNode node, Shape item, String path, Mode mode, List<FieldError> problems) {
        if (!node.isArray()) {
            problems.add(new FieldError(path, "must be a list"));
            return null;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        boolean allGood = true;
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = check(node.get(i), item, path + "[" + i + "]", mode, problems);
            if (v == null) {
                allGood = false;
            } else {
                out.add(v);
            }
        }
        // A list with a bad item is dropped whole so that indexes in later messages stay those of the input.
        return allGood ? out : null;
    }

    private static String unknownKeyMessage(Mode mode, Collection<String> known) {
        if (!mode.listKnownKeys()) {
            return mode.unknownKeyMessage();
        }
        return mode.unknownKeyMessage() + "; known keys: " + String.join(", ", known.stream().sorted().toList());
    }

    /** Appends a key to a path. */
    public static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
