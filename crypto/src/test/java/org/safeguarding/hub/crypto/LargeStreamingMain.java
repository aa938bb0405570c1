package org.safeguarding.hub.crypto;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link LargeStreamingTest} in a JVM with a small heap: seals a large generated content with the streaming
 * API, opens it again, and opens a message OpenSSL sealed. Prints one line per step: {@code name sha256 length}.
 * Arguments: pki directory, work directory, content length, OpenSSL-sealed file.
 */
public final class LargeStreamingMain {
    private LargeStreamingMain() {}

    public static void main(String[] args) throws Exception {
        Path pki = Path.of(args[0]);
        Path work = Path.of(args[1]);
        long length = Long.parseLong(args[2]);
        Path fromOpenSsl = Path.of(args[3]);
        Identity partner = Identities.fromPem(pki.resolve("lancs-police.pem"), pki.resolve("lancs-police.key"));
        Identity hub = Identities.fromPem(pki.resolve("hub.pem"), pki.resolve("hub.key"));
        Identity recipient = Identities.fromPem(pki.resolve("mash-bpl.pem"), pki.resolve("mash-bpl.key"));
        AlgorithmPolicy policy = AlgorithmPolicy.defaults();
        CmsSealer sealer = new CmsSealer(policy);
        EnvelopeOpener hubOpener = new EnvelopeOpener(List.of(hub), policy);
        EnvelopeOpener recipientOpener = new EnvelopeOpener(List.of(recipient), policy);

        for (ContentEncryption enc : ContentEncryption.values()) {
            Path sealed = work.resolve("hub-" + enc + ".p7m");
            try (InputStream in = new GeneratedContent(length);
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(sealed))) {
                sealer.seal(in, out, hub, List.of(recipient.certificate()), enc);
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(sealed))) {
                StreamedMessage m = recipientOpener.open(in, OutputStream.nullOutputStream());
                report("hub-sealed-" + enc, m);
            }
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(fromOpenSsl))) {
            StreamedMessage m = hubOpener.open(in, OutputStream.nullOutputStream());
            report("openssl-sealed", m);
        }
        Runtime rt = Runtime.getRuntime();
        System.out.println("max-heap " + rt.maxMemory());
    }

    private static void report(String name, StreamedMessage m) {
        System.out.println(name + " " + m.contentSha256Hex() + " " + m.contentLength() + " "
                + Certificates.commonName(m.signer()));
    }

    /** Deterministic pseudo-random bytes, generated as read: nothing held in memory. */
    static final class GeneratedContent extends InputStream {
        private final java.util.SplittableRandom random = new java.util.SplittableRandom(20260301L);
        private long remaining;

        GeneratedContent(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) random.nextInt(256);
            }
            remaining -= n;
            return n;
        }
    }
}
