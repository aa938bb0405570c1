package org.safeguarding.hub.submission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.submission.SubmissionFields.Bool;
import org.safeguarding.hub.submission.SubmissionFields.Field;
import org.safeguarding.hub.submission.SubmissionFields.ListOf;
import org.safeguarding.hub.submission.SubmissionFields.Obj;
import org.safeguarding.hub.submission.SubmissionFields.Text;
import org.safeguarding.hub.submission.SubmissionFields.WholeNumber;

/**
 * Reads a submission's JSON against {@link SubmissionFields#SUBMISSION} in one streaming pass, keeping only what is
 * well-shaped and within its bound, and recording every problem with its path:
 *
 * <ul>
 *   <li>the bytes must be well-formed UTF-8 JSON text ({@link Utf8Json}), else one problem at {@code $};</li>
 *   <li>malformed JSON, a repeated key, trailing content or a reader limit (nesting deeper than 64, a key over 50,000
 *       characters, a number over 1,000 digits): one problem at {@code $};</li>
 *   <li>a key the field table does not define is named by its position among the members of its object, counted from
 *       0 as list indexes are ({@code subjects[0].(unknown field 3)} is the fourth member of {@code subjects[0]}),
 *       never by its text, and its value is skipped unread;</li>
 *   <li>a value of the wrong JSON type, or {@code null}, is refused at its path;</li>
 *   <li>a text over its bound, or holding a control character other than tab, line feed and carriage return
 *       (U+0000-U+001F, U+007F-U+009F, whether raw or escaped) or an escape of an unpaired surrogate (such as
 *       <code>&#92;ud800</code>), is refused at its path; a text far over its bound is skipped undecoded;</li>
 *   <li>a list over its bound is refused at its path, and its items past the bound are skipped unread.</li>
 * </ul>
 *
 * A large {@code attachments[i].content} that is plain base64 is not turned into a string: the tree holds an empty
 * text in its place (valid base64, so that field validation sees a valid value, as it would for the real one) and the
 * slice is remembered, to be put back as an {@link AttachmentContent} ({@link Result#restore}). A value that is not
 * plain base64 (escapes, other characters, a bad ending) is read as usual, so that validation reports it.
 *
 * <p>No problem message repeats a value or an undefined key.
 */
final class SubmissionReader {
    /** Attachment contents at least this long are kept in place. */
    static final int LARGE = 64 * 1024;
    /** The most bytes one code point takes in JSON: a surrogate pair written as two escapes of six characters. */
    private static final int MAX_BYTES_PER_CODE_POINT = 12;

    static final String UNKNOWN_FIELD = "is not a field of a submission; remove it";
    static final String CONTROL_CHARACTER = "must not contain U+0000 or another control character"
            + " (of U+0000-U+001F and U+007F-U+009F only tab, line feed and carriage return are allowed)";
    static final String UNPAIRED_SURROGATE = "must be Unicode text: a \\u escape names an unpaired surrogate";

    /**
     * Jackson's default limit on one string (20 million characters) is below what an attachment of a submission up
     * to the size limit needs; the sealed body's size limit bounds it instead. Nesting stays shallow: no submission
     * field is more than four levels deep. (Key names stay canonicalised: without it Jackson reads bytes through a
     * decoding reader, which loses the byte offsets that large contents are kept in place by.)
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(128 * 1024 * 1024)
                    .maxNestingDepth(64)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SubmissionReader() {
    }

    /** A large content kept in place: the attachment object it belongs in, and the slice. */
    record Kept(ObjectNode attachment, AttachmentContent content) {
    }

    /**
     * What reading found: the tree of the well-shaped parts (the whole submission when there are no problems), the
     * problems, and the large contents kept in place.
     */
    record Result(ObjectNode tree, Problems problems, List<Kept> kept) {
        /** Puts the kept contents into the tree, in place of their empty placeholders. */
        void restore() {
            for (Kept k : kept) {
                k.attachment().set("content", new POJONode(k.content()));
            }
        }
    }

    /**
     * The problems found, all of them for known paths (the field table bounds how many there can be) and the first
     * {@link #LISTED} of those about undefined keys, with how many there were.
     */
    static final class Problems {
        static final int LISTED = org.safeguarding.hub.error.ProblemJson.MAX_ERRORS;
        private final List<FieldError> listed = new ArrayList<>();
        private int unknownListed;
        private int unknownCount;

