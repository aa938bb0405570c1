package org.safeguarding.hub.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Wrappers that remember whether the caller's own stream failed, so that a streaming operation can tell an I/O
 * failure (rethrown as {@link IOException}) from a bad message (a {@link CryptoException}).
 */
final class StreamFailures {
    private StreamFailures() {}

    /** The caller's output: a failure to write is the caller's, never the message's. */
    static final class Output extends FilterOutputStream {
        private boolean failed;

        Output(OutputStream out) {
            super(out);
        }

        boolean failed() {
            return failed;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }

    /** The caller's input: a failure to read is the caller's (a broken connection), not a malformed message. */
    static final class Input extends InputStream {
        private final InputStream in;
        private boolean failed;

        Input(InputStream in) {
            this.in = in;
        }

        boolean failed() {
            return failed;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
