package org.safeguarding.hub.broker;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads a consumed or browsed message's body into a stream without holding it whole: Artemis writes a large message's
 * chunks to the stream as they arrive ({@code JMS_AMQ_SaveStream}, blocking until the last one), where
 * {@link jakarta.jms.Message#getBody} would first gather the body into one buffer and then copy it into an array.
 */
public final class MessageBodies {
    private static final String SAVE_STREAM = "JMS_AMQ_SaveStream";
    private static final String INPUT_STREAM = "JMS_AMQ_InputStream";
    /** Bodies from this size on go to the broker as a stream, a large message (Artemis's own threshold is 100 KiB). */
    public static final long STREAM_FROM = 100 * 1024;

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

    /**
     * Sets a message's body from {@code in} ({@code size} bytes): a small body is written into the message, a large one
     * is read by Artemis as it sends, in chunks, so that it is never one array in memory. The caller closes {@code in}
     * once the message is sent.
     */
    public static void write(BytesMessage message, InputStream in, long size) throws JMSException, IOException {
        if (size < STREAM_FROM) {
            message.writeBytes(in.readAllBytes());
        } else {
            message.setObjectProperty(INPUT_STREAM, in);
        }
    }

    /** Reads a small body whole (a large one should be {@link #save saved} to a file instead). */
    public static byte[] read(BytesMessage message) throws JMSException {
        return message.getBody(byte[].class);
    }
}