        void add(String path, String message) {
            listed.add(new FieldError(path, message));
        }

        void unknown(String path) {
            unknownCount++;
            if (unknownListed < LISTED) {
                unknownListed++;
                listed.add(new FieldError(path, UNKNOWN_FIELD));
            }
        }

        /** Those kept (every one about a known path, the first {@link #LISTED} about undefined keys). */
        List<FieldError> listed() {
            return listed;
        }

        /** How many problems were found, whether kept or only counted. */
        int count() {
            return listed.size() + (unknownCount - unknownListed);
        }

        boolean isEmpty() {
            return listed.isEmpty();
        }
    }

    /**
     * Reads the first {@code length} bytes of {@code json}.
     *
     * @throws HubException INVALID_SUBMISSION at {@code $} when the bytes are not one well-formed UTF-8 JSON object
     */
    static Result read(byte[] json, int length) {
        Utf8Json.Flaw flaw = Utf8Json.flaw(json, 0, length);
        if (flaw != null) {
            throw atRoot(flaw.message());
        }
        try (JsonParser p = FACTORY.createParser(json, 0, length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw atRoot("the body is empty: send one JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                if (p.nextToken() != null) {
                    throw malformed(p.currentTokenLocation());
                }
                throw atRoot("must be a JSON object");
            }
            Reading r = new Reading(p, json, length);
            ObjectNode tree = (ObjectNode) r.value(SubmissionFields.SUBMISSION, "");
            if (p.nextToken() != null) {
                throw malformed(p.currentTokenLocation());
            }
            return new Result(tree, r.problems, r.kept);
        } catch (StreamConstraintsException | IllegalStateException e) {
            // IllegalStateException: Jackson's symbol table refusing keys whose hashes collide on purpose
            throw atRoot("over the reader's limits (nesting deeper than 64, a key longer than 50,000 characters"
                    + " or a number longer than 1,000 digits); send one submission object as its reference describes");
        } catch (JsonProcessingException e) {
            throw malformed(e.getLocation());
        } catch (IOException e) {
            throw atRoot("not readable as JSON");
        }
    }

    private static HubException malformed(JsonLocation location) {
        String where = location == null ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return atRoot("not well-formed JSON" + where + "; send one UTF-8 JSON object without repeated keys");
    }

    private static HubException atRoot(String message) {
        return SubmissionValidator.invalid(List.of(new FieldError("$", message)), 1);
    }

    /** One reading: the parser, the bytes (for contents kept in place), what was found. */
    private static final class Reading {
        private final JsonParser p;
        private final byte[] json;
        private final int length;
        private final Problems problems = new Problems();
        private final List<Kept> kept = new ArrayList<>();
        private final JsonNodeFactory nodes = JsonNodeFactory.instance;
        /** A content just kept in place, for the object being read to claim. */
        private AttachmentContent keptNow;

        Reading(JsonParser p, byte[] json, int length) {
            this.p = p;
            this.json = json;
            this.length = length;
        }

