package org.safeguarding.hub.crypto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The streaming counterpart of {@link Asn1Guard}: passes a BER/DER stream through unchanged while walking its
 * tag-length structure as the bytes go by, and fails the read that would hand Bouncy Castle something hostile:
 * <ul>
 *   <li>constructed encodings nested deeper than {@link Asn1Guard#MAX_DEPTH};</li>
 *   <li>a definite length that does not fit inside its container, an indefinite length on a primitive, an
 *       end-of-contents where none is open, a top-level element that does not end before end of stream, or bytes
 *       after it;</li>
 *   <li>APPLICATION or PRIVATE tags (CMS has none; Bouncy Castle would load them whole);</li>
 *   <li>a primitive longer than {@link #MAX_SMALL_PRIMITIVE} anywhere but in the bulk of a CMS message: Bouncy Castle
 *       allocates such primitives at their declared length before reading them, so a lie there would cost memory.
 *       The bulk is the {@code [0]} child of a SEQUENCE four levels down, i.e. the encrypted content of
 *       EnvelopedData / AuthEnvelopedData ({@code [0] IMPLICIT OCTET STRING}, primitive or chunked) and the
 *       encapsulated content of SignedData ({@code [0] EXPLICIT OCTET STRING}); Bouncy Castle streams those.</li>
 * </ul>
 * Each failure is an {@link IOException} and is remembered ({@link #failed()}), so that a caller can tell a hostile
 * encoding from a failure of the stream underneath ({@link #sourceFailed()}).
 */
final class Asn1StreamGuard extends FilterInputStream {
    /** Certificates, keys, signatures, parameters: all far below this. */
    static final int MAX_SMALL_PRIMITIVE = 64 * 1024;

    private static final int TAG = 0;
    private static final int TAG_MORE = 1;
    private static final int LENGTH = 2;
    private static final int LENGTH_MORE = 3;
    private static final int CONTENT = 4;
    private static final int DONE = 5;

    private final int[] tags = new int[Asn1Guard.MAX_DEPTH + 1];
    private final long[] ends = new long[Asn1Guard.MAX_DEPTH + 1];
    private int depth;
    private int state = TAG;
    private long pos;
    private int tag;
    private int tagBytes;
    private int lengthBytes;
    private long length;
    private long remaining;
    private boolean failed;
    private boolean sourceFailed;
    private boolean ended;
    private final byte[] one = new byte[1];

    Asn1StreamGuard(InputStream in) {
        super(in);
    }

    /** The guard refused the encoding. */
    boolean failed() {
        return failed;
    }

    /** The stream underneath failed (for a decrypting stream: the decryption). */
    boolean sourceFailed() {
        return sourceFailed;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failed) {
            throw new IOException("ASN.1 refused");
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            sourceFailed = true;
            throw e;
        }
        if (n < 0) {
            if (!ended) {
                ended = true;
                if (state != DONE && pos > 0) {
                    throw refuse("truncated ASN.1");
                }
            }
            return n;
        }
        int i = off;
        int end = off + n;
        while (i < end) {
            if (state == CONTENT) {
                int take = (int) Math.min(remaining, end - i);
                i += take;
                pos += take;
                remaining -= take;
                if (remaining == 0) {
                    elementEnded();
                }
                continue;
            }
            step(b[i++] & 0xff);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public void close() {
        // the caller owns the stream underneath
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads to the end of the stream (through the guard) and requires exactly one complete top-level element. */
    void finish() throws IOException {
        byte[] buf = new byte[8192];
        while (read(buf, 0, buf.length) >= 0) {
            // the guard refuses trailing data as it goes
        }
        if (state != DONE) {
            throw refuse(pos == 0 ? "no ASN.1 object" : "truncated ASN.1");
        }
    }

    private void step(int x) throws IOException {
        switch (state) {
            case TAG -> {
                long limit = containerEnd();
                if (pos + 2 > limit) {
                    throw refuse("truncated ASN.1");
                }
                tag = x;
                tagBytes = 0;
                if ((x & 0xc0) == 0x40 || (x & 0xc0) == 0xc0) {
                    throw refuse("APPLICATION or PRIVATE tag");
                }
                state = (x & 0x1f) == 0x1f ? TAG_MORE : LENGTH;
            }
            case TAG_MORE -> {
                if (++tagBytes > 4) {
                    throw refuse("bad ASN.1 tag");
                }
                if ((x & 0x80) == 0) {
                    state = LENGTH;
                }
            }
            case LENGTH -> {
                if (x == 0x80) {
                    length = -1;
                    header();
                } else if (x < 0x80) {
                    length = x;
                    header();
                } else {
                    lengthBytes = x & 0x7f;
                    if (lengthBytes > 4) {
                        throw refuse("ASN.1 length too large");
                    }
                    length = 0;
                    state = LENGTH_MORE;
                }
            }
            case LENGTH_MORE -> {
                length = (length << 8) | x;
                if (--lengthBytes == 0) {
                    header();
                }
            }
            case DONE -> throw refuse("trailing data after ASN.1 object");
            default -> throw refuse("ASN.1 state");
        }
        pos++;
    }

    /** Called with pos on the last header byte (not yet counted). */
    private void header() throws IOException {
        long contentStart = pos + 1;
        boolean constructed = (tag & 0x20) != 0;
        if (tag == 0 && length == 0) { // end-of-contents
            if (depth == 0 || ends[depth - 1] != -1) {
                throw refuse("unexpected end-of-contents");
            }
            depth--;
            pos = contentStart - 1;
            state = TAG;
            afterClose(contentStart);
            return;
        }
        if (length >= 0 && contentStart + length > containerEnd()) {
            throw refuse("ASN.1 length exceeds its container");
        }
        if (constructed) {
            if (depth >= Asn1Guard.MAX_DEPTH) {
                throw refuse("ASN.1 nested too deeply");
            }
            tags[depth] = tag;
            ends[depth++] = length < 0 ? -1 : contentStart + length;
            state = TAG;
            if (length == 0) {
                depth--;
                afterClose(contentStart);
            }
            return;
        }
        if (length < 0) {
            throw refuse("indefinite length on primitive");
        }
        if (length > MAX_SMALL_PRIMITIVE && !inBulk()) {
            throw refuse("ASN.1 primitive too long for its place");
        }
        if (length == 0) {
            state = TAG;
            afterClose(contentStart);
        } else {
            remaining = length;
            state = CONTENT;
        }
    }

    /** A primitive's content was consumed: pos is just past it. */
    private void elementEnded() throws IOException {
        state = TAG;
        afterClose(pos);
    }

    /** Closes every definite-length element ending at {@code at}; notes the end of the top-level element. */
    private void afterClose(long at) throws IOException {
        while (depth > 0 && ends[depth - 1] >= 0 && ends[depth - 1] == at) {
            depth--;
        }
        if (depth == 0) {
            state = DONE;
        }
    }

    private long containerEnd() {
        for (int i = depth - 1; i >= 0; i--) {
            if (ends[i] >= 0) {
                return ends[i];
            }
        }
        return Long.MAX_VALUE;
    }

    /** Inside the {@code [0]} child of a SEQUENCE at level four: ContentInfo / [0] / XxxData / content info / [0]. */
    private boolean inBulk() {
        if (depth == 4) {
            return tags[3] == 0x30 && tag == 0x80;
        }
        return depth >= 5 && tags[3] == 0x30 && tags[4] == 0xa0 && tag == 0x04;
    }

    private IOException refuse(String why) {
        failed = true;
        return new IOException(why);
    }
}
