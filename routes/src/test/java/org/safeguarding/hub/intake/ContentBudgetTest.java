package org.safeguarding.hub.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The memory budget for opened content: reserved by size, given back once, a body over the whole budget runs alone. */
class ContentBudgetTest {
    final ContentBudget budget = new ContentBudget(10 * 1024);

    @Test
    void reservationsCountInKibibytesRoundedUpAndAreGivenBackOnce() throws Exception {
        ContentBudget.Permit a = budget.tryReserve(1, Duration.ZERO).orElseThrow();
        ContentBudget.Permit b = budget.tryReserve(2048 + 1, Duration.ZERO).orElseThrow();
        assertThat(budget.availableKib()).isEqualTo(10 - 1 - 3);

        b.close();
        b.close();
        assertThat(budget.availableKib()).isEqualTo(9);
        a.close();
        assertThat(budget.availableKib()).isEqualTo(10);
    }

    @Test
    void whenTheBudgetIsTakenAReservationWaitsAndThenGivesUp() throws Exception {
        try (ContentBudget.Permit all = budget.tryReserve(10 * 1024, Duration.ZERO).orElseThrow()) {
            assertThat(budget.tryReserve(1, Duration.ofMillis(1))).isEmpty();
        }
        assertThat(budget.tryReserve(1, Duration.ZERO)).isPresent();
    }

    @Test
    void aBodyLargerThanTheWholeBudgetTakesAllOfItAndRunsAlone() throws Exception {
        try (ContentBudget.Permit huge = budget.tryReserve(1024L * 1024 * 1024, Duration.ZERO).orElseThrow()) {
            assertThat(budget.availableKib()).isZero();
        }
        assertThat(budget.availableKib()).isEqualTo(10);
    }

    @Test
    void aBudgetUnderOneKibibyteIsAMistake() {
        assertThatThrownBy(() -> new ContentBudget(100)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ContentBudget.ofHeap().totalKib())
                .isEqualTo((int) (Runtime.getRuntime().maxMemory() * ContentBudget.HEAP_SHARE / 1024));
    }
}
