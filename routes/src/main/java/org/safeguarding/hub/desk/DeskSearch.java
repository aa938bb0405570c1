package org.safeguarding.hub.desk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The officer's search: the documents with a text value that contains every word of the query, case aside (an
 * attachment's content is not text and is not searched). The query is content: it comes in a POST body and is kept
 * nowhere.
 */
final class DeskSearch {
    static final int MAX_QUERY = 200;

    private DeskSearch() {
    }

    static List<StoredPackage> find(List<StoredPackage> all, String query) {
        String[] words = query.toLowerCase(Locale.ROOT).trim().split("\\s+");
        if (query.isBlank()) {
            return List.of();
        }
        return all.stream().filter(p -> {
            StringBuilder text = new StringBuilder();
            collect(p.json(), text);
            String t = text.toString().toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (!t.contains(w)) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    private static void collect(JsonNode node, StringBuilder text) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                if (!field.getKey().equals("content")) {
                    collect(field.getValue(), text);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, text));
        } else if (node.isValueNode()) {
            text.append(node.asText()).append('\n');
        }
    }
}
