package org.safeguarding.hub.audit;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Audit records shaped like the hub's: per submission one SUBMISSION_RECEIVED and SUBMISSION_ACCEPTED, the routing
 * events (opened, a decision, redaction and delivery per recipient, the outcome) and an acknowledgement per recipient.
 * Ids, 64-hex digests, keys like {@code <receipt-uuid>:delivered:<recipient>} and details of about 60 characters.
 */
final class RealisticEvents {
    private static final String[] RECIPIENTS = {"mash-bpl", "police-fib", "health-lancs", "edu-blackpool",
            "social-care-lancs", "probation-nw"};
    private final Random random;
    private final HexFormat hex = HexFormat.of();

    RealisticEvents(long seed) {
        this.random = new Random(seed);
    }

    /** At least {@code n} records, a whole number of submissions. */
    List<AuditRecord> next(int n) {
        List<AuditRecord> out = new ArrayList<>(n + 32);
        while (out.size() < n) {
            out.addAll(submission());
        }
        return out;
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private String digest() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return hex.formatHex(b);
    }

    List<AuditRecord> submission() {
        String sub = uuid();
        String receipt = uuid();
        String partner = "lancs-police";
        String envelope = digest();
        String k = receipt + ":";
        String facts = "categories=CSE,MISSING;area=BPL;priority=HIGH;subjects=2;size=" + (1000 + random.nextInt(9000));
        List<AuditRecord> r = new ArrayList<>();
        r.add(AuditRecord.builder(AuditEventType.SUBMISSION_RECEIVED, partner).key("received:" + envelope).participant("hub")
                .receivedDigest(envelope)
                .detail("bytes=" + (4000 + random.nextInt(60000)) + ";channel=https;tls=TLSv1.3;cipher=AES_256_GCM").build());
        r.add(AuditRecord.builder(AuditEventType.SUBMISSION_ACCEPTED, partner).key("accepted:" + receipt).participant("hub")
                .submissionId(sub).receivedDigest(envelope).detail("receipt=" + receipt).build());
        r.add(AuditRecord.builder(AuditEventType.SUBMISSION_OPENED, "hub").key(k + "opened").participant(partner)
                .submissionId(sub).receivedDigest(envelope).build());
        for (int i = 0; i < 3; i++) {
            String to = RECIPIENTS[(i + random.nextInt(RECIPIENTS.length)) % RECIPIENTS.length] + i;
            String pkg = uuid();
            r.add(AuditRecord.builder(AuditEventType.DECISION, "hub").key(k + "decision:" + to).participant(to)
                    .submissionId(sub).agreement("CS-CORE", 3).decision("SHARED").receivedDigest(envelope)
                    .detail("partner=" + partner + ";" + facts).build());
            r.add(AuditRecord.builder(AuditEventType.REDACTED, "hub").key(k + "redacted:" + to).participant(to)
                    .submissionId(sub).packageId(pkg).agreement("CS-CORE", 3)
                    .withheldPaths(List.of("subjects[0].health", "source")).receivedDigest(envelope).build());
            r.add(AuditRecord.builder(AuditEventType.PACKAGE_DELIVERED, "hub").key(k + "delivered:" + to).participant(to)
                    .submissionId(sub).packageId(pkg).agreement("CS-CORE", 3).receivedDigest(envelope)
                    .packageDigest(digest()).detail("queue=intel." + to + ";bytes=" + (3000 + random.nextInt(50000))).build());
            r.add(AuditRecord.builder(AuditEventType.PACKAGE_ACKNOWLEDGED, to).key(k + "ack:" + to).participant(to)
                    .submissionId(sub).packageId(pkg).detail("via=amqp;queue=intel." + to + ";consumer=remote-1").build());
        }
        r.add(AuditRecord.builder(AuditEventType.SUBMISSION_ROUTED, "hub").key(k + "outcome").participant(partner)
                .submissionId(sub).decision("ROUTED").receivedDigest(envelope).detail("packages=3;" + facts).build());
        return r;
    }
}
