package org.safeguarding.hub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.CryptoException;
import org.safeguarding.hub.crypto.Identity;

/**
 * Pre-sealed submissions: fresh copies (new submissionId, submittedAt now) of one scenario sample, signed by the
 * partner and encrypted to the hub with {@link CmsSealer} (AES-256-GCM, DER), as a partner's system would send them.
 * Made before a phase is timed, so the load generator spends nothing on crypto while it drives the hub.
 */
final class SealedSubmissions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode sample;
    private final Identity partner;
    private final List<X509Certificate> hub;
    private final CmsSealer sealer = new CmsSealer(AlgorithmPolicy.defaults());

    SealedSubmissions(String sampleFile, Identity partner, X509Certificate hubCertificate) throws IOException {
        try (InputStream in = SealedSubmissions.class.getResourceAsStream("/scenario/submissions/" + sampleFile)) {
            if (in == null) {
                throw new IllegalArgumentException("no such scenario submission: " + sampleFile);
            }
            this.sample = (ObjectNode) JSON.readTree(in);
        }
        this.partner = partner;
        this.hub = List.of(hubCertificate);
    }

    /** The sample's plaintext JSON with a fresh id and time (for the crypto floor's package content). */
    byte[] freshJson(String submissionId) throws IOException {
        ObjectNode n = sample.deepCopy();
        n.put("submissionId", submissionId);
        n.put("submittedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return JSON.writeValueAsBytes(n);
    }

    /** {@code count} fresh sealed copies, as a {@link Ledger} of their own. */
    Ledger seal(String label, int count, int expectedPackages) throws IOException, CryptoException {
        List<String> ids = new ArrayList<>(count);
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            bodies.add(sealer.seal(freshJson(id), partner, hub, ContentEncryption.AES_256_GCM));
        }
        return new Ledger(label, ids, bodies, expectedPackages);
    }
}
