package org.safeguarding.hub.desk;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.inbox.HubClient;
import org.safeguarding.hub.inbox.InboxReader;

/**
 * The officer's desk, assembled: the encrypted {@link DeskStore} in the data folder, the {@link DeskFetcher} that
 * fills it from the hub's inbox with the recipient's own key, and the {@link DeskServer} page on loopback.
 */
public final class Desk implements AutoCloseable {
    private final DeskStore store;
    private final DeskFetcher fetcher;
    private final DeskServer server;

    /** Where it keeps things, where it listens, how often it fetches, how long it keeps a package. */
    public record Settings(URI hub, Path dataDir, int port, Duration poll, Duration retention) {
        public Settings {
            if (poll.isNegative() || poll.isZero()) {
                throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.BAD_REQUEST,
                        "--poll must be longer than nothing (e.g. PT30S).");
            }
            if (port < 0 || port > 65535) {
                throw new org.safeguarding.hub.error.HubException(org.safeguarding.hub.error.ErrorCode.BAD_REQUEST,
                        "--port must be 0 (a free port) to 65535.");
            }
        }
    }

    private Desk(DeskStore store, DeskFetcher fetcher, DeskServer server) {
        this.store = store;
        this.fetcher = fetcher;
        this.server = server;
    }

    /** Opens the store, starts the page, then fetches now and every poll. */
    public static Desk start(Settings settings, Identity me, Path ca, String recipient, Clock clock)
            throws IOException, GeneralSecurityException {
        DeskStore store = DeskStore.open(settings.dataDir(), clock, settings.retention());
        InboxReader inbox = new InboxReader(new HubClient(settings.hub(), me, ca), settings.hub(), me, ca);
        DeskFetcher fetcher = new DeskFetcher(inbox, store, clock);
        DeskServer server = DeskServer.start(settings.port(), store, recipient, fetcher::status);
        fetcher.start(settings.poll());
        return new Desk(store, fetcher, server);
    }

    public DeskStore store() {
        return store;
    }

    public DeskFetcher fetcher() {
        return fetcher;
    }

    public int port() {
        return server.port();
    }

    /** The address to open in a browser once: {@code http://127.0.0.1:PORT/?token=...}. */
    public String launchUrl() {
        return server.launchUrl();
    }

    @Override
    public void close() {
        server.close();
        fetcher.close();
    }
}
