package org.safeguarding.hub.inbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * A recipient reads its HTTPS inbox: every page of the listing (following {@code Link: <...>; rel="next"} until there
 * is none, bounded by {@link #MAX_PAGES}), each package fetched, opened ({@link PackageOpener}: decrypted with the
 * recipient's key, the hub's signature checked), handed to a {@link Keeper}, and acknowledged only once the keeper has
 * returned, that is once the package is kept for good. {@code ./hub receive} and the officer's desk both read this way.
 */
public final class InboxReader {
    /** The inbox listing's path under the hub's address. */
    public static final String INBOX = "api/v1/inbox";
    /** A bound on the pages followed in one run: 10,000 pages of up to 1,000 packages. */
    public static final int MAX_PAGES = 10_000;
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*?rel=\"?next\"?");
    private static final Pattern PACKAGE_ID = Pattern.compile("[0-9a-fA-F-]{36}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keeps one opened package durably; returns only once it is kept (the package is acknowledged after). */
    @FunctionalInterface
    public interface Keeper {
        void keep(String packageId, byte[] opened) throws IOException;
    }

    /** What a reader is told as it goes; nothing of a package's content passes through it. */
    public interface Progress {
        /** Entry {@code seen} of about {@code total} (-1: the hub did not say) is being fetched. */
        default void fetching(int seen, long total) {
        }

        /** A listed package was not kept (it stays in the inbox): why, without its content. */
        default void notKept(String packageId, String why) {
        }

        /** A package was kept; {@code ackStatus} is the hub's answer to its acknowledgement (204: done). */
        default void kept(String packageId, int ackStatus) {
        }

        /** The run stops early with {@code kept} packages kept and acknowledged. */
        default void stopping(int kept) {
        }
    }

    private final HubClient client;
    private final URI url;
    private final Identity me;
    private final Path ca;

    /** @param url the hub's address; the inbox is {@link #INBOX} under it */
    public InboxReader(HubClient client, URI url, Identity me, Path ca) {
        this.client = client;
        this.url = url;
        this.me = me;
        this.ca = ca;
    }

    /**
     * Reads the whole inbox once; the number of packages kept. A package that does not open (not for this key, not
     * signed by the hub) ends the run with its {@link CryptoException}, unacknowledged.
     */
    public int readAll(Keeper keeper, Progress progress)
            throws IOException, InterruptedException, CryptoException {
        int kept = 0;
        int seen = 0;
        long total = -1;
        URI page = url.resolve(INBOX);
        Set<String> pagesAsked = new HashSet<>();
        for (int pages = 0; page != null; pages++) {
            if (pages >= MAX_PAGES || !pagesAsked.add(page.toString())) {
                progress.stopping(kept);
                throw new HubException(ErrorCode.INTERNAL, "the inbox listing did not end after " + pages
                        + " pages; " + kept + " packages were received and acknowledged, run receive again.");
            }
            var list = client.get(page);
            if (list.statusCode() != 200) {
                throw new HubException(ErrorCode.BAD_REQUEST, "the inbox answered HTTP " + list.statusCode() + ": "
                        + new String(list.body(), StandardCharsets.UTF_8));
            }
            JsonNode entries = JSON.readTree(list.body());
            if (total < 0) {
                total = list.headers().firstValue("Inbox-Pending").map(InboxReader::count).orElse(-1L);
            }
            for (JsonNode entry : entries) {
                seen++;
                progress.fetching(seen, total);
                if (receive(entry.path("packageId").asText(), keeper, progress)) {
                    kept++;
                }
            }
            page = entries.isEmpty() ? null : next(list.headers().allValues("Link"));
        }
        return kept;
    }

    /** Fetches, opens and keeps one package, then acknowledges it; whether it was kept. */
    private boolean receive(String id, Keeper keeper, Progress progress)
            throws IOException, InterruptedException, CryptoException {
        if (!PACKAGE_ID.matcher(id).matches()) {
            progress.notKept("", "the inbox listed a package id that is not one");
            return false;
        }
        var pkg = client.get(INBOX + "/" + id);
        if (pkg.statusCode() != 200) {
            progress.notKept(id, "HTTP " + pkg.statusCode());
            return false;
        }
        keeper.keep(id, PackageOpener.open(pkg.body(), me, ca));
        var ack = client.post(INBOX + "/" + id + "/ack", null, new byte[0]);
        progress.kept(id, ack.statusCode());
        return true;
    }

    /**
     * The next page from the {@code Link} header ({@code rel="next"}), resolved against the inbox's address; only a
     * page of the same inbox on the same hub is followed (the client's certificate goes nowhere else).
     */
    URI next(List<String> links) {
        URI inbox = url.resolve(INBOX);
        for (String header : links) {
            Matcher m = NEXT.matcher(header);
            while (m.find()) {
                URI next = inbox.resolve(m.group(1).trim());
                if (!Objects.equals(next.getScheme(), inbox.getScheme())
                        || !Objects.equals(next.getRawAuthority(), inbox.getRawAuthority())
                        || !Objects.equals(next.getRawPath(), inbox.getRawPath())) {
                    throw new HubException(ErrorCode.BAD_REQUEST, "the inbox's next page is not on the same hub's"
                            + " inbox; not followed.");
                }
                return next;
            }
        }
        return null;
    }

    private static long count(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
