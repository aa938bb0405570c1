package org.safeguarding.hub.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * An {@link OutputStream} onto a chunked Vert.x response, for a worker thread. It collects bytes into
 * chunks of {@value #CHUNK} and hands each to Vert.x; it counts the bytes handed over and not yet written
 * to the socket, and while they exceed {@value #MAX_IN_FLIGHT} (the client reads slower than the body is
 * made) it blocks until writes complete. So memory stays bounded whatever the size of the body. (Vert.x's
 * own {@code writeQueueFull} does not see writes made from a worker thread that are still queued for the
 * event loop, so it cannot be the brake here.) A closed connection, a failed write or a client that reads
 * nothing for {@code stallTimeoutSeconds} fails the next write with an {@link IOException}, which stops the
 * producer.
 */
final class ResponseBodyStream extends OutputStream {
    static final int CHUNK = 32 * 1024;
    static final long MAX_IN_FLIGHT = 4L * CHUNK;

    private final HttpServerResponse response;
    private final long stallTimeoutNanos;
    private final byte[] chunk = new byte[CHUNK];
    private final Object progress = new Object();
    private int used;
    private long inFlight; // guarded by progress
    private volatile boolean connectionClosed;
    private volatile Throwable writeFailure;
    private boolean ended;

    ResponseBodyStream(HttpServerResponse response, long stallTimeoutSeconds) {
        this.response = response;
        this.stallTimeoutNanos = TimeUnit.SECONDS.toNanos(stallTimeoutSeconds);
        response.closeHandler(v -> {
            connectionClosed = true;
            wake();
        });
    }

    @Override
    public void write(int b) throws IOException {
        if (used == CHUNK) {
            flushChunk();
        }
        chunk[used++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (used == CHUNK) {
                flushChunk();
            }
            int n = Math.min(len, CHUNK - used);
            System.arraycopy(b, off, chunk, used, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (used > 0) {
            flushChunk();
        }
    }

    /** Sends what is left and ends the response with the final chunk. Call it only when the body is whole. */
    @Override
    public void close() throws IOException {
        if (ended) {
            return;
        }
        flush();
        checkOpen();
        ended = true;
        response.end();
    }

    private void flushChunk() throws IOException {
        awaitRoom();
        int n = used;
        synchronized (progress) {
            inFlight += n;
        }
        response.write(Buffer.buffer(Arrays.copyOf(chunk, n))).onComplete(ar -> {
            if (ar.failed()) {
                writeFailure = ar.cause();
            }
            synchronized (progress) {
                inFlight -= n;
                progress.notifyAll();
            }
        });
        used = 0;
    }

    private void awaitRoom() throws IOException {
        long deadline = System.nanoTime() + stallTimeoutNanos;
        synchronized (progress) {
            while (inFlight > MAX_IN_FLIGHT - CHUNK) {
                checkOpen();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("the client read nothing for "
                            + TimeUnit.NANOSECONDS.toSeconds(stallTimeoutNanos) + " s");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the client was slow to read", e);
                }
            }
        }
        checkOpen();
    }

    private void checkOpen() throws IOException {
        if (connectionClosed) {
            throw new IOException("the client closed the connection");
        }
        Throwable f = writeFailure;
        if (f != null) {
            throw new IOException("writing the response failed", f);
        }
    }

    private void wake() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }
}
