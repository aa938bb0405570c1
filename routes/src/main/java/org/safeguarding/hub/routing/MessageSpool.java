package org.safeguarding.hub.routing;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.safeguarding.hub.broker.MessageBodies;
import org.safeguarding.hub.spool.SealedBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a consumed message's sealed body out of the broker before anything reads it: an ordinary one into memory, a
 * large one into a spool file, so that it is never one array in memory (Artemis writes its chunks straight to the file,
 * {@code JMS_AMQ_SaveStream}). The file is deleted when the {@link Spooled} closes, committed or rolled back (a
 * rollback redelivers the message, which is taken again).
 */
public final class MessageSpool {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSpool.class);
    /** Bodies up to this size are read into memory. */
    static final long IN_MEMORY_UP_TO = 1024 * 1024;

    private final Path dir;

    public MessageSpool(Path dir) {
        this.dir = dir;
    }

    /** A consumed body, in memory or in a spool file that closing deletes. */
    public record Spooled(SealedBody body, Path file) implements AutoCloseable {
        @Override
        public void close() {
            deleteQuietly(file);
        }
    }

    public Spooled take(BytesMessage message) throws JMSException {
        long length = message.getBodyLength();
        if (length <= IN_MEMORY_UP_TO) {
            return new Spooled(SealedBody.of(MessageBodies.read(message)), null);
        }
        Path file = dir.resolve("message-" + UUID.randomUUID() + ".sealed");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 64 * 1024)) {
            MessageBodies.save(message, out);
        } catch (IOException | JMSException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof JMSException j) {
                throw j;
            }
            throw new UncheckedIOException("a consumed message could not be spooled",
                    e instanceof IOException io ? io : new IOException(e));
        }
        try {
            return new Spooled(SealedBody.spooled(file, Files.size(file)), file);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("a spooled message could not be read", e);
        }
    }

    /** Deletes a spool file (null: nothing); one left behind (logged) is removed at the next start. */
    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("a spool file could not be deleted: {}", e.toString());
        }
    }
}
