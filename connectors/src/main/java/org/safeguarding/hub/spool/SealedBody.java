package org.safeguarding.hub.spool;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Sealed bytes as the hub holds them, whatever brought them: a submission's envelope as a partner sent it (the HTTPS
 * request body, the file dropped by SFTP) or a package sealed for a recipient. Held in memory, or spooled to a file so
 * that a large one is read as a stream and never held whole; only sealed bytes are ever spooled, so nothing readable
 * is at rest. It may be read more than once.
 */
public interface SealedBody {
    /** Bytes in the body. */
    long size();

    /** A new stream over the whole body; the caller closes it. */
    InputStream open() throws IOException;

    static SealedBody of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new SealedBody() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    /** A body spooled to {@code file} of {@code size} bytes; whoever spooled it deletes the file. */
    static SealedBody spooled(Path file, long size) {
        Objects.requireNonNull(file, "file");
        return new SealedBody() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }
}
