package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaTest {
    private final TestDatabase db = TestDatabase.h2();
    private final TestClock clock = TestClock.at("2026-03-01T09:00:00Z");
    private final CheckpointSigner signer = TestSigners.signer(TestSigners.ed25519());

    @AfterEach
    void closeDb() {
        db.close();
    }

    @Test
    void openingCreatesTheSchemaAndRecordsItsVersionOnce() throws Exception {
        JdbcAuditTrail.open(db.url(), db.user(), db.password(), clock, signer).close();
        JdbcAuditTrail.open(db.url(), db.user(), db.password(), clock, signer).close();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, applied_at FROM audit_schema_version ORDER BY version")) {
            for (int v = 1; v <= AuditSchema.CURRENT_VERSION; v++) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(v);
                assertThat(rs.getObject(2, java.time.OffsetDateTime.class).toInstant()).isEqualTo(clock.instant());
            }
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aNewerSchemaIsRefused() {
        JdbcAuditTrail.open(db.url(), db.user(), db.password(), clock, signer).close();
        db.sql("INSERT INTO audit_schema_version (version, description, applied_at) "
                + "VALUES (99, 'future', TIMESTAMP WITH TIME ZONE '2030-01-01 00:00:00+00')");
        assertThatThrownBy(() -> JdbcAuditTrail.open(db.url(), db.user(), db.password(), clock, signer))
                .isInstanceOf(AuditStoreException.class).hasMessageContaining("newer");
    }

    @Test
    void aWriteFailureMakesTheTrailUnhealthyAndItRecoversWithoutAGap() {
        try (JdbcAuditTrail trail = JdbcAuditTrail.open(db.url(), db.user(), db.password(), clock, signer)) {
            trail.append(AuditRecord.builder(AuditEventType.HUB_STARTED, "hub").build());
            db.sql("ALTER TABLE audit_event RENAME TO audit_event_away");
            assertThatThrownBy(() -> trail.append(AuditRecord.builder(AuditEventType.HUB_STARTED, "hub").key("k1").build()))
                    .isInstanceOf(RuntimeException.class);
            assertThat(trail.healthy()).isFalse();

            db.sql("ALTER TABLE audit_event_away RENAME TO audit_event");
            AuditEvent retried = trail.append(AuditRecord.builder(AuditEventType.HUB_STARTED, "hub").key("k1").build());
            assertThat(retried.sequence()).isEqualTo(2);
            assertThat(trail.healthy()).isTrue();
            assertThat(trail.verify().ok()).isTrue();
        }
    }
}
