package org.safeguarding.hub.crypto;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;

/**
 * Refuses hostile BER/DER before Bouncy Castle builds objects from it: a linear, non-recursive walk that checks every
 * length fits inside its parent, that indefinite lengths are closed, and that constructed encodings nest no deeper
 * than {@link #MAX_DEPTH}. Then parses with an {@link ASN1InputStream} limited to the input length.
 */
final class Asn1Guard {
    /** CMS with certificates nests to about 15 levels; BER chunking adds a few. */
    static final int MAX_DEPTH = 48;

    private Asn1Guard() {}

    /** Parses one ContentInfo that must span the whole input. */
    static ContentInfo contentInfo(byte[] der) throws IOException {
        scan(der);
        try (ASN1InputStream in = new ASN1InputStream(der, true)) {
            ASN1Primitive p = in.readObject();
            if (p == null || in.available() > 0) {
                throw new IOException("not exactly one ASN.1 object");
            }
            return ContentInfo.getInstance(p);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new IOException("not a CMS ContentInfo", e);
        }
    }

    /** Structural check of a single top-level BER/DER element spanning {@code b} exactly. */
    static void scan(byte[] b) throws IOException {
        if (b == null || b.length < 2) {
            throw new IOException("too short for ASN.1");
        }
        // stack of end offsets; -1 marks an indefinite-length element awaiting its end-of-contents
        long[] ends = new long[MAX_DEPTH + 1];
        int depth = 0;
        int pos = 0;
        long limit = b.length;
        boolean first = true;
        while (true) {
            // close finished definite-length elements
            while (depth > 0 && ends[depth - 1] >= 0 && pos == ends[depth - 1]) {
                depth--;
            }
            if (depth == 0 && !first) {
                if (pos != b.length) {
                    throw new IOException("trailing data after ASN.1 object");
                }
                return;
            }
            first = false;
            long parentEnd = limit;
            for (int i = depth - 1; i >= 0; i--) {
                if (ends[i] >= 0) {
                    parentEnd = ends[i];
                    break;
                }
            }
            if (pos + 2 > parentEnd) {
                throw new IOException("truncated ASN.1");
            }
            int tag = b[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) { // high tag number
                int n = 0;
                while (true) {
                    if (pos >= parentEnd || ++n > 4) {
                        throw new IOException("bad ASN.1 tag");
                    }
                    if ((b[pos++] & 0x80) == 0) {
                        break;
                    }
                }
            }
            if (pos >= parentEnd) {
                throw new IOException("truncated ASN.1 length");
            }
            int lb = b[pos++] & 0xff;
            boolean constructed = (tag & 0x20) != 0;
            if (tag == 0 && lb == 0) { // end-of-contents
                if (depth == 0 || ends[depth - 1] != -1) {
                    throw new IOException("unexpected end-of-contents");
                }
                depth--;
                continue;
            }
            long len;
            if (lb == 0x80) {
                if (!constructed) {
                    throw new IOException("indefinite length on primitive");
                }
                len = -1;
            } else if (lb < 0x80) {
                len = lb;
            } else {
                int n = lb & 0x7f;
                if (n > 4 || pos + n > parentEnd) {
                    throw new IOException("ASN.1 length too large");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[pos++] & 0xff);
                }
            }
            if (len >= 0 && pos + len > parentEnd) {
                throw new IOException("ASN.1 length exceeds its container");
            }
            if (constructed) {
                if (depth >= MAX_DEPTH) {
                    throw new IOException("ASN.1 nested too deeply");
                }
                ends[depth++] = len < 0 ? -1 : pos + len;
                if (len == 0) {
                    // empty constructed: closes at once via the loop head
                    continue;
                }
            } else {
                pos += (int) len;
            }
        }
    }
}
