package org.safeguarding.hub.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Writes a {@link FlowReport} as JSON for its audience. Both audiences get the same figures in the same
 * shape; for the board every count under 5 is the string {@code "<5"} and the lists of ids (unrouted
 * submissions, late packages) are left out.
 */
public final class FlowReportJson {
    private final ObjectMapper json;

    public FlowReportJson(ObjectMapper json) {
        this.json = json;
    }

    public ObjectNode render(FlowReport r, ReportAudience audience) {
        boolean board = audience == ReportAudience.BOARD;
        ObjectNode root = json.createObjectNode();
        root.put("audience", audience.name());
        root.put("from", r.from() == null ? null : r.from().toString());
        root.put("to", r.to() == null ? null : r.to().toString());
        root.put("generatedAt", r.generatedAt().toString());
        if (board) {
            root.put("smallNumbers", "every count under " + SmallNumbers.THRESHOLD + " is shown as "
                    + SmallNumbers.SUPPRESSED);
        }
        root.set("total", counts(r.total(), board));
        ArrayNode flows = root.putArray("flows");
        r.flows().forEach((k, c) -> {
            ObjectNode n = flows.addObject();
            n.put("agreement", k.agreement());
            if (k.agreementVersion() == null) {
                n.putNull("agreementVersion");
            } else {
                n.put("agreementVersion", k.agreementVersion());
            }
            n.put("partner", k.partner());
            n.put("recipient", k.recipient());
            n.setAll(counts(c, board));
        });
        root.set("byCategory", dimension(r.byCategory(), "category", board));
        root.set("byArea", dimension(r.byArea(), "area", board));
        root.set("byMonth", dimension(r.byMonth(), "month", board));

        ObjectNode unrouted = root.putObject("unrouted");
        count(unrouted, "count", r.unrouted().size(), board);
        unrouted.set("byPartner", countMap(r.unroutedByPartner(), board));
        if (!board) {
            ArrayNode list = unrouted.putArray("submissions");
            r.unrouted().forEach(u -> {
                ObjectNode n = list.addObject();
                n.put("submissionId", u.submissionId());
                n.put("partner", u.partner());
                n.put("time", u.time().toString());
                ArrayNode cats = n.putArray("categories");
                u.categories().forEach(cats::add);
                n.put("area", u.area());
            });
        }

        ObjectNode late = root.putObject("unacknowledged");
        late.put("after", r.unacknowledgedAfter().toString());
        count(late, "count", r.unacknowledged().size(), board);
        late.set("byRecipient", countMap(r.unacknowledgedByRecipient(), board));
        if (!board) {
            ArrayNode list = late.putArray("packages");
            r.unacknowledged().forEach(p -> list.addObject()
                    .put("packageId", p.packageId())
                    .put("submissionId", p.submissionId())
                    .put("recipient", p.recipient())
                    .put("deliveredAt", p.deliveredAt().toString()));
        }

        ObjectNode gone = root.putObject("expired");
        count(gone, "count", r.expired().size(), board);
        gone.set("byRecipient", countMap(r.expiredByRecipient(), board));
        if (!board) {
            ArrayNode list = gone.putArray("packages");
            r.expired().forEach(p -> list.addObject()
                    .put("packageId", p.packageId())
                    .put("submissionId", p.submissionId())
                    .put("recipient", p.recipient())
                    .put("deliveredAt", p.deliveredAt().toString()));
        }
        return root;
    }

    private ArrayNode dimension(Map<String, FlowCounts> m, String name, boolean board) {
        ArrayNode a = json.createArrayNode();
        m.forEach((k, c) -> {
            ObjectNode n = a.addObject();
            n.put(name, k);
            n.setAll(counts(c, board));
        });
        return a;
    }

    private ObjectNode counts(FlowCounts c, boolean board) {
        ObjectNode n = json.createObjectNode();
        count(n, "shared", c.shared(), board);
        count(n, "notShared", c.notShared(), board);
        n.set("notSharedByReason", countMap(c.notSharedByReason(), board));
        return n;
    }

    private ObjectNode countMap(Map<String, Long> m, boolean board) {
        ObjectNode n = json.createObjectNode();
        m.forEach((k, v) -> count(n, k, v, board));
        return n;
    }

    private static void count(ObjectNode n, String field, long value, boolean board) {
        if (board && SmallNumbers.suppressed(value)) {
            n.put(field, SmallNumbers.SUPPRESSED);
        } else {
            n.put(field, value);
        }
    }
}
