package org.safeguarding.hub.routing;

import java.nio.file.Path;
import org.safeguarding.hub.spool.SealedBody;

/**
 * A package sealed for its recipient (in memory, or for a large one in a spool file: encrypted either way, so nothing
 * readable is at rest), with the SHA-256 of what was sealed; closing it deletes its spool file.
 */
public record SealedPackage(OutgoingPackage outgoing, SealedBody body, String digest, Path file) implements AutoCloseable {
    @Override
    public void close() {
        MessageSpool.deleteQuietly(file);
    }
}
