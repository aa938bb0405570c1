package org.safeguarding.hub.intake;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.jms.MessageCreatedStrategy;
import org.apache.camel.support.SynchronizationAdapter;
import org.safeguarding.hub.http.RequestBody;

/**
 * Sends a large sealed body to the broker as a stream: when the exchange carries a {@link RequestBody} in
 * {@link #BODY}, the JMS message camel-jms made (with an empty body) reads its body from it as Artemis sends it, in
 * chunks (a large message, {@code JMS_AMQ_InputStream}), so the body is never one array in memory; a small body is
 * written into the message as usual. Sent inside the
 * route's transaction like any other camel-jms send. The stream is closed when the exchange completes.
 */
public final class StreamedBodies implements MessageCreatedStrategy {
    /** The exchange property holding the body to stream. */
    public static final String BODY = "hubStreamedBody";
    private static final String INPUT_STREAM = "JMS_AMQ_InputStream";
    /** Bodies from this size on stream as large messages (Artemis's own large-message threshold is 100 KiB). */
    static final long STREAM_FROM = 100 * 1024;

    @Override
    public void onMessageCreated(Message message, Session session, Exchange exchange, Throwable cause) {
        RequestBody body = exchange == null ? null : exchange.getProperty(BODY, RequestBody.class);
        if (body == null || cause != null) {
            return;
        }
        try {
            if (body.size() < STREAM_FROM && message instanceof BytesMessage bytes) {
                // small: an ordinary message, as if camel-jms had written it
                try (InputStream in = body.open()) {
                    bytes.writeBytes(in.readAllBytes());
                }
                return;
            }
            InputStream in = body.open();
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    try {
                        in.close();
                    } catch (IOException e) {
                        // a read-only stream over a spooled file or an array
                    }
                }
            });
            message.setObjectProperty(INPUT_STREAM, in);
        } catch (IOException | JMSException e) {
            throw new RuntimeCamelException("the body could not be streamed to the broker", e);
        }
    }
}