        /** The value at the current token as {@code field} expects it, or null (a problem recorded, value skipped). */
        JsonNode value(Field field, String path) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                problems.add(path, "must not be null; leave it out instead");
                return null;
            }
            if (field instanceof Text text) {
                return text(text, path, t);
            }
            if (field instanceof WholeNumber) {
                if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                    return IntNode.valueOf(p.getIntValue());
                }
                return wrong(path, "must be a whole number");
            }
            if (field instanceof Bool) {
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    return BooleanNode.valueOf(t == JsonToken.VALUE_TRUE);
                }
                return wrong(path, "must be true or false");
            }
            if (field instanceof ListOf list) {
                return list(list, path, t);
            }
            return object((Obj) field, path, t);
        }

        private JsonNode wrong(String path, String message) throws IOException {
            problems.add(path, message);
            p.skipChildren();
            return null;
        }

        private JsonNode object(Obj obj, String path, JsonToken t) throws IOException {
            if (t != JsonToken.START_OBJECT) {
                return wrong(path, "must be an object");
            }
            ObjectNode out = nodes.objectNode();
            int index = 0;
            for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken(), index++) {
                String name = p.currentName();
                Field field = obj.fields().get(name);
                p.nextToken();
                if (field == null) {
                    problems.unknown(join(path, FieldPaths.UNKNOWN + index + ")"));
                    p.skipChildren();
                    continue;
                }
                JsonNode v = value(field, join(path, name));
                if (v != null) {
                    out.set(name, v);
                    if (keptNow != null) {
                        kept.add(new Kept(out, keptNow));
                    }
                }
                keptNow = null;
            }
            return out;
        }

        private JsonNode list(ListOf list, String path, JsonToken t) throws IOException {
            if (t != JsonToken.START_ARRAY) {
                return wrong(path, "must be a list");
            }
            ArrayNode out = nodes.arrayNode();
            boolean allGood = true;
            int i = 0;
            for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken(), i++) {
                if (i == list.maxItems()) {
                    problems.add(path, "must have at most " + count(list.maxItems()) + " items");
                    p.skipChildren();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        p.skipChildren();
                    }
                    return null;
                }
                JsonNode v = value(list.item(), path + "[" + i + "]");
                if (v == null) {
                    allGood = false;
                } else {
                    out.add(v);
                }
            }
            // A list with a bad item is dropped whole so that indexes in later messages stay those of the input.
            return allGood ? out : null;
        }

        private JsonNode text(Text text, String path, JsonToken t) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                return wrong(path, "must be a text value");
            }
            int max = text.maxLength();
            if (max == SubmissionFields.BY_BODY_LIMIT) {
                AttachmentContent inPlace = keepInPlace();
                if (inPlace != null) {
                    keptNow = inPlace;
                    return TextNode.valueOf("");
                }
            } else if (rawLength() > (long) max * MAX_BYTES_PER_CODE_POINT) {
                // so far over that no decoding could bring it within: not decoded at all
                problems.add(path, tooLong(max));
                return null;
            }
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            int len = p.getTextLength();
            if (max != SubmissionFields.BY_BODY_LIMIT && len > max && Character.codePointCount(chars, offset, len) > max) {
                problems.add(path, tooLong(max));
                return null;
            }
            String bad = badCharacter(chars, offset, len);
            if (bad != null) {
                problems.add(path, bad);
                return null;
            }
            return TextNode.valueOf(new String(chars, offset, len));
        }

        /** Bytes between the current string token's quotes, as sent (escapes undecoded); -1 when unknown. */
        private long rawLength() {
            long at = p.currentTokenLocation().getByteOffset();
            if (at < 0 || at >= length || json[(int) at] != '"') {
                return -1;
            }
            int i = (int) at + 1;
            while (i < length && json[i] != '"') {
                i += json[i] == '\\' ? 2 : 1;
            }
            return i - at - 1;
        }

        /** The string's text sits between quotes with no escape and is base64 that decodes: keep it in place. */
        private AttachmentContent keepInPlace() {
            long at = p.currentTokenLocation().getByteOffset();
            if (at < 0 || at >= length || json[(int) at] != '"') {
                return null;
            }
            int start = (int) at + 1;
            int end = start;
            while (end < length && isBase64Char(json[end])) {
                end++;
            }
            int padded = end;
            while (padded < length && padded - end < 2 && json[padded] == '=') {
                padded++;
            }
            if (padded >= length || json[padded] != '"' || padded - start < LARGE) {
                return null;
            }
            // every whole 4-character unit before the last one decodes; the decoder judges the ending itself
            int tail = Math.max(start, start + ((padded - start - 1) / 4 - 1) * 4);
            try {
                Base64.getDecoder().decode(java.nio.ByteBuffer.wrap(json, tail, padded - tail));
            } catch (IllegalArgumentException e) {
                return null;
            }
            return new AttachmentContent(json, start, padded - start);
        }
    }

    private static boolean isBase64Char(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/';
    }

    /** Why the text may not be kept ({@link #CONTROL_CHARACTER}, {@link #UNPAIRED_SURROGATE}), or null. */
    static String badCharacter(char[] chars, int offset, int len) {
        for (int i = offset, end = offset + len; i < end; i++) {
            char c = chars[i];
            if (c < 0x20) {
                if (c != '\t' && c != '\n' && c != '\r') {
                    return CONTROL_CHARACTER;
                }
            } else if (c >= 0x7F && c <= 0x9F) {
                return CONTROL_CHARACTER;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                    i++;
                } else {
                    return UNPAIRED_SURROGATE;
                }
            }
        }
        return null;
    }

    static String tooLong(int max) {
        return "must be at most " + count(max) + " characters";
    }

    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
