package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** PostgreSQL's share of the audit store per event (pg_total_relation_size: heap, TOAST and every index), for the README. */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_URL, matches = ".+")
class PostgresStoreSizeTest {
    @Test
    void reportsBytesPerEvent() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            TestClock clock = TestClock.at("2026-03-01T09:00:00Z");
            RealisticEvents events = new RealisticEvents(42);
            long appended = 0;
            try (JdbcAuditTrail trail = JdbcAuditTrail.open(db.url(), db.user(), db.password(), clock,
                    TestSigners.signer(TestSigners.ed25519()), AuditTrailOptions.defaults().withCheckpointEveryEvents(1000))) {
                while (appended < H2StoreSizeTest.EVENTS) {
                    List<AuditRecord> batch = events.next(H2StoreSizeTest.BATCH);
                    trail.appendAll(batch);
                    appended += batch.size();
                    clock.advance(Duration.ofMillis(250));
                }
            }
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("ANALYZE");
                try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('audit_event'), "
                        + "pg_relation_size('audit_event'), pg_total_relation_size('audit_checkpoint'), "
                        + "(SELECT COUNT(*) FROM audit_event)")) {
                    rs.next();
                    long total = rs.getLong(1);
                    long heap = rs.getLong(2);
                    long checkpoints = rs.getLong(3);
                    long rows = rs.getLong(4);
                    System.out.printf("PostgreSQL audit store: %d events, audit_event %d bytes with indexes (%d B/event;"
                            + " heap %d B/event), audit_checkpoint %d bytes%n", rows, total, total / rows, heap / rows,
                            checkpoints);
                    assertThat(rows).isGreaterThanOrEqualTo(appended);
                }
            }
        }
    }
}
