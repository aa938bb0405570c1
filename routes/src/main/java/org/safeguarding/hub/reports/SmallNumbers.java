package org.safeguarding.hub.reports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Disclosure control for the board's counts, so that no small count can be recovered from the others:
 * not by subtracting visible cells from a total, a row or a column, nor by setting a month against its
 * quarter.
 *
 * <ol>
 *   <li><b>Perturbation</b> (the cell-key method of the ONS's Census 2021 and the ABS). Every audit event
 *       counted has a record key taken from its hash; a cell's key is the sum of its records' keys. A cell
 *       with at least one record is moved by {@link #perturbation(long)} of its key: a small whole number,
 *       0 a third of the time, ±1 a third, ±2 a sixth, halving with each step, never more than
 *       {@value #MAX_PERTURBATION} either way. The same records always give the same perturbation, so
 *       asking again, or for another cell made of the same records (a month's total and the quarter's row
 *       for that month), gives the same figure; the reader cannot work it out, because the hashes of the
 *       audit events are only the IG lead's to read.</li>
 *   <li><b>Suppression</b>: a perturbed count under {@value #THRESHOLD} is shown as {@value #SUPPRESSED},
 *       and so is every empty cell (zero is never shown, so "none" and "a few" look alike).</li>
 *   <li><b>Rounding</b>: every other count, totals included, is rounded to the nearest {@value #BASE}
 *       (halves up). Totals are made from the true counts, not from the rounded cells.</li>
 * </ol>
 *
 * <p>Why not rounding alone (suppress 1-7, round the rest to 5, as NHS England does): each rounded figure
 * then pins its count to a known window of five, and when the errors of a row line up the windows meet in
 * one value. A row of flows of 7, 12, 12 and 12 with a total of 43 is published as "&lt;8", 10, 10, 10 and
 * 45: the total is at least 43 and the others at most 12 each, so the first flow is 7. Bounds propagation
 * over a quarter and its months finds such a cell in 32 of 2000 random partnership-quarters
 * ({@code BoardReportDisclosurePropertiesTest}). With the perturbation every figure leaves its count a window
 * of at least 24 values (a number p: p-18 to p+18, and at least 1; {@value #SUPPRESSED}: 0 to 23), and
 * subtraction could only close one if several perturbations sat at their cap in the right directions at once.
 */
public final class SmallNumbers {
    /** Perturbed counts under this are suppressed. */
    public static final int THRESHOLD = 8;
    /** Every count shown is a multiple of this. */
    public static final int BASE = 5;
    /** The perturbation never moves a count by more than this. */
    public static final int MAX_PERTURBATION = 16;
    /** What a suppressed count is shown as. */
    public static final String SUPPRESSED = "<" + THRESHOLD;

    /** The board's control: perturbation, suppression and rounding. */
    public static final SmallNumbers BOARD = new SmallNumbers(true);
    /** Suppression and rounding without the perturbation: what the property test shows is not enough. */
    static final SmallNumbers ROUNDING_ONLY = new SmallNumbers(false);

    private final boolean perturb;

    private SmallNumbers(boolean perturb) {
        this.perturb = perturb;
    }

    /** What the board is shown for a count whose records have the keys summing to {@code cellKey}. */
    public Object publish(long count, long cellKey) {
        if (count <= 0) {
            return SUPPRESSED;
        }
        long perturbed = count + (perturb ? perturbation(cellKey) : 0);
        if (perturbed < THRESHOLD) {
            return SUPPRESSED;
        }
        return Math.floorDiv(perturbed + BASE / 2, BASE) * BASE;
    }

    /** One sentence for the report saying what was done. */
    public String description() {
        return (perturb ? "every count is moved by a small amount fixed by its records (at most "
                + MAX_PERTURBATION + " either way, usually 0 or 1), then " : "")
                + "every count under " + THRESHOLD + " (zero included) is shown as " + SUPPRESSED
                + " and every other count, totals included, is rounded to the nearest " + BASE
                + "; totals are made from the true counts";
    }

    /**
     * The perturbation of a cell: a two-sided geometric number (ratio 1/2) chosen by the cell's key, capped
     * at ±{@value #MAX_PERTURBATION}.
     */
    static int perturbation(long cellKey) {
        long r = mix(cellKey);
        if (Long.remainderUnsigned(r >>> 21, 3) == 0) {
            return 0;
        }
        // 1 + trailing zeros of 15 random bits with a stop bit at the cap: P(k) = 2^-k, k < 16
        long bits = ((r >>> 1) & ((1L << (MAX_PERTURBATION - 1)) - 1)) | (1L << (MAX_PERTURBATION - 1));
        int magnitude = 1 + Long.numberOfTrailingZeros(bits);
        return (r & 1) == 0 ? magnitude : -magnitude;
    }

    /**
     * The record key of one audit event, from its hash (its id when it has none): 64 bits of
     * SHA-256 over it, so that the keys of a cell's records add up to a key nobody can guess.
     */
    static long recordKey(String eventHash) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("flow-report-cell-key:" + eventHash).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (d[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The finaliser of SplitMix64: every bit of the result depends on every bit of the key. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
