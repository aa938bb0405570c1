package org.safeguarding.hub.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an embedded H2 file that was not closed cleanly at its newest complete version, before H2 opens it.
 *
 * <p>After a kill -9, H2 2.5.252 finds the newest version of a file by following its chain of chunks from the store
 * header. Once freed space is reused, that chain can end early, and H2 then opens an older version without a word:
 * commits it had written and forced before the kill are in the file but not in the database (a kill loop on the
 * registry with WRITE_DELAY 0 lost 10 acknowledged records at its 47th death this way). MVStore's recovery mode scans
 * the whole file instead and takes the newest chunk whose chunk set is complete; closing it writes a clean store header
 * at that version, which H2 then opens as after a normal stop.
 *
 * <p>{@link #recoverIfUnclean} costs two header blocks when the file was closed cleanly, and a scan of the whole file
 * otherwise (about 0.3 s per 100 MiB from the page cache). It leaves alone anything but an embedded, unencrypted H2
 * file, a file another process has open, and a file that does not exist yet.
 */
public final class H2Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(H2Recovery.class);
    private static final int BLOCK = 4096;
    private static final String SUFFIX = ".mv.db";

    private H2Recovery() {
    }

    /** What {@link #recoverIfUnclean} did. */
    public enum Outcome {
        /** Not an embedded H2 file, or no file yet. */
        NOT_APPLICABLE,
        /** Closed cleanly: H2 opens it as it is. */
        CLEAN,
        /** Not closed cleanly: opened at its newest complete version and closed cleanly. */
        RECOVERED,
        /** Another process has the file open: left to H2, which says so. */
        IN_USE
    }

    /** Recovers the file of {@code jdbcUrl} if it was not closed cleanly; call it before anything opens that URL. */
    public static Outcome recoverIfUnclean(String jdbcUrl) {
        Optional<Path> file = storeFile(jdbcUrl);
        return file.isEmpty() ? Outcome.NOT_APPLICABLE : recoverIfUnclean(file.get());
    }

    /** Recovers an H2 store file ({@code *.mv.db}) if it was not closed cleanly; no file is {@code NOT_APPLICABLE}. */
    public static Outcome recoverIfUnclean(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) < 2 * BLOCK) {
                return Outcome.NOT_APPLICABLE; // never written past its headers: nothing to lose
            }
            if (closedCleanly(file)) {
                return Outcome.CLEAN;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the H2 file " + file + ": " + e.getMessage(), e);
        }
        long started = System.nanoTime();
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(file.toString()).recoveryMode().open();
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                return Outcome.IN_USE;
            }
            throw new IllegalStateException("the H2 file " + file + " was not closed cleanly and cannot be recovered ("
                    + e.getMessage() + "): restore it from a backup", e);
        }
        long version = store.getCurrentVersion();
        store.close();
        LOG.warn("the H2 file {} was not closed cleanly: opened at its newest complete version ({}) after a scan of"
                + " the whole file, in {} ms", file, version, (System.nanoTime() - started) / 1_000_000);
        return Outcome.RECOVERED;
    }

    /**
     * The store file of an embedded H2 URL ({@code jdbc:h2:[file:]path[;settings]} with {@code ~} for the home
     * directory), or empty for anything else: in memory, a server, another file system, an encrypted file.
     */
    public static Optional<Path> storeFile(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        String settings = semicolon < 0 ? "" : rest.substring(semicolon).toUpperCase(Locale.ROOT);
        String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.matches("^[a-zA-Z]{2,}:.*")) {
            return Optional.empty(); // mem:, tcp:, ssl:, split:, nio:, zip: and the like
        }
        if (name.isEmpty() || settings.contains(";CIPHER=")) {
            return Optional.empty();
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Optional.of(Path.of(name + SUFFIX).toAbsolutePath());
    }

    /** Both store headers are intact, at the same version, and say the store was closed. */
    static boolean closedCleanly(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(2 * BLOCK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read both blocks
            }
        }
        if (buffer.hasRemaining()) {
            return false;
        }
        Map<String, String> first = header(buffer.array(), 0);
        Map<String, String> second = header(buffer.array(), BLOCK);
        return first != null && second != null
                && DataUtils.readHexLong(first, "version", -1) == DataUtils.readHexLong(second, "version", -2)
                && DataUtils.readHexLong(first, "clean", 0) != 0 && DataUtils.readHexLong(second, "clean", 0) != 0;
    }

    /** One store header block, or null when its checksum does not match. */
    private static Map<String, String> header(byte[] bytes, int offset) {
        byte[] block = java.util.Arrays.copyOfRange(bytes, offset, offset + BLOCK);
        String text = new String(block, StandardCharsets.ISO_8859_1);
        int fletcher = text.indexOf(",fletcher:");
        if (fletcher <= 0 || !text.startsWith("H:")) {
            return null;
        }
        int end = fletcher + ",fletcher:".length();
        int valueEnd = end;
        while (valueEnd < text.length() && Character.digit(text.charAt(valueEnd), 16) >= 0) {
            valueEnd++;
        }
        try {
            int check = (int) Long.parseLong(text.substring(end, valueEnd), 16);
            if (check != DataUtils.getFletcher32(block, 0, fletcher)) {
                return null;
            }
            return DataUtils.parseMap(text.substring(0, fletcher));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
