package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every identity and narrative string of the scenario's submissions, in the forms in which it could leak
 * into a store: as written, with whitespace folded to '-', '_' or nothing, folded as the audit recorder
 * folds details, lower-cased; names word by word; narratives three words at a time. Codes that are the
 * wire format (ids, areas, categories, purposes, classification, handling code, grading, roles, context
 * types) are left out: they may legitimately appear.
 */
final class ConformanceContent {
    /** Fields whose values are codes or ids, not content. */
    private static final Set<String> CODES = Set.of("submissionId", "partnerId", "submittedAt", "area", "categories",
            "purpose", "classification", "code", "grading", "role", "type", "isLookedAfter", "mediaType");
    /** Words in a "name" that are descriptions, not names ("Unknown female, known as ..."). */
    private static final Set<String> NOT_NAMES = Set.of("unknown", "female", "male", "known");
    /** Values shorter than this could match a hex digest or an id by chance. */
    static final int MIN_LENGTH = 6;

    private ConformanceContent() {
    }

    static Set<String> needles(List<JsonNode> submissions) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode s : submissions) {
            collect(s, "", out);
        }
        return out;
    }

    private static void collect(JsonNode n, String key, Set<String> out) {
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                // the placing authority is the name of a partner organisation (and of a recipient id), not a person's
                if (!CODES.contains(e.getKey()) && !e.getKey().equals("placingAuthority")) {
                    collect(e.getValue(), e.getKey(), out);
                }
            }
        } else if (n.isArray()) {
            n.forEach(c -> collect(c, key, out));
        } else if (n.isTextual()) {
            String v = n.asText().trim();
            addForms(v, out);
            if (key.equals("name")) {
                for (String w : v.split("[^A-Za-z]+")) {
                    if (w.length() >= 4 && !NOT_NAMES.contains(w.toLowerCase(Locale.ROOT))) {
                        out.add(w.toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (key.equals("dateOfBirth")) {
                out.add(v.replace("-", ""));
                String[] ymd = v.split("-");
                out.add(ymd[2] + "/" + ymd[1] + "/" + ymd[0]);
            }
            if (key.equals("narrative") || key.equals("description") || key.equals("summary")
                    || key.equals("conditions") || key.equals("sourceDetails")) {
                String[] words = v.split("\\s+");
                for (int i = 0; i + 3 <= words.length; i++) {
                    addForms(String.join(" ", List.of(words).subList(i, i + 3)), out);
                }
            }
        }
    }

    private static void addForms(String v, Set<String> out) {
        List<String> forms = new ArrayList<>(List.of(v, v.replaceAll("\\s+", "-"), v.replaceAll("\\s+", ""),
                v.replaceAll("\\s+", "_"), v.replaceAll("[^A-Za-z0-9._:=/+,;-]+", "-")));
        for (String f : forms) {
            if (f.length() >= MIN_LENGTH) {
                out.add(f.toLowerCase(Locale.ROOT));
            }
        }
    }

    /** The needles found in the text, case-insensitively. */
    static List<String> foundIn(String text, Set<String> needles) {
        String t = text.toLowerCase(Locale.ROOT);
        return needles.stream().filter(t::contains).toList();
    }
}
