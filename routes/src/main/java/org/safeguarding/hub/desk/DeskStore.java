package org.safeguarding.hub.desk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.safeguarding.hub.app.PrivateFiles;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the desk keeps, encrypted at rest under its own {@link AtRestKey}: one file {@code packages/PACKAGE_ID.pkg} per
 * document, written whole under a temporary name, forced to disk, renamed and the folder forced
 * ({@link PrivateFiles#write}), so {@link #put} returning means the package survives a crash and may be acknowledged.
 * The data folder and its {@code packages} folder are 0700, every file 0600; nothing decrypted is ever written.
 * <p>
 * A recall removes the packages it names (and a package arriving after its recall is not kept); an update removes the
 * packages it supersedes; {@link #sweep} deletes what is older than the retention, on the injected clock.
 */
public final class DeskStore {
    private static final Logger LOG = LoggerFactory.getLogger(DeskStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String SUFFIX = ".pkg";

    private final Path folder;
    private final AtRestKey key;
    private final Clock clock;
    private final Duration retention;
    private final Map<String, StoredPackage> held = new LinkedHashMap<>();

    private DeskStore(Path folder, AtRestKey key, Clock clock, Duration retention) {
        this.folder = folder;
        this.key = key;
        this.clock = clock;
        this.retention = retention;
    }

    /** Opens (or creates) the store in {@code dataDir}: its key, then every file it holds. */
    public static DeskStore open(Path dataDir, Clock clock, Duration retention) throws IOException {
        if (retention.isNegative() || retention.isZero()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "the retention must be longer than nothing (e.g. P90D).");
        }
        if (PrivateFiles.createFolder(dataDir)) {
            LOG.warn("desk: the data folder {} can be listed by others; what the desk keeps in it is encrypted and"
                    + " readable by you alone, but consider chmod 700 on it", dataDir);
        }
        Path folder = dataDir.resolve("packages");
        PrivateFiles.createFolder(folder);
        DeskStore store = new DeskStore(folder, AtRestKey.loadOrCreate(dataDir), clock, retention);
        store.load();
        return store;
    }

    private void load() throws IOException {
        List<StoredPackage> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".part")) {
                    Files.deleteIfExists(f); // a write a crash cut short: its package was never acknowledged
                    continue;
                }
                String id = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : "";
                if (!ID.matcher(id).matches()) {
                    continue;
                }
                try {
                    found.add(decode(id, key.open(Files.readAllBytes(f), id)));
                } catch (GeneralSecurityException | IOException | RuntimeException e) {
                    LOG.warn("desk: {} does not open under the desk's key (changed, or another key's); left as it is",
                            f);
                }
            }
        }
        found.stream().sorted(Comparator.comparing(StoredPackage::receivedAt).thenComparing(StoredPackage::packageId))
                .forEach(p -> held.put(p.packageId(), p));
    }

    /**
     * Keeps an opened package durably (returns once it is on disk), and applies what it says: a recall removes the
     * packages it recalls, an update those it supersedes. A package already recalled, or already past the retention,
     * is not kept (returning normally: it may be acknowledged, as the hub asks of a recalled one). A package kept
     * already stays as it is (a fetch repeated after a crash before its acknowledgement).
     */
    public synchronized void put(String packageId, byte[] opened) throws IOException {
        JsonNode json = JSON.readTree(opened);
        if (json == null || !json.isObject() || !packageId.equals(json.path("packageId").asText())
                || !ID.matcher(packageId).matches()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "the package " + packageId + " is not a package the desk"
                    + " can keep (not a JSON object with that packageId); left in the inbox.");
        }
        if (held.containsKey(packageId)) {
            return;
        }
        StoredPackage p = new StoredPackage(packageId, json, clock.instant(), false);
        if (recalled(packageId) || expired(p)) {
            return;
        }
        write(p);
        held.put(packageId, p);
        if ("recall".equals(p.kind())) {
            remove(json.path("recalls"));
        } else if ("update".equals(p.kind())) {
            remove(json.path("supersedes"));
        }
    }

    /** Marks a package read; false when the desk does not hold it. */
    public synchronized boolean markRead(String packageId) throws IOException {
        StoredPackage p = held.get(packageId);
        if (p == null) {
            return false;
        }
        if (!p.read()) {
            StoredPackage read = p.markedRead();
            write(read);
            held.put(packageId, read);
        }
        return true;
    }

    /** Deletes every document kept longer than the retention (on the store's clock); how many. */
    public synchronized int sweep() throws IOException {
        List<String> old = held.values().stream().filter(this::expired).map(StoredPackage::packageId).toList();
        for (String id : old) {
            delete(id);
        }
        return old.size();
    }

    public synchronized List<StoredPackage> all() {
        return List.copyOf(held.values());
    }

    public synchronized Optional<StoredPackage> get(String packageId) {
        return Optional.ofNullable(held.get(packageId));
    }

    public synchronized int size() {
        return held.size();
    }

    /** The file a package is (or would be) kept in. */
    Path file(String packageId) {
        return folder.resolve(packageId + SUFFIX);
    }

    private boolean expired(StoredPackage p) {
        return !p.keptSince().plus(retention).isAfter(clock.instant());
    }

    private boolean recalled(String packageId) {
        for (StoredPackage p : held.values()) {
            if ("recall".equals(p.kind())) {
                for (JsonNode id : p.json().path("recalls")) {
                    if (packageId.equals(id.asText())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void remove(JsonNode ids) throws IOException {
        for (JsonNode id : ids) {
            StoredPackage gone = held.get(id.asText());
            if (gone != null && gone.carriesSubmission()) {
                delete(gone.packageId());
            }
        }
    }

    private void delete(String packageId) throws IOException {
        Files.deleteIfExists(file(packageId));
        PrivateFiles.forceFolder(folder);
        held.remove(packageId);
    }

    private void write(StoredPackage p) throws IOException {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("receivedAt", p.receivedAt().toString());
        doc.put("read", p.read());
        doc.set("package", p.json());
        try {
            PrivateFiles.write(file(p.packageId()), key.seal(JSON.writeValueAsBytes(doc), p.packageId()));
        } catch (GeneralSecurityException e) {
            throw new IOException("the desk could not encrypt a package", e);
        }
    }

    private static StoredPackage decode(String id, byte[] plain) throws IOException {
        JsonNode doc = JSON.readTree(plain);
        return new StoredPackage(id, doc.path("package"), Instant.parse(doc.path("receivedAt").asText()),
                doc.path("read").asBoolean(false));
    }
}
