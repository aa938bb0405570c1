package org.safeguarding.hub.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/**
 * Streamed bodies for the server tests, chosen by the query's {@code format} (the one parameter of an export the
 * server lets through that names what to write): {@code lines-N} writes N numbered lines, {@code bytes-N} N bytes;
 * {@code gate} writes one line, flushes, and waits for {@link #GATE} before the rest; {@code endless}
 * writes until the connection fails and then counts down {@link #STOPPED}; {@code refuse} refuses before
 * any body; {@code failEarly} fails inside the body before a byte left; {@code failLate} fails after
 * several chunks left.
 */
final class StreamingBodies {
    static volatile CountDownLatch gate = new CountDownLatch(1);
    static volatile CountDownLatch stopped = new CountDownLatch(1);
    static final AtomicLong endlessBytes = new AtomicLong();

    private StreamingBodies() {
    }

    static StreamedResponse answer(Caller caller, Map<String, String> query) {
        String format = query.getOrDefault("format", "");
        int dash = format.indexOf('-');
        String kind = dash < 0 ? format : format.substring(0, dash);
        String count = dash < 0 ? "" : format.substring(dash + 1);
        if (kind.equals("refuse")) {
            throw new HubException(ErrorCode.FORBIDDEN, "not for " + caller.participantId() + ".");
        }
        StreamedResponse.BodyWriter body;
        if (kind.equals("bytes")) {
            int n = Integer.parseInt(count);
            return StreamedResponse.ofLength(200, "application/octet-stream", n, out -> {
                for (int i = 0; i < n; i++) {
                    out.write(i % 251);
                }
            });
        }
        if (kind.equals("lines")) {
            int n = Integer.parseInt(count);
            body = out -> {
                for (int i = 0; i < n; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
            };
        } else if (kind.equals("gate")) {
            body = out -> {
                out.write("first\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("the test never opened the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                out.write("second\n".getBytes(StandardCharsets.UTF_8));
            };
        } else if (kind.equals("endless")) {
            body = out -> {
                byte[] line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n"
                        .getBytes(StandardCharsets.US_ASCII);
                try {
                    while (true) {
                        out.write(line);
                        endlessBytes.addAndGet(line.length);
                    }
                } finally {
                    stopped.countDown();
                }
            };
        } else if (kind.equals("failEarly")) {
            body = out -> {
                out.write("a little\n".getBytes(StandardCharsets.UTF_8));
                throw new IllegalStateException("store down, secret detail");
            };
        } else if (kind.equals("failLate")) {
            body = out -> {
                byte[] block = new byte[ResponseBodyStream.CHUNK];
                java.util.Arrays.fill(block, (byte) 'x');
                for (int i = 0; i < 4; i++) {
                    out.write(block);
                }
                throw new IllegalStateException("store down part-way");
            };
        } else {
            body = out -> { };
        }
        return new StreamedResponse(200, "text/plain; charset=utf-8",
                Map.of("Content-Disposition", "attachment; filename=\"test.txt\""), body);
    }
}
