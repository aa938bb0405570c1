package org.safeguarding.hub.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a reader of the board's reports can work out about the true counts behind them. Every count of
 * every report is an unknown, bounded by what its published value says (a {@link Reading} of the method);
 * the unknowns are tied by everything the reader knows of the report's structure:
 *
 * <ul>
 *   <li>rows: {@code notShared} is the sum of its reasons; a listed row had at least one decision;</li>
 *   <li>columns: {@code total} is the sum of the flows, of the areas and of the months, column by column;
 *       each category is at most the total and the categories together at least the total (a decision
 *       counts under each of its categories); {@code count} is the sum of {@code byPartner} /
 *       {@code byRecipient};</li>
 *   <li>the partnership's shape: every submission of a partner has one decision for every recipient, so a
 *       partner's decisions are the same number for each recipient; a partner's unrouted submissions are at
 *       most its submissions;</li>
 *   <li>across reports: a quarter's cell is the sum of the same cell in its three months.</li>
 * </ul>
 *
 * <p>{@link #propagate()} then narrows every unknown to a fixpoint by subtraction (bounds propagation:
 * each term of a sum lies between the sum's bounds minus the others' bounds). The bounds it finds are
 * sound: the true value always lies within them. A cell whose bounds meet has been recovered.
 */
final class DisclosureAttack {
    static final long INF = 1L << 40;

    /** What one published value says about the count behind it. */
    interface Reading {
        /** {lo, hi}: the counts that could have been published as {@code v}. */
        long[] bounds(JsonNode v);

        /** Whether a key listed in a count map (a reason, a partner, a recipient) says its count is not 0. */
        boolean listedKeyMeansAtLeastOne();
    }

    private final Reading reading;
    private final Map<String, long[]> vars = new LinkedHashMap<>();
    private final List<Constraint> constraints = new ArrayList<>();
    private final Map<String, Map<String, JsonNode>> reports = new LinkedHashMap<>();

    DisclosureAttack(Reading reading) {
        this.reading = reading;
    }

    /** Σ coefficient·var lies in [lo, hi]. */
    private record Constraint(List<String> terms, List<Integer> signs, long lo, long hi) {
    }

    // ------------------------------------------------------------------ the published cells

    /**
     * Every count of a report by path ({@code flows|CS-CORE/3/partner-0/recipient-1|reason:OUT_OF_AREA},
     * {@code unrouted|byPartner|partner-0}, ...), as published.
     */
    static Map<String, JsonNode> cells(JsonNode report) {
        Map<String, JsonNode> out = new TreeMap<>();
        block(out, "total|", report.path("total"));
        for (JsonNode f : report.path("flows")) {
            block(out, "flows|" + flowKey(f) + "|", f);
        }
        for (String dim : List.of("byCategory", "byArea", "byMonth")) {
            String name = dim.equals("byCategory") ? "category" : dim.equals("byArea") ? "area" : "month";
            for (JsonNode row : report.path(dim)) {
                block(out, dim + "|" + row.path(name).asText() + "|", row);
            }
        }
        for (String part : List.of("unrouted", "unacknowledged", "expired")) {
            JsonNode n = report.path(part);
            if (n.isMissingNode()) {
                continue;
            }
            out.put(part + "|count", n.path("count"));
            String map = part.equals("unrouted") ? "byPartner" : "byRecipient";
            n.path(map).fields().forEachRemaining(e -> out.put(part + "|" + map + "|" + e.getKey(), e.getValue()));
        }
        return out;
    }

    static String flowKey(JsonNode f) {
        return f.path("agreement").asText() + "/" + f.path("agreementVersion").asText() + "/"
                + f.path("partner").asText() + "/" + f.path("recipient").asText();
    }

    private static void block(Map<String, JsonNode> out, String prefix, JsonNode n) {
        out.put(prefix + "shared", n.path("shared"));
        out.put(prefix + "notShared", n.path("notShared"));
        n.path("notSharedByReason").fields().forEachRemaining(e -> out.put(prefix + "reason:" + e.getKey(),
                e.getValue()));
    }

    // ------------------------------------------------------------------ what the reader knows

