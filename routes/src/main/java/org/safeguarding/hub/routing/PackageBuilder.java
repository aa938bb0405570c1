package org.safeguarding.hub.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.sharing.RecipientPackage;

/** The routed package JSON of the scenario: who it is for, where it came from, under which agreement, what was withheld. */
public final class PackageBuilder {
    private final ObjectMapper json;

    public PackageBuilder(ObjectMapper json) {
        this.json = json;
    }

    public byte[] build(String packageId, String submissionId, Participant partner, RecipientPackage p,
                        Instant routedAt) {
        try {
            return json.writeValueAsBytes(tree(packageId, submissionId, partner, p, routedAt));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("package JSON could not be written", e);
        }
    }

    /** {@link #build} written to {@code out} as it is generated, which is then closed (a sealing stream completes). */
    public void write(OutputStream out, String packageId, String submissionId, Participant partner, RecipientPackage p,
                      Instant routedAt) throws IOException {
        write(out, packageId, submissionId, partner, p, routedAt, null);
    }

    /** {@link #write} with a correction's fields ({@code kind}, {@code revision}, ...) set at the top level. */
    public void write(OutputStream out, String packageId, String submissionId, Participant partner, RecipientPackage p,
                      Instant routedAt, ObjectNode amendment) throws IOException {
        ObjectNode tree = tree(packageId, submissionId, partner, p, routedAt);
        if (amendment != null) {
            tree.setAll(amendment);
        }
        json.writeValue(out, tree);
    }

    private ObjectNode tree(String packageId, String submissionId, Participant partner, RecipientPackage p,
                            Instant routedAt) {
        ObjectNode root = json.createObjectNode();
        root.put("packageId", packageId);
        root.put("submissionId", submissionId);
        root.put("recipient", p.decision().recipientId());
        ObjectNode source = root.putObject("source");
        source.put("partnerId", partner.id());
        source.put("sector", partner.sector() == null ? null : partner.sector().name());
        ObjectNode agreement = root.putObject("agreement");
        agreement.put("id", p.decision().agreementId());
        agreement.put("version", p.decision().agreementVersion());
        root.put("routedAt", routedAt.toString());
        var redactions = root.putArray("redactions");
        p.redactions().forEach(redactions::add);
        root.set("submission", p.redactedSubmission());
        return root;
    }
}
