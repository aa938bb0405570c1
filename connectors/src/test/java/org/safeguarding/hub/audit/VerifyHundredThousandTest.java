package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How long verify takes on a trail of 100,000 events in an H2 file (printed for the closing note). */
class VerifyHundredThousandTest {
    @TempDir
    Path dir;

    @Test
    void verifiesOneHundredThousandEvents() {
        TestClock clock = TestClock.at("2026-03-01T09:00:00Z");
        CheckpointSigner signer = TestSigners.signer(TestSigners.ecP256());
        String url = "jdbc:h2:file:" + dir.resolve("audit").toAbsolutePath();
        try (JdbcAuditTrail trail = JdbcAuditTrail.open(url, "sa", "", clock, signer)) {
            long t0 = System.nanoTime();
            List<AuditRecord> batch = new ArrayList<>(1000);
            for (int i = 0; i < 100_000; i++) {
                String sub = UUID.randomUUID().toString();
                batch.add(AuditRecord.builder(AuditEventType.DECISION, "hub")
                        .key("decision:" + sub + ":mash-bpl").participant("mash-bpl").submissionId(sub)
                        .agreement("CS-CORE", 3).decision("SHARED")
                        .withheldPaths(List.of("source", "subjects[1].health"))
                        .build());
                if (batch.size() == 1000) {
                    trail.appendAll(batch);
                    batch.clear();
                    clock.advance(Duration.ofSeconds(1));
                }
            }
            long written = System.nanoTime();
            AuditVerification v = trail.verify();
            long verified = System.nanoTime();
            assertThat(v.ok()).as(v.reason()).isTrue();
            // the default options add a checkpoint every 1000 events
            assertThat(v.events()).isBetween(100_000L, 100_200L);
            System.out.printf("audit: wrote %d events in %d ms; verify of %d events took %d ms (ok=%s)%n",
                    100_000, (written - t0) / 1_000_000, v.events(), (verified - written) / 1_000_000, v.ok());
        }
    }
}
