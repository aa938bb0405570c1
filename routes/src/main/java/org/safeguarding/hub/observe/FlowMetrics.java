package org.safeguarding.hub.observe;

import java.time.Duration;

/** What the flow tells the hub's metrics: intake outcomes and routing latency. Identifiers and codes only. */
public interface FlowMetrics {
    FlowMetrics NONE = new FlowMetrics() {
        @Override
        public void intake(String outcome, boolean partnerMistake) {
        }

        @Override
        public void routed(Duration sinceReceipt) {
        }
    };

    /**
     * One submission answered: {@code outcome} is ACCEPTED, REPEATED or an error code; {@code partnerMistake} tells a
     * partner's mistake (a 4xx) from the hub's own failure (a 5xx).
     */
    void intake(String outcome, boolean partnerMistake);

    /** One submission routed (or found unroutable), this long after its receipt. */
    void routed(Duration sinceReceipt);
}
