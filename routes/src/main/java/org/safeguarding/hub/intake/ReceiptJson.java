package org.safeguarding.hub.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.SubmissionStatus;

/**
 * Intake's answer as the receipt document, the same bytes on every channel (the HTTPS 202 or 200 body, the SFTP
 * drop's {@code .receipt.json}): {@code submissionId}, {@code receiptId}, {@code receivedAt} and {@code status}
 * ({@code ACCEPTED}). A repeat answers the first receipt, so the same document again.
 */
public final class ReceiptJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReceiptJson() {
    }

    public static byte[] of(IntakeAnswer answer) {
        Receipt receipt = answer.receipt();
        ObjectNode r = JSON.createObjectNode();
        r.put("submissionId", receipt.submissionId());
        r.put("receiptId", receipt.receiptId());
        r.put("receivedAt", receipt.receivedAt().toString());
        r.put("status", SubmissionStatus.ACCEPTED.name());
        try {
            return JSON.writeValueAsBytes(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
