package org.safeguarding.hub.sftp;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * What a partner may do in its drop, and nothing else: list {@code /}, {@code /inbound} and {@code /outbound};
 * write new files directly in {@code /inbound} (and rename them there, for clients that upload under a temporary
 * name, and set their times); read and delete files directly in {@code /outbound}. Every other operation (a folder
 * made or removed, a file anywhere else, a link of either kind, a rename out of or into another folder, reading
 * back an upload, attributes of folders) is refused before the file system is touched, with "permission denied"
 * and a message that says what is open. The refusals are the partner's mistakes, not the hub's: they are not logged.
 */
final class DropPermissions implements SftpEventListener {
    static final String WHAT_IS_OPEN = "only /inbound (write .p7m files) and /outbound (read, delete) are open to a partner";
    private static final Set<String> FOLDERS = Set.of(DropFolders.INBOUND, DropFolders.OUTBOUND);

    @Override
    public void opening(ServerSession session, String remoteHandle, Handle localHandle) throws IOException {
        Path p = localHandle.getFile();
        if (localHandle instanceof DirectoryHandle) {
            if (depth(p) == 0 || (depth(p) == 1 && FOLDERS.contains(first(p)))) {
                return;
            }
            throw refused(p);
        }
        if (localHandle instanceof FileHandle f) {
            Set<? extends OpenOption> options = f.getOpenOptions();
            boolean writes = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
            if (writes ? in(p, DropFolders.INBOUND) : in(p, DropFolders.OUTBOUND)) {
                return;
            }
        }
        throw refused(p);
    }

    @Override
    public void creating(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
        throw refused(path); // no folders of a partner's own
    }

    @Override
    public void moving(ServerSession session, Path srcPath, Path dstPath, Collection<CopyOption> opts)
            throws IOException {
        if (!in(srcPath, DropFolders.INBOUND) || !in(dstPath, DropFolders.INBOUND)) {
            throw refused(in(srcPath, DropFolders.INBOUND) ? dstPath : srcPath);
        }
    }

    @Override
    public void removing(ServerSession session, Path path, boolean isDirectory) throws IOException {
        if (isDirectory || !in(path, DropFolders.OUTBOUND)) {
            throw refused(path);
        }
    }

    @Override
    public void linking(ServerSession session, Path source, Path target, boolean symLink) throws IOException {
        throw refused(source);
    }

    @Override
    public void modifyingAttributes(ServerSession session, Path path, Map<String, ?> attrs) throws IOException {
        if (!in(path, DropFolders.INBOUND)) {
            throw refused(path);
        }
    }

    /** Whether {@code path} (in the partner's rooted file system) names a file directly in {@code folder}. */
    static boolean in(Path path, String folder) {
        Path p = path.toAbsolutePath().normalize();
        return p.getNameCount() == 2 && folder.equals(p.getName(0).toString())
                && !p.getFileName().toString().startsWith(".");
    }

    private static int depth(Path path) {
        return path.toAbsolutePath().normalize().getNameCount();
    }

    private static String first(Path path) {
        return path.toAbsolutePath().normalize().getName(0).toString();
    }

    private static AccessDeniedException refused(Path path) {
        return new AccessDeniedException(path.toAbsolutePath().normalize().toString(), null, WHAT_IS_OPEN);
    }
}
