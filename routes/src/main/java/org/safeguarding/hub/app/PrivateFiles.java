package org.safeguarding.hub.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Files that hold opened content (a decrypted package: a child's name, an NHS number) are the owner's alone: created
 * 0600, in folders the command creates 0700, whatever the umask (the modes are set after creation too, since a umask
 * only narrows what creation asks for). A file is written whole under a temporary name and moved into place, so an
 * existing file of wider mode is replaced, never rewritten in place, and a reader never sees half a package.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} and any missing parents 0700. An existing folder keeps its mode; whether others can list it
     * is answered so the caller can say so.
     *
     * @return true if the folder existed already and others may read or enter it
     */
    public static boolean createFolder(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return posix(absolute) && !java.util.Collections.disjoint(Files.getPosixFilePermissions(absolute), OTHERS);
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createFolder(parent);
        }
        try {
            if (posix(parent == null ? absolute : parent)) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(FOLDER));
                Files.setPosixFilePermissions(absolute, FOLDER);
            } else {
                Files.createDirectory(absolute);
            }
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(absolute)) {
                throw raced;
            }
        }
        return false;
    }

    /**
     * Writes {@code content} to {@code target} (replacing it) as a new 0600 file, forced to disk before the move; the
     * folder is forced after the move, so the new name too survives a crash once this returns.
     */
    public static void write(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".part");
        boolean posix = posix(absolute.getParent());
        try {
            try (FileChannel ch = posix
                    ? FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            PosixFilePermissions.asFileAttribute(FILE))
                    : FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (posix) {
                    Files.setPosixFilePermissions(tmp, FILE);
                }
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        forceFolder(absolute.getParent());
    }

    /** Forces a folder's entries (a file just renamed or deleted in it) to disk where the platform lets a folder open. */
    public static void forceFolder(Path dir) throws IOException {
        if (dir == null || !posix(dir)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
