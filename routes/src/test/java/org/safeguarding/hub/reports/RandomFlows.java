package org.safeguarding.hub.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;

/**
 * Random audit trails of a small partnership over one quarter, as the recorder writes them: for each
 * submission one DECISION per recipient (agreement and version, SHARED or NOT_SHARED with a reason, the
 * partner, categories and area in the detail), a PACKAGE_DELIVERED for each SHARED one, SUBMISSION_UNROUTED
 * when nothing was shared, and later acknowledgements and expiries. Flows are lopsided on purpose (each
 * partner-recipient pair has its own sharing rate and usual reason), so that small cells sit next to
 * large ones. Events come oldest first, with random hashes, as a real trail gives them.
 */
final class RandomFlows {
    static final String[] REASONS = {"OUT_OF_AREA", "PURPOSE_NOT_PERMITTED", "OUT_OF_AGE_SCOPE",
        "CATEGORY_NOT_COVERED", "NO_AGREEMENT"};
    static final String[] CATEGORIES = {"CCE", "CSE", "MISSING", "TRAFFICKING"};
    static final String[] AREAS = {"BPL", "BWD", "LANCS"};

    private RandomFlows() {
    }

    /** A trail of events from {@code start} over {@code days} days, chosen by {@code seed}. */
    static List<AuditEvent> trail(long seed, Instant start, int days) {
        Random random = new Random(seed);
        int partners = 1 + random.nextInt(3);
        int recipients = 1 + random.nextInt(4);
        int areas = 1 + random.nextInt(AREAS.length);
        int categories = 1 + random.nextInt(CATEGORIES.length);
        // per pair: the agreement (or none), the rate of sharing and the usual reason
        String[][] agreement = new String[partners][recipients];
        double[][] rate = new double[partners][recipients];
        int[][] usualReason = new int[partners][recipients];
        for (int p = 0; p < partners; p++) {
            for (int r = 0; r < recipients; r++) {
                int a = random.nextInt(4);
                agreement[p][r] = a == 0 ? null : a == 1 ? "CS-EDU" : "CS-CORE";
                rate[p][r] = agreement[p][r] == null ? 0 : new double[] {0, 0.05, 0.5, 0.95, 1}[random.nextInt(5)];
                usualReason[p][r] = random.nextInt(REASONS.length - 1);
            }
        }
        // CS-CORE moves from version 2 to 3 somewhere in the period, or not at all
        Instant newVersionFrom = random.nextBoolean() ? start.plus(Duration.ofDays(random.nextInt(days)))
                : start.plus(Duration.ofDays(days + 1));
        int submissions = new int[] {0, 3, 10, 25, 60}[random.nextInt(5)] + random.nextInt(8);

        List<AuditEvent> events = new ArrayList<>();
        long seconds = Duration.ofDays(days).toSeconds();
        for (int s = 0; s < submissions; s++) {
            Instant t = start.plusSeconds((long) (random.nextDouble() * seconds));
            int p = random.nextInt(partners);
            String partner = "partner-" + p;
            String area = AREAS[random.nextInt(areas)];
            List<String> cats = new ArrayList<>();
            cats.add(CATEGORIES[random.nextInt(categories)]);
            if (random.nextInt(4) == 0) {
                String second = CATEGORIES[random.nextInt(categories)];
                if (!cats.contains(second)) {
                    cats.add(second);
                }
            }
            cats.sort(Comparator.naturalOrder());
            String facts = "categories=" + String.join("+", cats) + ";area=" + area;
            String submissionId = new UUID(random.nextLong(), random.nextLong()).toString();
            int shared = 0;
            for (int r = 0; r < recipients; r++) {
                String recipient = "recipient-" + r;
                String a = agreement[p][r];
                Integer version = a == null ? null : a.equals("CS-CORE") ? (t.isBefore(newVersionFrom) ? 2 : 3) : 1;
                boolean share = a != null && random.nextDouble() < rate[p][r];
                String reason = null;
                if (!share) {
                    reason = a == null ? "NO_AGREEMENT"
                            : REASONS[random.nextInt(5) == 0 ? random.nextInt(REASONS.length - 1) : usualReason[p][r]];
                }
                events.add(event(random, t, AuditEventType.DECISION, recipient, submissionId, null, a, version,
                        share ? "SHARED" : "NOT_SHARED", reason, "partner=" + partner + ";" + facts));
                if (share) {
                    shared++;
                    String packageId = "pkg-" + new UUID(random.nextLong(), random.nextLong());
                    Instant delivered = t.plusMillis(1);
                    events.add(event(random, delivered, AuditEventType.PACKAGE_DELIVERED, recipient, submissionId,
                            packageId, a, version, null, null, "queue=intel." + recipient));
                    int fate = random.nextInt(4);
                    if (fate < 2) {
                        events.add(event(random, delivered.plusSeconds(random.nextInt(4 * 24 * 3600)),
                                AuditEventType.PACKAGE_ACKNOWLEDGED, recipient, submissionId, packageId, null, null,
                                null, null, "via=https"));
                    } else if (fate == 2) {
                        events.add(event(random, delivered.plus(Duration.ofDays(5)).plusSeconds(random.nextInt(300)),
                                AuditEventType.PACKAGE_EXPIRED, recipient, submissionId, packageId, null, null,
                                null, null, "partner=" + partner + ";limit=P5D"));
                    }
                }
            }
            if (shared == 0) {
                events.add(event(random, t.plusMillis(2), AuditEventType.SUBMISSION_UNROUTED, partner, submissionId,
                        null, null, null, "UNROUTED", null, "packages=0;" + facts));
            }
        }
        events.sort(Comparator.comparing(AuditEvent::time));
        List<AuditEvent> numbered = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            AuditEvent e = events.get(i);
            numbered.add(new AuditEvent(e.id(), i + 1, e.time(), e.type(), e.key(), e.actor(), e.participant(),
                    e.submissionId(), e.packageId(), e.agreementId(), e.agreementVersion(), e.decision(),
                    e.reasonCode(), e.withheldPaths(), e.receivedDigest(), e.packageDigest(), e.detail(),
                    e.previousHash(), e.hash()));
        }
        return numbered;
    }

    private static AuditEvent event(Random random, Instant time, AuditEventType type, String participant,
                                    String submissionId, String packageId, String agreement, Integer version,
                                    String decision, String reason, String detail) {
        byte[] hash = new byte[32];
        random.nextBytes(hash);
        return new AuditEvent(new UUID(random.nextLong(), random.nextLong()).toString(), 0, time, type, null, "hub", participant, submissionId,
                packageId, agreement, version, decision, reason, List.of(), null, null, detail, null,
                HexFormat.of().formatHex(hash));
    }
}
