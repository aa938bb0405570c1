package org.safeguarding.hub.links;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.LinkKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's keys for link tokens: HMAC-SHA256 keys of 32 bytes, the first current (every new token is derived with
 * it), the others previous keys kept so that tokens made before a rotation can still be looked up. A token is
 * base64url without padding of HMAC-SHA256(key, kind name + NUL + normalised value).
 *
 * <p>On disk the keys are {@code linking-<n>.key} files of 32 raw bytes, owner-only, in a directory of their own; the
 * highest {@code n} is current. This is not the pseudonym secret and must never be the same bytes: a token and a
 * pseudonym must not be comparable. A key appears nowhere but in its file: not in {@link #toString()}, not in any
 * message; it is named by its id, the first 8 hex characters of its SHA-256.
 */
public final class LinkingKey {
    private static final Logger LOG = LoggerFactory.getLogger(LinkingKey.class);
    /** The length of every key, in bytes. */
    public static final int KEY_LENGTH = 32;
    private static final Pattern FILE = Pattern.compile("linking-([0-9]{1,9})\\.key");
    private static final String HMAC = "HmacSHA256";

    private final List<byte[]> keys;
    private final List<String> ids;

    private LinkingKey(List<byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a linking key needs at least one key");
        }
        List<byte[]> copies = new ArrayList<>(keys.size());
        List<String> keyIds = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            Objects.requireNonNull(key, "key");
            if (key.length != KEY_LENGTH) {
                throw new IllegalArgumentException("a linking key must be exactly " + KEY_LENGTH + " bytes, not "
                        + key.length);
            }
            copies.add(key.clone());
            keyIds.add(keyId(key));
        }
        this.keys = List.copyOf(copies);
        this.ids = List.copyOf(keyIds);
    }

    /** Keys held in memory (tests, tools): the first current, the others previous, newest first. */
    public static LinkingKey of(List<byte[]> keys) {
        return new LinkingKey(keys);
    }

    /**
     * The keys in {@code directory}: every {@code linking-<n>.key}, the highest {@code n} current. With none there, it
     * makes {@code linking-1.key} (32 random bytes, owner-only from the first byte, written to a temporary file then
     * moved into place atomically).
     *
     * @throws HubException {@link ErrorCode#INVALID_CONFIGURATION} when a file is not exactly 32 bytes (restore it from
     *         backup) or the directory cannot be read or written
     */
    public static LinkingKey loadOrCreate(Path directory) {
        Objects.requireNonNull(directory, "directory");
        List<Numbered> files = list(directory);
        if (files.isEmpty()) {
            create(directory, 1);
            files = list(directory);
        }
        List<byte[]> keys = new ArrayList<>(files.size());
        for (Numbered f : files) {
            keys.add(read(f.file()));
        }
        return new LinkingKey(keys);
    }

    /**
     * Makes the next key file in {@code directory} ({@code linking-<n+1>.key} after the highest there) and gives the
     * keys of that directory with the new key current and every earlier one kept for look-ups. The directory is the
     * truth: the keys returned are the ones read from it, as the next start will read them.
     */
    public LinkingKey rotate(Path directory) {
        Objects.requireNonNull(directory, "directory");
        List<Numbered> files = list(directory);
        int next = files.isEmpty() ? 1 : files.get(0).n() + 1;
        create(directory, next);
        return loadOrCreate(directory);
    }

    /**
     * The token of a normalised value (a {@link LinkNormaliser} result) under the current key.
     *
     * @throws IllegalArgumentException when the value is not well-formed text (a lone surrogate; no normaliser gives one)
     */
    public String token(LinkKind kind, String normalised) {
        return token(keys.get(0), kind, normalised);
    }

    /** The token of a normalised value under every key, the current key's first: to look up links made before a rotation. */
    public List<String> tokens(LinkKind kind, String normalised) {
        List<String> out = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            out.add(token(key, kind, normalised));
        }
        return List.copyOf(out);
    }

    /** The id of the current key. */
    public String currentKeyId() {
        return ids.get(0);
    }

    /** The ids of every key, the current first. */
    public List<String> keyIds() {
        return ids;
    }

    @Override
    public String toString() {
        return "LinkingKey[current=" + ids.get(0) + ", previous=" + ids.subList(1, ids.size()) + "]";
    }

    private static String token(byte[] key, LinkKind kind, String normalised) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(normalised, "normalised");
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            byte[] h = mac.doFinal(utf8(kind.name() + "\u0000" + normalised));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Strict UTF-8: a lone surrogate would otherwise become '?' and two values would share a token. */
    private static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a link value must be well-formed text (it holds a lone surrogate)");
        }
    }

    private static String keyId(byte[] key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private record Numbered(int n, Path file) {
    }

    /** The key files in the directory, highest number first (none when the directory does not exist yet). */
    private static List<Numbered> list(Path directory) {
        List<Numbered> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    out.add(new Numbered(Integer.parseInt(m.group(1)), p));
                }
            }
        } catch (IOException e) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "linking key directory " + directory
                    + " cannot be read: " + e.getMessage());
        }
        out.sort(Comparator.comparingInt(Numbered::n).reversed());
        return out;
    }

    private static byte[] read(Path file) {
        try {
            if (Files.size(file) != KEY_LENGTH) {
                throw wrongLength(file, Files.size(file));
            }
            byte[] key = Files.readAllBytes(file);
            if (key.length != KEY_LENGTH) {
                throw wrongLength(file, key.length);
            }
            return key;
        } catch (IOException e) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "linking key file " + file + " cannot be read: "
                    + e.getMessage());
        }
    }

    private static HubException wrongLength(Path file, long length) {
        return new HubException(ErrorCode.INVALID_CONFIGURATION, "linking key file " + file + " must hold exactly "
                + KEY_LENGTH + " bytes but holds " + length + "; restore it from backup (a new key would break every"
                + " link made under the old one). Do not delete it: the other key files are read with it.");
    }

    private static void create(Path directory, int n) {
        Path file = directory.resolve("linking-" + n + ".key");
        byte[] key = new byte[KEY_LENGTH];
        try {
            if (!Files.exists(directory)) {
                try {
                    Files.createDirectories(directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(directory);
                }
            }
            if (Files.exists(file)) {
                throw new HubException(ErrorCode.INVALID_CONFIGURATION, "linking key file " + file
                        + " already exists; it is never overwritten");
            }
            new SecureRandom().nextBytes(key);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                // owner-only from the first byte
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(key);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("created the linking key {} (id {}); keep it and back it up", file, keyId(key));
        } catch (IOException e) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "linking key file " + file + " cannot be made: "
                    + e.getMessage());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
