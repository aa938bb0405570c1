package org.safeguarding.hub.intake;

import java.io.ByteArrayOutputStream;

/**
 * A submission's opened content, in memory only, sized up front from the sealed body (the content is never longer
 * than its envelope) so that it is held once and never copied while it grows.
 */
public final class ContentBuffer extends ByteArrayOutputStream {
    public ContentBuffer(long expected) {
        super((int) Math.max(32, Math.min(expected, Integer.MAX_VALUE - 16)));
    }

    /** The array holding the content in its first {@link #length()} bytes; not a copy, so it must not change. */
    public byte[] array() {
        return buf;
    }

    public int length() {
        return count;
    }
}
