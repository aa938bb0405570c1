package org.safeguarding.hub.submission;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every field a submission may have, its JSON type, and its bound: the most characters a text may have and the most
 * items a list may have. {@link SubmissionReader} reads a submission against {@link #SUBMISSION} and refuses, with its
 * path, whatever is not here or is over its bound, before any value is kept; docs/submission-fields.md states the same
 * table (a test holds the two together).
 *
 * <p>Characters are Unicode code points. The bounds are generous against the scenario's real sizes (identifiers of a
 * dozen characters, names of a few words, paragraphs of free text, one to three subjects and contexts) so that no real
 * submission meets them, and tight enough that nothing travels in every package at megabyte size.
 */
public final class SubmissionFields {
    /** A field's expected JSON value. */
    public sealed interface Field permits Text, WholeNumber, Bool, Obj, ListOf {
    }

    /**
     * A JSON string of at most {@code maxLength} code points; {@link #BY_BODY_LIMIT} for an attachment's content, which
     * only the sealed body's size limit bounds.
     */
    public record Text(int maxLength) implements Field {
    }

    /** A JSON integer that fits 32 bits. */
    public record WholeNumber() implements Field {
    }

    /** {@code true} or {@code false}. */
    public record Bool() implements Field {
    }

    /** A JSON object with these keys, in this order. */
    public record Obj(Map<String, Field> fields) implements Field {
    }

    /** A JSON array of at most {@code maxItems} items of one kind. */
    public record ListOf(Field item, int maxItems) implements Field {
    }

    /** The bound of {@code attachments[].content}: the sealed body's limit ({@code http.maxSubmissionBytes}). */
    public static final int BY_BODY_LIMIT = -1;

    /** A code from a closed list (area, purpose, role, ...) or a formatted value (date, NHS number, UPN). */
    public static final int CODE = 32;
    /** A date and time ({@code submittedAt}, episode times). */
    public static final int INSTANT = 64;
    /** A reference or identifier chosen by a partner. */
    public static final int REFERENCE = 64;
    /** A UK postcode or vehicle registration mark. */
    public static final int POSTCODE = 16;
    /** A person's or an organisation's name, a handle. */
    public static final int NAME = 200;
    /** An address or a place. */
    public static final int PLACE = 500;
    /** A short description: a context, the handling conditions. */
    public static final int DESCRIPTION = 2_000;
    /** A free-text field of a subject's health or of the source. */
    public static final int FREE_TEXT = 4_000;
    /** The narrative (the scenario's own limit). */
    public static final int NARRATIVE = 20_000;

    public static final int MAX_CATEGORIES = 5;
    public static final int MAX_SUBJECTS = 100;
    public static final int MAX_CONTEXTS = 100;
    public static final int MAX_ATTACHMENTS = 20;

    /** The submission. */
    public static final Obj SUBMISSION = obj()
            .text("submissionId", 36)
            .text("partnerId", REFERENCE)
            .text("submittedAt", INSTANT)
            .text("area", CODE)
            .with("categories", new ListOf(new Text(CODE), MAX_CATEGORIES))
            .text("purpose", CODE)
            .text("classification", CODE)
            .text("urgency", CODE)
            .with("handling", obj().text("code", CODE).text("conditions", DESCRIPTION).build())
            .with("grading", obj().text("source", CODE).text("intelligence", CODE).build())
            .with("source", obj().text("officerRef", REFERENCE).text("sourceType", 100)
                    .text("sourceDetails", FREE_TEXT).build())
            .with("subjects", new ListOf(obj()
                    .text("ref", REFERENCE)
                    .text("role", CODE)
                    .with("identity", obj().text("name", NAME).text("dateOfBirth", CODE).text("nhsNumber", CODE)
                            .text("upn", CODE).text("address", PLACE).text("postcode", POSTCODE).build())
                    .with("ageYears", new WholeNumber())
                    .with("lookedAfter", obj().with("isLookedAfter", new Bool()).text("placingAuthority", NAME).build())
                    .with("health", obj().text("summary", FREE_TEXT).text("mentalHealth", FREE_TEXT)
                            .text("substanceMisuse", FREE_TEXT).text("sexualHealth", FREE_TEXT)
                            .text("injuries", FREE_TEXT).build())
                    .build(), MAX_SUBJECTS))
            .with("contexts", new ListOf(obj().text("type", CODE).text("description", DESCRIPTION)
                    .text("postcode", POSTCODE).text("platform", 100).text("handle", NAME).text("vrm", POSTCODE)
                    .build(), MAX_CONTEXTS))
            .text("narrative", NARRATIVE)
            .with("missingEpisode", obj().text("from", INSTANT).text("to", INSTANT).text("returnedTo", PLACE)
                    .text("locationFound", PLACE).build())
            .with("attachments", new ListOf(obj().text("name", 255).text("mediaType", 255)
                    .text("content", BY_BODY_LIMIT).build(), MAX_ATTACHMENTS))
            .build();

    private SubmissionFields() {
    }

    /**
     * Every bounded field by its path pattern ({@code subjects[].identity.name}; a list's items as {@code
     * categories[]}) and its bound: code points for a text, items for a list ({@link #BY_BODY_LIMIT} for a text only
     * the body limit bounds). In the order of {@link #SUBMISSION}.
     */
    public static Map<String, Integer> bounds() {
        Map<String, Integer> out = new LinkedHashMap<>();
        bounds(SUBMISSION, "", out);
        return Collections.unmodifiableMap(out);
    }

    private static void bounds(Field f, String path, Map<String, Integer> out) {
        if (f instanceof Text t) {
            out.put(path, t.maxLength());
        } else if (f instanceof ListOf l) {
            out.put(path, l.maxItems());
            bounds(l.item(), path + "[]", out);
        } else if (f instanceof Obj o) {
            o.fields().forEach((k, v) -> bounds(v, path.isEmpty() ? k : path + "." + k, out));
        }
    }

    private static Builder obj() {
        return new Builder();
    }

    private static final class Builder {
        private final Map<String, Field> fields = new LinkedHashMap<>();

        Builder text(String key, int maxLength) {
            return with(key, new Text(maxLength));
        }

        Builder with(String key, Field field) {
            fields.put(key, field);
            return this;
        }

        Obj build() {
            return new Obj(Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
        }
    }
}