    /** Adds one published report under {@code name}, with everything its structure says. */
    void addReport(String name, JsonNode report) {
        Map<String, JsonNode> cells = cells(report);
        reports.put(name, cells);
        String p = name + "#";
        cells.forEach((path, v) -> {
            long[] b = reading.bounds(v);
            if (reading.listedKeyMeansAtLeastOne() && (path.contains("|reason:") || path.contains("|by"))) {
                b = new long[] {Math.max(1, b[0]), b[1]};
            }
            vars.put(p + path, b);
        });
        // the rows: notShared is the sum of its reasons; a listed row had a decision
        Map<String, List<String>> reasonsOfRow = new LinkedHashMap<>();
        for (String path : cells.keySet()) {
            int cut = path.lastIndexOf('|');
            String row = path.substring(0, cut);
            if (path.substring(cut + 1).startsWith("reason:")) {
                reasonsOfRow.computeIfAbsent(row, k -> new ArrayList<>()).add(p + path);
            }
        }
        Set<String> rows = new LinkedHashSet<>();
        for (String path : cells.keySet()) {
            if (path.endsWith("|shared")) {
                rows.add(path.substring(0, path.length() - "|shared".length()));
            }
        }
        for (String row : rows) {
            equal(List.of(p + row + "|notShared"), reasonsOfRow.getOrDefault(row, List.of()));
            String decisions = p + row + "|decisions";
            vars.put(decisions, new long[] {row.equals("total") ? 0 : 1, INF});
            equal(List.of(decisions), List.of(p + row + "|shared", p + row + "|notShared"));
        }
        // the columns
        Set<String> columns = new LinkedHashSet<>();
        for (String path : cells.keySet()) {
            if (path.startsWith("total|")) {
                columns.add(path.substring("total|".length()));
            }
        }
        columns.add("decisions");
        for (String column : columns) {
            for (String table : List.of("flows", "byArea", "byMonth", "byCategory")) {
                if (!report.has(table)) {
                    continue;
                }
                List<String> parts = new ArrayList<>();
                for (String row : rows) {
                    if (row.startsWith(table + "|") && vars.containsKey(p + row + "|" + column)) {
                        parts.add(p + row + "|" + column);
                    }
                }
                String whole = p + "total|" + column;
                if (table.equals("byCategory")) {
                    atLeast(parts, List.of(whole));
                    for (String part : parts) {
                        atLeast(List.of(whole), List.of(part));
                    }
                } else {
                    equal(List.of(whole), parts);
                }
            }
        }
        for (String part : List.of("unrouted", "unacknowledged", "expired")) {
            if (!report.has(part)) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            cells.keySet().stream().filter(k -> k.startsWith(part + "|by")).forEach(k -> parts.add(p + k));
            equal(List.of(p + part + "|count"), parts);
        }
        // the partnership's shape: per partner, the same number of decisions for every recipient
        Map<String, Map<String, List<String>>> byPartner = new TreeMap<>();
        for (String row : rows) {
            if (row.startsWith("flows|")) {
                String[] k = row.substring("flows|".length()).split("/");
                byPartner.computeIfAbsent(k[2], x -> new TreeMap<>()).computeIfAbsent(k[3], x -> new ArrayList<>())
                        .add(p + row + "|decisions");
            }
        }
        byPartner.forEach((partner, byRecipient) -> {
            String submissions = p + "submissions:" + partner;
            vars.put(submissions, new long[] {1, INF});
            byRecipient.values().forEach(d -> equal(List.of(submissions), d));
            if (vars.containsKey(p + "unrouted|byPartner|" + partner)) {
                atLeast(List.of(submissions), List.of(p + "unrouted|byPartner|" + partner));
            }
        });
    }

    /**
     * Ties a report to the reports of the periods that make it up: every cell of {@code whole} is the sum
     * of the same cell in {@code parts} (a cell a part does not list is 0 there). Cells whose path starts
     * with one of {@code notAdditive} are left out (they are not sums over the period).
     */
    void linkPeriods(String whole, List<String> parts, List<String> notAdditive) {
        for (String path : reports.get(whole).keySet()) {
            if (notAdditive.stream().anyMatch(path::startsWith)) {
                continue;
            }
            List<String> terms = new ArrayList<>();
            for (String part : parts) {
                if (reports.get(part).containsKey(path)) {
                    terms.add(part + "#" + path);
                }
            }
            equal(List.of(whole + "#" + path), terms);
        }
    }

