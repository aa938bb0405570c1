package org.safeguarding.hub.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/** Waiting on Vert.x from the hub's own (non-event-loop) threads, bounded. */
final class VertxServers {
    static final long TIMEOUT_SECONDS = 30;

    private VertxServers() {
    }

    /** Waits for a Vert.x result: listening, closing. */
    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Closes a server if it is open, logging (not throwing) a failure: stopping must always complete. */
    static void close(HttpServer server, String what, Logger log) {
        if (server == null) {
            return;
        }
        try {
            await(server.close());
        } catch (Exception e) {
            log.warn("{} did not close cleanly: {}", what, e.toString());
        }
    }
}
