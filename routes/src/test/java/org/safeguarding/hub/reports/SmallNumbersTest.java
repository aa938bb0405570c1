package org.safeguarding.hub.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The board's disclosure control: suppression, rounding, and a perturbation fixed by the records. */
class SmallNumbersTest {
    @Test
    void countsUnderEightAreSuppressedZeroIncludedAndTheRestRoundedToFive() {
        SmallNumbers c = SmallNumbers.ROUNDING_ONLY;
        assertThat(c.publish(0, 0)).isEqualTo("<8");
        assertThat(c.publish(1, 0)).isEqualTo("<8");
        assertThat(c.publish(7, 0)).isEqualTo("<8");
        assertThat(c.publish(8, 0)).isEqualTo(10L);
        assertThat(c.publish(12, 0)).isEqualTo(10L);
        assertThat(c.publish(13, 0)).as("halves up").isEqualTo(15L);
        assertThat(c.publish(1002, 0)).isEqualTo(1000L);
    }

    @Test
    void anEmptyCellIsNeverPerturbedIntoView() {
        for (long key = 0; key < 10_000; key++) {
            assertThat(SmallNumbers.BOARD.publish(0, key)).isEqualTo("<8");
        }
    }

    @Test
    void theSameRecordsAlwaysGiveTheSameFigure() {
        long key = SmallNumbers.recordKey("a".repeat(64)) + SmallNumbers.recordKey("b".repeat(64));
        assertThat(SmallNumbers.BOARD.publish(40, key)).isEqualTo(SmallNumbers.BOARD.publish(40, key));
        assertThat(SmallNumbers.recordKey("a".repeat(64))).isEqualTo(SmallNumbers.recordKey("a".repeat(64)))
                .isNotEqualTo(SmallNumbers.recordKey("c".repeat(64)));
    }

    @Test
    void thePerturbationIsSmallSymmetricAndBounded() {
        Random random = new Random(7);
        Map<Integer, Integer> seen = new HashMap<>();
        int n = 300_000;
        for (int i = 0; i < n; i++) {
            seen.merge(SmallNumbers.perturbation(random.nextLong()), 1, Integer::sum);
        }
        assertThat(seen.keySet()).allSatisfy(e -> assertThat(Math.abs(e)).isLessThanOrEqualTo(
                SmallNumbers.MAX_PERTURBATION));
        assertThat(seen.get(0) / (double) n).isBetween(0.32, 0.35);
        assertThat(seen.get(1) / (double) n).isBetween(0.16, 0.175);
        assertThat(seen.get(-1) / (double) n).isBetween(0.16, 0.175);
        assertThat(seen.get(2) / (double) n).isBetween(0.08, 0.087);
        assertThat(seen.getOrDefault(9, 0) + seen.getOrDefault(-9, 0)).as("rare, but there").isPositive();
    }

    @Test
    void aPerturbedFigureStaysWithinTheBoundTheReportStates() {
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            long count = 1 + random.nextInt(200);
            Object shown = SmallNumbers.BOARD.publish(count, random.nextLong());
            if (shown instanceof Long p) {
                assertThat(Math.abs(p - count)).isLessThanOrEqualTo(SmallNumbers.MAX_PERTURBATION + 2);
                assertThat(p % 5).isZero();
                assertThat(p).isGreaterThanOrEqualTo(10);
            } else {
                assertThat(count).isLessThan(SmallNumbers.THRESHOLD + SmallNumbers.MAX_PERTURBATION);
            }
        }
    }
}
