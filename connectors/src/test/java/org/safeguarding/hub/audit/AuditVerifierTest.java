package org.safeguarding.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./hub audit verify}: offline verification of an H2 file trail after the hub stopped. */
class AuditVerifierTest {
    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at("2026-03-01T09:00:00Z");
    private final KeyPair keys = TestSigners.ecP256();

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("audit").toAbsolutePath();
    }

    private void writeTrail(int events) {
        try (JdbcAuditTrail trail = JdbcAuditTrail.open(url(), "sa", "", clock, TestSigners.signer(keys))) {
            for (int i = 0; i < events; i++) {
                trail.append(AuditRecord.builder(AuditEventType.SUBMISSION_RECEIVED, "lancs-police")
                        .submissionId(UUID.randomUUID().toString()).build());
            }
        }
    }

    @Test
    void verifiesAStoppedHubsTrailWithOnlyThePublicKey() {
        writeTrail(20);
        AuditVerification v = AuditVerifier.verify(url(), "sa", "", JcaCheckpointSigner.verifyOnly(keys.getPublic()));
        assertThat(v.ok()).isTrue();
        assertThat(v.events()).isEqualTo(21); // 20 + the checkpoint signed on close
        assertThat(v.head()).hasSize(64);
    }

    @Test
    void namesTheFirstBadEventOffline() throws Exception {
        writeTrail(5);
        String id;
        try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT id FROM audit_event WHERE seq = 2");
            rs.next();
            id = rs.getString(1);
            s.execute("UPDATE audit_event SET decision = 'SHARED' WHERE seq = 2");
        }
        AuditVerification v = AuditVerifier.verify(url(), "sa", "", JcaCheckpointSigner.verifyOnly(keys.getPublic()));
        assertThat(v.ok()).isFalse();
        assertThat(v.firstBadEvent()).isEqualTo(id);
        assertThat(v.events()).isEqualTo(2);
    }

    @Test
    void aWrongPathIsNotMistakenForAnEmptyValidTrail() {
        String missing = "jdbc:h2:file:" + dir.resolve("nope").toAbsolutePath();
        assertThatThrownBy(() -> AuditVerifier.verify(missing, "sa", "", JcaCheckpointSigner.verifyOnly(keys.getPublic())))
                .isInstanceOf(AuditStoreException.class);
        assertThat(Files.exists(dir.resolve("nope.mv.db"))).isFalse();
    }

    @Test
    void aDatabaseWithoutATrailIsReportedAsSuch() throws Exception {
        try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE unrelated (x INT)");
        }
        AuditVerification v = AuditVerifier.verify(url(), "sa", "", JcaCheckpointSigner.verifyOnly(keys.getPublic()));
        assertThat(v.ok()).isFalse();
        assertThat(v.reason()).isEqualTo("no audit trail in this database");
    }

    @Test
    void committedEventsSurviveAReopenOfTheFile() {
        writeTrail(3);
        try (JdbcAuditTrail trail = JdbcAuditTrail.open(url(), "sa", "", clock, TestSigners.signer(keys))) {
            assertThat(trail.find(AuditQuery.all())).hasSize(4);
            assertThat(trail.append(AuditRecord.builder(AuditEventType.HUB_STARTED, "hub").build()).sequence())
                    .isEqualTo(5);
        }
    }
}
