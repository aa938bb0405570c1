package org.safeguarding.hub.app;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM (systemd's stop, {@code kill}) and SIGINT (Ctrl-C) as a request to stop, so the hub closes in order and the
 * process exits 0: without a handler the JVM runs its shutdown hooks and exits 143 or 130, which a service manager
 * reports as a failure.
 */
final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private final CountDownLatch requested = new CountDownLatch(1);

    /** Takes over TERM and INT; one the JVM does not let us handle keeps its default (the shutdown hook then runs). */
    static StopSignals install() {
        StopSignals s = new StopSignals();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.info("SIG{} received: stopping", signal.getName());
                    s.requested.countDown();
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("SIG{} cannot be handled here ({}): the shutdown hook stops the hub", name, e.getMessage());
            }
        }
        return s;
    }

    /** Blocks until a stop is asked for. */
    void await() throws InterruptedException {
        requested.await();
    }

    /** Asks for a stop, as a signal would (for a caller that embeds the command). */
    void request() {
        requested.countDown();
    }
}
