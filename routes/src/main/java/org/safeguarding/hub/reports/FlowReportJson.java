package org.safeguarding.hub.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.safeguarding.hub.sharing.ReasonCode;

/**
 * Writes a {@link FlowReport} as JSON for its audience. Both audiences get the same fields in the same
 * shape. The IG lead's figures are exact. For the board every count goes through {@link SmallNumbers} (a
 * number that is a multiple of 5, at least 10, or the string {@value SmallNumbers#SUPPRESSED}); the lists of
 * ids (unrouted submissions, late and expired packages) are left out; and the keys of every count map are
 * the same whatever the counts are, so that a key being there says nothing: every reason code under
 * {@code notSharedByReason}, every partner of the report's flows under {@code unrouted.byPartner}, every
 * recipient of its flows under {@code byRecipient}.
 */
public final class FlowReportJson {
    private final ObjectMapper json;
    private final SmallNumbers control;

    public FlowReportJson(ObjectMapper json) {
        this(json, SmallNumbers.BOARD);
    }

    /** With another control for the board (tests: rounding alone). */
    FlowReportJson(ObjectMapper json, SmallNumbers control) {
        this.json = json;
        this.control = control;
    }

    public ObjectNode render(FlowReport r, ReportAudience audience) {
        return new Rendering(r, audience == ReportAudience.BOARD).root(audience);
    }

    /** One report rendered for one audience. */
    private final class Rendering {
        private final FlowReport r;
        private final boolean board;
        private final Set<String> reasons = new TreeSet<>();
        private final Set<String> partners = new TreeSet<>();
        private final Set<String> recipients = new TreeSet<>();

        Rendering(FlowReport r, boolean board) {
            this.r = r;
            this.board = board;
            if (board) {
                for (ReasonCode c : ReasonCode.values()) {
                    reasons.add(c.name());
                }
                reasons.addAll(r.total().notSharedByReason().keySet());
                r.flows().keySet().forEach(k -> {
                    partners.add(k.partner());
                    recipients.add(k.recipient());
                });
                r.unrouted().forEach(u -> partners.add(u.partner()));
                r.unacknowledged().forEach(p -> recipients.add(p.recipient()));
                r.expired().forEach(p -> recipients.add(p.recipient()));
            }
        }

        ObjectNode root(ReportAudience audience) {
            ObjectNode root = json.createObjectNode();
            root.put("audience", audience.name());
            root.put("period", ReportPeriod.between(r.from(), r.to()).map(ReportPeriod::name).orElse(null));
            root.put("from", r.from() == null ? null : r.from().toString());
            root.put("to", r.to() == null ? null : r.to().toString());
            root.put("generatedAt", r.generatedAt().toString());
            if (board) {
                root.put("smallNumbers", control.description());
            }
            root.set("total", counts(r.total()));
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
                n.setAll(counts(c));
            });
            root.set("byCategory", dimension(r.byCategory(), "category"));
            root.set("byArea", dimension(r.byArea(), "area"));
            root.set("byMonth", dimension(r.byMonth(), "month"));

            ObjectNode unrouted = root.putObject("unrouted");
            count(unrouted, "count", r.unrouted().size(), keySum(r.unrouted(), UnroutedSubmission::recordKey));
            unrouted.set("byPartner", tally(r.unrouted(), UnroutedSubmission::partner, UnroutedSubmission::recordKey,
                    partners));
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
            late.put("asAt", r.generatedAt().toString());
            packages(late, r.unacknowledged());

            ObjectNode gone = root.putObject("expired");
            packages(gone, r.expired());

            // time to acknowledgement by urgency class: every class is there whatever its count; for the board a
            // class's times are shown only when its count is
            ObjectNode ack = root.putObject("acknowledgementByUrgency");
            for (org.safeguarding.hub.partnership.Urgency u : org.safeguarding.hub.partnership.Urgency.values()) {
                AcknowledgementTimes t = r.acknowledgementByUrgency().getOrDefault(u.name(),
                        new AcknowledgementTimes(List.of(), 0));
                ObjectNode n = ack.putObject(u.name());
                count(n, "acknowledged", t.times().size(), t.cellKey());
                boolean shown = !t.times().isEmpty()
                        && (!board || control.publish(t.times().size(), t.cellKey()) instanceof Long);
                putMinutes(n, "medianMinutes", shown ? t.quantile(0.5) : null);
                putMinutes(n, "p90Minutes", shown ? t.quantile(0.9) : null);
            }
            return root;
        }

        private void putMinutes(ObjectNode n, String field, java.time.Duration d) {
            if (d == null) {
                n.putNull(field);
            } else {
                n.put(field, d.toMinutes());
            }
        }

        private void packages(ObjectNode n, List<PendingPackage> packages) {
            count(n, "count", packages.size(), keySum(packages, PendingPackage::recordKey));
            n.set("byRecipient", tally(packages, PendingPackage::recipient, PendingPackage::recordKey, recipients));
            if (!board) {
                ArrayNode list = n.putArray("packages");
                packages.forEach(p -> list.addObject()
                        .put("packageId", p.packageId())
                        .put("submissionId", p.submissionId())
                        .put("recipient", p.recipient())
                        .put("deliveredAt", p.deliveredAt().toString()));
            }
        }

        private ArrayNode dimension(Map<String, FlowCounts> m, String name) {
            ArrayNode a = json.createArrayNode();
            m.forEach((k, c) -> {
                ObjectNode n = a.addObject();
                n.put(name, k);
                n.setAll(counts(c));
            });
            return a;
        }

        private ObjectNode counts(FlowCounts c) {
            ObjectNode n = json.createObjectNode();
            count(n, "shared", c.shared(), c.sharedKey());
            count(n, "notShared", c.notShared(), c.notSharedKey());
            ObjectNode byReason = n.putObject("notSharedByReason");
            Set<String> keys = board ? reasons : c.notSharedByReason().keySet();
            for (String reason : keys) {
                count(byReason, reason, c.notSharedByReason().getOrDefault(reason, 0L), c.reasonKey(reason));
            }
            return n;
        }

        /** Counts (and cell keys) of a list by one of its fields, over {@code keys} too for the board. */
        private <T> ObjectNode tally(List<T> items, Function<T, String> field, Function<T, Long> key,
                                     Set<String> keys) {
            Map<String, long[]> m = new TreeMap<>();
            if (board) {
                keys.forEach(k -> m.put(k, new long[2]));
            }
            for (T item : items) {
                long[] c = m.computeIfAbsent(field.apply(item), k -> new long[2]);
                c[0]++;
                c[1] += key.apply(item);
            }
            ObjectNode n = json.createObjectNode();
            m.forEach((k, c) -> count(n, k, c[0], c[1]));
            return n;
        }

        private <T> long keySum(List<T> items, Function<T, Long> key) {
            long k = 0;
            for (T item : items) {
                k += key.apply(item);
            }
            return k;
        }

        private void count(ObjectNode n, String field, long value, long cellKey) {
            if (!board) {
                n.put(field, value);
                return;
            }
            Object shown = control.publish(value, cellKey);
            if (shown instanceof Long l) {
                n.put(field, l);
            } else {
                n.put(field, (String) shown);
            }
        }
    }
}
