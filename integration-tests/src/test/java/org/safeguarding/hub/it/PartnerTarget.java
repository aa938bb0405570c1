package org.safeguarding.hub.it;

import java.time.Duration;

/** Where a test's partner sends: one hub, or a balancer in front of several nodes. */
interface PartnerTarget {
    String baseUrl();

    /**
     * Called after a connection failed or the hub answered a server error: blocks until it is worth sending again
     * (the hub back up, or a client's back-off before the balancer picks another node); true if it is.
     */
    boolean awaitUp(Duration timeout) throws InterruptedException;
}
