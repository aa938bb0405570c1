package org.safeguarding.hub.whatif;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The band a subject's age is kept as, never the age: 0-4, 5-9, 10-12, 13-15, 16-17, 18-20, 21-24, 25 and over.
 * Whether a draft's age range takes a band whole, not at all, or only in part is found exactly from the ranges' ends
 * ({@link #representatives}).
 */
public record AgeBand(int from, Integer to) {
    static final int[][] BANDS = {{0, 4}, {5, 9}, {10, 12}, {13, 15}, {16, 17}, {18, 20}, {21, 24}};
    static final int OPEN_FROM = 25;

    public static AgeBand of(int age) {
        for (int[] b : BANDS) {
            if (age >= b[0] && age <= b[1]) {
                return new AgeBand(b[0], b[1]);
            }
        }
        return new AgeBand(OPEN_FROM, null);
    }

    /**
     * One age of each stretch of the band between {@code breakpoints} (ages at which some range starts, or starts
     * excluding, as {@code from} and {@code to + 1}): every age range gives the same answer throughout a stretch, so a
     * decision made at each of these is the decision for every age of the band.
     */
    List<Integer> representatives(Set<Integer> breakpoints) {
        List<Integer> out = new ArrayList<>();
        out.add(from);
        for (int b : new TreeSet<>(breakpoints)) {
            if (b > from && (to == null || b <= to)) {
                out.add(b);
            }
        }
        return out;
    }

    @JsonValue
    public String label() {
        return to == null ? from + "+" : from + "-" + to;
    }

    @JsonCreator
    public static AgeBand parse(String label) {
        if (label.endsWith("+")) {
            return new AgeBand(Integer.parseInt(label.substring(0, label.length() - 1)), null);
        }
        int dash = label.indexOf('-');
        return new AgeBand(Integer.parseInt(label.substring(0, dash)), Integer.parseInt(label.substring(dash + 1)));
    }
}
