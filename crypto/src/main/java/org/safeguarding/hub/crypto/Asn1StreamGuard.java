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
 *   <li>a definite length not in its shortest form (the long form for a length under 128, or a leading zero octet),
 *       or in more than four octets: BER allows the first, DER does not, and no CMS library writes it; refusing it
 *       leaves one encoding per length, so two parsers cannot read the same bytes two ways. Indefinite lengths on
 *       constructed encodings (OpenSSL's {@code -stream}, Bouncy Castle's streaming generators) stay accepted;</li>
 *   <li>a first element that is not a SEQUENCE (every CMS ContentInfo is one), APPLICATION or PRIVATE tags (CMS has
 *       none; Bouncy Castle would load them whole);</li>
 *   <li>a primitive longer than {@link #MAX_SMALL_PRIMITIVE} anywhere but in the bulk of a CMS message: Bouncy Castle
 *       allocates such primitives at their declared length before reading them, so a lie there would cost memory.
 *       The bulk is the {@code [0]} child of a SEQUENCE four levels down, i.e. the encrypted content of
 *       EnvelopedData / AuthEnvelopedData ({@code [0] IMPLICIT OCTET STRING}, primitive or chunked) and the
 *       encapsulated content of SignedData ({@code [0] EXPLICIT OCTET STRING}); Bouncy Castle streams those.</li>
 * </ul>
 * Each failure is an {@link IOException} and is remembered ({@link #failed()}, {@link #refusal()}: what is wrong and at
 * which byte, safe to show the sender), so that a caller can tell a hostile encoding from a failure of the stream
 * underneath ({@link #sourceFailed()}).
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
    /** Where the element being read began. */
    private long elementStart;
    private boolean longForm;
    private boolean leadingZero;
    private String refusal;
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

    /** What the guard refused and where ("the length at byte 17 is not in its shortest form"), or null. */
    String refusal() {
        return refusal;
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
            throw new IOException(refusal);
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
                    throw refuse("the body ends inside an element (byte " + pos + "): it is cut short or a length is wrong");
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
            throw refuse(pos == 0 ? "there is nothing to read"
                    : "the body ends inside an element (byte " + pos + "): it is cut short or a length is wrong");
        }
    }

    private void step(int x) throws IOException {
        switch (state) {
            case TAG -> {
                elementStart = pos;
                if (pos == 0 && x != 0x30) {
                    throw refuse(Asn1Guard.NOT_A_SEQUENCE);
                }
                long limit = containerEnd();
                if (pos + 2 > limit) {
                    throw refuse("the element at byte " + pos + " runs past the end of its container");
                }
                tag = x;
                tagBytes = 0;
                if ((x & 0xc0) == 0x40 || (x & 0xc0) == 0xc0) {
                    throw refuse("the element at byte " + pos + " has an APPLICATION or PRIVATE tag, which CMS does not use");
                }
                state = (x & 0x1f) == 0x1f ? TAG_MORE : LENGTH;
            }
            case TAG_MORE -> {
                if (++tagBytes > 4) {
                    throw refuse("the tag at byte " + elementStart + " is longer than five octets");
                }
                if ((x & 0x80) == 0) {
                    state = LENGTH;
                }
            }
            case LENGTH -> {
                longForm = false;
                if (x == 0x80) {
                    length = -1;
                    header();
                } else if (x < 0x80) {
                    length = x;
                    header();
                } else {
                    lengthBytes = x & 0x7f;
                    if (lengthBytes > 4) {
                        throw refuse("the length at byte " + (pos) + " takes more than four octets");
                    }
                    longForm = true;
                    leadingZero = false;
                    length = 0;
                    state = LENGTH_MORE;
                }
            }
            case LENGTH_MORE -> {
                if (length == 0 && x == 0) {
                    leadingZero = true;
                }
                length = (length << 8) | x;
                if (--lengthBytes == 0) {
                    header();
                }
            }
            case DONE -> throw refuse("bytes follow the complete element, from byte " + pos);
            default -> throw refuse("ASN.1 state");
        }
        pos++;
    }

    /** Called with pos on the last header byte (not yet counted). */
    private void header() throws IOException {
        long contentStart = pos + 1;
        boolean constructed = (tag & 0x20) != 0;
        if (longForm && (leadingZero || length < 0x80)) {
            throw refuse("the length of the element at byte " + elementStart + " is not in its shortest form (DER's rule,"
                    + " which the hub applies to BER too)");
        }
        if (tag == 0 && length == 0) { // end-of-contents
            if (depth == 0 || ends[depth - 1] != -1) {
                throw refuse("the end-of-contents at byte " + elementStart + " closes nothing");
            }
            depth--;
            pos = contentStart - 1;
            state = TAG;
            afterClose(contentStart);
            return;
        }
        if (length >= 0 && contentStart + length > containerEnd()) {
            throw refuse("the length of the element at byte " + elementStart + " runs past the end of its container");
        }
        if (constructed) {
            if (depth >= Asn1Guard.MAX_DEPTH) {
                throw refuse("the element at byte " + elementStart + " is nested deeper than " + Asn1Guard.MAX_DEPTH + " levels");
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
            throw refuse("the primitive element at byte " + elementStart + " has an indefinite length, which BER does not allow");
        }
        if (length > MAX_SMALL_PRIMITIVE && !inBulk()) {
            throw refuse("the primitive element at byte " + elementStart + " is longer than " + (MAX_SMALL_PRIMITIVE / 1024)
                    + " KiB outside the encrypted or signed content");
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
        refusal = why;
        return new Asn1Guard.Refused(why);
    }
}