    private void equal(List<String> left, List<String> right) {
        constraint(left, right, 0, 0);
    }

    /** Σ big ≥ Σ small. */
    private void atLeast(List<String> big, List<String> small) {
        constraint(big, small, 0, INF);
    }

    private void constraint(List<String> plus, List<String> minus, long lo, long hi) {
        List<String> terms = new ArrayList<>();
        List<Integer> signs = new ArrayList<>();
        for (String v : plus) {
            terms.add(v);
            signs.add(1);
        }
        for (String v : minus) {
            terms.add(v);
            signs.add(-1);
        }
        constraints.add(new Constraint(terms, signs, lo, hi));
    }

    // ------------------------------------------------------------------ the attack

    /** Narrows every unknown by subtraction until nothing changes. */
    void propagate() {
        boolean changed = true;
        int rounds = 0;
        while (changed && rounds++ < 500) {
            changed = false;
            for (Constraint c : constraints) {
                changed |= narrow(c);
            }
        }
    }

    private boolean narrow(Constraint c) {
        int n = c.terms().size();
        long[][] b = new long[n][];
        long min = 0;
        long max = 0;
        for (int i = 0; i < n; i++) {
            b[i] = vars.get(c.terms().get(i));
            min += c.signs().get(i) > 0 ? b[i][0] : -b[i][1];
            max += c.signs().get(i) > 0 ? b[i][1] : -b[i][0];
        }
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            long termMin = c.signs().get(i) > 0 ? b[i][0] : -b[i][1];
            long termMax = c.signs().get(i) > 0 ? b[i][1] : -b[i][0];
            // sign·x_i lies in [lo - (max - termMax), hi - (min - termMin)]
            long lo = c.lo() <= -INF / 2 || max - termMax >= INF / 2 ? -INF : c.lo() - (max - termMax);
            long hi = c.hi() >= INF / 2 || min - termMin <= -INF / 2 ? INF : c.hi() - (min - termMin);
            long newLo = c.signs().get(i) > 0 ? lo : -hi;
            long newHi = c.signs().get(i) > 0 ? hi : -lo;
            if (newLo > b[i][0]) {
                b[i][0] = newLo;
                changed = true;
            }
            if (newHi < b[i][1]) {
                b[i][1] = newHi;
                changed = true;
            }
        }
        return changed;
    }

    /** The bounds found for one cell of one report. */
    long[] bounds(String report, String path) {
        return vars.get(report + "#" + path).clone();
    }

    /** Which cells must not be recovered: by their published value and their true count. */
    interface Protected {
        boolean test(JsonNode published, long count);
    }

    /**
     * The protected cells of {@code report} that the attack recovered (its bounds meet). Fails when a bound
     * is unsound (the true count outside it): then the reading does not describe the method.
     */
    List<String> recovered(String report, Map<String, Long> truth, Protected isProtected) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> cell : reports.get(report).entrySet()) {
            long[] b = bounds(report, cell.getKey());
            long t = truth.getOrDefault(cell.getKey(), 0L);
            if (b[0] > t || b[1] < t) {
                throw new AssertionError("unsound bounds for " + report + " " + cell.getKey() + ": [" + b[0] + ", "
                        + b[1] + "] but the count is " + t + " (published " + cell.getValue() + ")");
            }
            if (isProtected.test(cell.getValue(), t) && b[0] == b[1]) {
                out.add(report + " " + cell.getKey() + " = " + t + " (published " + cell.getValue() + ")");
            }
        }
        return out;
    }

    /** The true counts behind a report, from the IG lead's exact rendering of it. */
    static Map<String, Long> truth(JsonNode exact) {
        Map<String, Long> out = new TreeMap<>();
        cells(exact).forEach((k, v) -> out.put(k, v.asLong()));
        return out;
    }
}
