package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;

/** The scenario's sample submissions, made current (submittedAt now, a fresh submissionId) for transport tests. */
final class Submissions {
    private Submissions() {
    }

    static ObjectNode load(String file) {
        try (InputStream in = Submissions.class.getResourceAsStream("/scenario/submissions/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no such scenario submission: " + file);
            }
            return (ObjectNode) HubHttpClient.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file with submittedAt set to now and a new submissionId, so tests never collide. */
    static byte[] current(String file) {
        return current(file, n -> { });
    }

    static byte[] current(String file, Consumer<ObjectNode> change) {
        ObjectNode n = load(file);
        n.put("submittedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        n.put("submissionId", UUID.randomUUID().toString());
        change.accept(n);
        try {
            return HubHttpClient.JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
