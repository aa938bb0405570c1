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
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.safeguarding.hub.broker.MessageBodies;
import org.safeguarding.hub.http.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a consumed message's sealed body out of the broker into a spool file before anything reads it, so that a
 * large submission or package is never one array in memory: Artemis writes its chunks straight to the file
 * ({@code JMS_AMQ_SaveStream}). The consumers using it take the JMS message itself as the body
 * ({@code mapJmsMessage=false}); the spooled body is left in {@link #SEALED} and its file is deleted when the exchange
 * completes, committed or rolled back (a rollback redelivers the message, which is spooled again).
 */
public final class MessageSpool {
    /** The exchange property holding the spooled body, a {@link RequestBody}. */
    public static final String SEALED = "hubSpooledMessage";
    private static final Logger LOG = LoggerFactory.getLogger(MessageSpool.class);

    private final Path dir;

    public MessageSpool(Path dir) {
        this.dir = dir;
    }

    /** Spools the exchange's JMS message body into a file, left in {@link #SEALED} as a {@link RequestBody}. */
    public void take(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof BytesMessage message)) {
            // only the hub's own routes send to these queues, always bytes: anything else is a defect, not input
            throw new IllegalStateException("expected a bytes message, not "
                    + (body == null ? "nothing" : body.getClass().getName()));
        }
        Path file = dir.resolve("message-" + UUID.randomUUID() + ".sealed");
        deleteWhenDone(exchange, file);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 64 * 1024)) {
            MessageBodies.save(message, out);
        } catch (IOException e) {
            throw new UncheckedIOException("a consumed message could not be spooled", e);
        } catch (JMSException e) {
            throw new IllegalStateException("a consumed message could not be read from the broker", e);
        }
        try {
            exchange.setProperty(SEALED, RequestBody.spooled(file, Files.size(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("a spooled message could not be read", e);
        }
    }

    /** Deletes a spool file when the exchange completes, committed or rolled back. */
    public static void deleteWhenDone(Exchange exchange, Path file) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                deleteQuietly(file);
            }
        });
    }

    /** Deletes a spool file; one left behind (logged) is removed at the next start. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("a spool file could not be deleted: {}", e.toString());
        }
    }
}
