package org.safeguarding.hub.sftp;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Tells the {@link DropProcessor} when a partner's upload into {@code /inbound/} is complete: when the partner's
 * client closes a file it opened for writing there (its SSH_FXP_CLOSE, answered only once the processor has claimed
 * the file durably), or when it renames a file into it (clients that upload under a temporary name). A handle the
 * server closes itself because the session ended (a cut connection, the hub stopping) is not a completed upload: the
 * processor removes what it left. Keeps count of the files still open for writing, so none is taken half-written.
 */
public final class DropUploadListener implements SftpEventListener {
    private final Map<String, Integer> openForWriting = new ConcurrentHashMap<>();
    private DropProcessor processor;

    void processor(DropProcessor processor) {
        this.processor = processor;
    }

    /** Whether a session has {@code inbound/<name>} of the partner open for writing. */
    public boolean beingWritten(String partnerId, String name) {
        return openForWriting.containsKey(partnerId + "/" + name);
    }

    @Override
    public void open(ServerSession session, String remoteHandle, Handle localHandle) {
        String name = writtenInbound(localHandle);
        if (name != null) {
            openForWriting.merge(session.getUsername() + "/" + name, 1, Integer::sum);
        }
    }

    /** The client closed the handle: with no failure, the upload is complete. */
    @Override
    public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown)
            throws IOException {
        String name = writtenInbound(localHandle);
        if (name == null) {
            return;
        }
        release(session, name);
        if (processor == null) {
            return;
        }
        if (thrown == null) {
            processor.uploaded(session.getUsername(), name);
        } else {
            processor.abandoned(session.getUsername(), name); // not known to be whole: the client is told it failed
        }
    }

    /** The session ends with the handle still open: the server closes it, the client never did. */
    @Override
    public void exiting(ServerSession session, Handle localHandle) {
        String name = writtenInbound(localHandle);
        if (name == null) {
            return;
        }
        release(session, name);
        if (processor != null) {
            processor.abandoned(session.getUsername(), name);
        }
    }

    @Override
    public void moved(ServerSession session, Path srcPath, Path dstPath, Collection<java.nio.file.CopyOption> opts,
                      Throwable thrown) throws IOException {
        String name = thrown == null ? inboundName(dstPath) : null;
        if (name != null && processor != null) {
            processor.uploaded(session.getUsername(), name);
        }
    }

    private void release(ServerSession session, String name) {
        openForWriting.computeIfPresent(session.getUsername() + "/" + name, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static String writtenInbound(Handle handle) {
        if (handle instanceof FileHandle f && (f.getOpenOptions().contains(StandardOpenOption.WRITE)
                || f.getOpenOptions().contains(StandardOpenOption.APPEND))) {
            return inboundName(f.getFile());
        }
        return null;
    }

    /** The file name when {@code path} (in the partner's rooted file system) is directly in {@code /inbound/}. */
    static String inboundName(Path path) {
        if (path == null) {
            return null;
        }
        Path p = path.toAbsolutePath().normalize();
        if (p.getNameCount() == 2 && DropFolders.INBOUND.equals(p.getName(0).toString())) {
            return p.getFileName().toString();
        }
        return null;
    }
}
