package org.safeguarding.hub.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.ContentInfo;

/**
 * Refuses hostile BER/DER before Bouncy Castle builds objects from it: a linear, non-recursive walk (that of
 * {@link Asn1StreamGuard}) that checks every length fits inside its parent and is in its shortest form, that
 * indefinite lengths are closed, and that constructed encodings nest no deeper than {@link #MAX_DEPTH}. Then parses
 * with an {@link ASN1InputStream} limited to the input length.
 */
final class Asn1Guard {
    /** CMS with certificates nests to about 15 levels; BER chunking adds a few. */
    static final int MAX_DEPTH = 48;

    /** The refusal when the first byte is not a SEQUENCE's tag, as a CMS ContentInfo's is (JSON, PEM, anything else). */
    static final String NOT_A_SEQUENCE = "it does not begin with an ASN.1 SEQUENCE, as a CMS ContentInfo does";

    private Asn1Guard() {}

    /** The guard refused the encoding; the message says what is wrong and at which byte, safe to show the sender. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why);
        }
    }

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

    /**
     * Structural check of a single top-level BER/DER element spanning {@code b} exactly: the rules of
     * {@link Asn1StreamGuard} (the same walk, so that the byte-array and the streaming open refuse the same inputs).
     * The {@link IOException}'s message says what is wrong and at which byte.
     */
    static void scan(byte[] b) throws IOException {
        if (b == null || b.length == 0) {
            throw new Refused("there is nothing to read");
        }
        new Asn1StreamGuard(new ByteArrayInputStream(b)).finish();
    }
}
