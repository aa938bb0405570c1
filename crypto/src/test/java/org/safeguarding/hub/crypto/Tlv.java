package org.safeguarding.hub.crypto;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tag-length-value tree of a BER/DER encoding, for building encodings that a CMS library would never write: each
 * node can be re-encoded with an indefinite length, or with a definite length in more octets than it needs. Parsing
 * accepts definite and indefinite lengths; {@link #encode()} writes the tree back (unchanged nodes as they were read,
 * apart from the length forms, which are written minimal unless asked otherwise).
 */
final class Tlv {
    /** The identifier octets (may be replaced, to write a tag in another form). */
    byte[] tag;
    final List<Tlv> children;
    final byte[] content;
    /** Where the node started in the parsed input, and the path of child indexes from the root. */
    final int offset;
    final List<Integer> path;

    /** Write this node with an indefinite length (constructed nodes only). */
    boolean indefinite;
    /** Write this node's definite length in this many octets after 0x8n (0: the shortest form). */
    int lengthOctets;
    /** Add this to the definite length written (the content stays as it is): a length that lies. */
    int lengthDelta;

    private Tlv(byte[] tag, List<Tlv> children, byte[] content, int offset, List<Integer> path, boolean indefinite) {
        this.tag = tag;
        this.children = children;
        this.content = content;
        this.offset = offset;
        this.path = path;
        this.indefinite = indefinite;
    }

    boolean constructed() {
        return (tag[0] & 0x20) != 0;
    }

    static Tlv parse(byte[] b) {
        int[] pos = {0};
        Tlv t = parse(b, pos, b.length, List.of());
        if (pos[0] != b.length) {
            throw new IllegalArgumentException("trailing bytes");
        }
        return t;
    }

    private static Tlv parse(byte[] b, int[] pos, int end, List<Integer> path) {
        int start = pos[0];
        int p = start;
        int tagStart = p;
        if ((b[p++] & 0x1f) == 0x1f) {
            while ((b[p++] & 0x80) != 0) {
                // high tag number
            }
        }
        byte[] tag = Arrays.copyOfRange(b, tagStart, p);
        int lb = b[p++] & 0xff;
        boolean constructed = (tag[0] & 0x20) != 0;
        if (lb == 0x80) {
            List<Tlv> kids = new ArrayList<>();
            pos[0] = p;
            while (!(b[pos[0]] == 0 && b[pos[0] + 1] == 0)) {
                kids.add(parse(b, pos, end, append(path, kids.size())));
            }
            pos[0] += 2;
            return new Tlv(tag, kids, null, start, path, true);
        }
        int len;
        if (lb < 0x80) {
            len = lb;
        } else {
            len = 0;
            for (int i = 0; i < (lb & 0x7f); i++) {
                len = (len << 8) | (b[p++] & 0xff);
            }
        }
        int contentEnd = p + len;
        if (constructed) {
            List<Tlv> kids = new ArrayList<>();
            pos[0] = p;
            while (pos[0] < contentEnd) {
                kids.add(parse(b, pos, contentEnd, append(path, kids.size())));
            }
            return new Tlv(tag, kids, null, start, path, false);
        }
        pos[0] = contentEnd;
        return new Tlv(tag, null, Arrays.copyOfRange(b, p, contentEnd), start, path, false);
    }

    private static List<Integer> append(List<Integer> path, int i) {
        List<Integer> l = new ArrayList<>(path);
        l.add(i);
        return List.copyOf(l);
    }

    /** The length of the content as it would be encoded now. */
    int contentLength() {
        if (children == null) {
            return content.length;
        }
        int n = 0;
        for (Tlv c : children) {
            n += c.encode().length;
        }
        return n;
    }

    /** How deep the tree nests: 1 for a single element. */
    int depth() {
        int d = 0;
        if (children != null) {
            for (Tlv c : children) {
                d = Math.max(d, c.depth());
            }
        }
        return d + 1;
    }

    /** Every node, parents before children. */
    List<Tlv> walk() {
        List<Tlv> out = new ArrayList<>();
        walk(out);
        return out;
    }

    private void walk(List<Tlv> out) {
        out.add(this);
        if (children != null) {
            for (Tlv c : children) {
                c.walk(out);
            }
        }
    }

    /** The node at {@code path} (child indexes from this node). */
    Tlv at(int... path) {
        Tlv t = this;
        for (int i : path) {
            t = t.children.get(i);
        }
        return t;
    }

    /** Every node re-encoded minimal (DER-style lengths) except where {@link #indefinite} or {@link #lengthOctets} say. */
    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(out);
        return out.toByteArray();
    }

    private void encode(ByteArrayOutputStream out) {
        out.writeBytes(tag);
        if (children != null && indefinite) {
            out.write(0x80);
            for (Tlv c : children) {
                c.encode(out);
            }
            out.write(0);
            out.write(0);
            return;
        }
        byte[] body;
        if (children != null) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (Tlv c : children) {
                c.encode(b);
            }
            body = b.toByteArray();
        } else {
            body = content;
        }
        out.writeBytes(length(body.length + lengthDelta, lengthOctets));
        out.writeBytes(body);
    }

    /** A definite length: the shortest form when {@code octets} is 0, else 0x80|octets and that many octets. */
    static byte[] length(int len, int octets) {
        if (octets == 0) {
            if (len < 0x80) {
                return new byte[] {(byte) len};
            }
            octets = 1;
            while (octets < 4 && (len >>> (8 * octets)) != 0) {
                octets++;
            }
        }
        byte[] b = new byte[1 + octets];
        b[0] = (byte) (0x80 | octets);
        for (int i = 0; i < octets; i++) {
            int shift = 8 * (octets - 1 - i);
            b[1 + i] = shift >= 32 ? 0 : (byte) (len >>> shift);
        }
        return b;
    }

    @Override
    public String toString() {
        return String.format("%02x at %d %s", tag[0] & 0xff, offset, path);
    }
}
