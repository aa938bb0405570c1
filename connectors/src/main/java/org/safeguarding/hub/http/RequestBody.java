package org.safeguarding.hub.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A request body as the server took it in: in memory, or spooled to a file (a sealed submission, which only the hub
 * can open) so that a large one is read as a stream and never held whole. It may be read more than once.
 */
public interface RequestBody {
    /** Bytes in the body. */
    long size();

    /** A new stream over the whole body; the caller closes it. */
    InputStream open() throws IOException;

    static RequestBody of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new RequestBody() {
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
    static RequestBody spooled(Path file, long size) {
        Objects.requireNonNull(file, "file");
        return new RequestBody() {
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
