package org.safeguarding.hub.broker;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads a consumed or browsed message's body into a stream without holding it whole: Artemis writes a large message's
 * chunks to the stream as they arrive ({@code JMS_AMQ_SaveStream}, blocking until the last one), where
 * {@link jakarta.jms.Message#getBody} would first gather the body into one buffer and then copy it into an array.
 */
public final class MessageBodies {
    private static final String SAVE_STREAM = "JMS_AMQ_SaveStream";

    private MessageBodies() {
    }

    /** Writes the whole body to {@code out}; the caller closes it. */
    public static void save(BytesMessage message, OutputStream out) throws JMSException, IOException {
        if (message.getClass().getName().startsWith("org.apache.activemq.artemis.")) {
            message.setObjectProperty(SAVE_STREAM, out);
            return;
        }
        byte[] chunk = new byte[64 * 1024];
        for (int n = message.readBytes(chunk); n > 0; n = message.readBytes(chunk)) {
            out.write(chunk, 0, n);
        }
    }
}
