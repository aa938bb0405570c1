package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/** The running hub signs a checkpoint of the chain head at audit.checkpointInterval, and again when it stops. */
class AuditCheckpointIT {
    @Test
    void theHubSignsCheckpointsAtItsIntervalAndOnShutdown() throws Exception {
        try (RunningHub hub = RunningHub.start(TestPki.ec(), "audit:\n  checkpointInterval: PT0.2S\n")) {
            // HUB_STARTED moved the head; the timer signs it (no count-based checkpoint this early)
            List<AuditEvent> checkpoints = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) { // bounded poll, no sleep
                checkpoints = hub.app().auditTrail().find(new AuditQuery(null, null, AuditEventType.CHECKPOINT,
                        null, null, null, 10));
                if (!checkpoints.isEmpty()) {
                    break;
                }
                Thread.onSpinWait();
            }
            assertThat(checkpoints).as("a timed checkpoint").isNotEmpty();
            assertThat(checkpoints.get(0).detail()).startsWith("checkpoint:v1;covers=");

            HubSettings settings = hub.app().settings();
            hub.app().close();
            List<String> lastTypes = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(settings.audit().jdbcUrl(), settings.audit().user(), "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT event_type FROM audit_event ORDER BY seq DESC LIMIT 2")) {
                while (rs.next()) {
                    lastTypes.add(rs.getString(1));
                }
            }
            assertThat(lastTypes).as("the stop is recorded, then signed")
                    .containsExactly("CHECKPOINT", "HUB_STOPPED");
        }
    }
}
