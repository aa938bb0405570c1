package org.safeguarding.hub.intake;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.safeguarding.hub.broker.QueueNames;

/** The intake queue message: the sealed bytes as they arrived, and the receipt as properties. No content. */
public final class IntakeMessages {
    private IntakeMessages() {
    }

    public static void toQueueMessage(Exchange exchange) {
        IntakeContext ctx = exchange.getMessage().getBody(IntakeContext.class);
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(QueueNames.PARTNER_ID, ctx.receipt().partnerId());
        m.setHeader(QueueNames.SUBMISSION_ID, ctx.receipt().submissionId());
        m.setHeader(QueueNames.RECEIPT_ID, ctx.receipt().receiptId());
        m.setHeader(QueueNames.RECEIVED_AT, ctx.receipt().receivedAt().toString());
        m.setHeader(QueueNames.DUPLICATE_ID,
                QueueNames.intakeDuplicateId(ctx.receipt().partnerId(), ctx.receipt().submissionId()));
        // the sealed body streams to the broker as a large message (see StreamedBodies), never as one array
        m.setBody(new byte[0]);
        exchange.setProperty(StreamedBodies.BODY, ctx.sealed());
    }
}
