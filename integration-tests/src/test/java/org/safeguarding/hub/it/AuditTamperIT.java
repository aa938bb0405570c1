package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.app.HubApplication;
import org.safeguarding.hub.app.HubCommand;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.settings.SettingsLoader;

/**
 * Someone with write access to the hub's audit database changes a stored decision while the hub is down:
 * {@code ./hub audit verify} (offline) and, after a restart, {@code GET /api/v1/audit/verify} both name that
 * event. Before the change both say the trail is intact.
 */
class AuditTamperIT {
    RunningHub hub;
    HubApplication restarted;

    @AfterEach
    void stop() {
        if (restarted != null) {
            restarted.close();
        }
        hub.close();
    }

    @Test
    void aDecisionChangedInTheDatabaseIsNamedOfflineAndOnline() throws Exception {
        hub = RunningHub.start();
        var pki = hub.pki();
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        NotifyBuilder routed = hub.routedNotifier(1);
        assertThat(hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(json, pki.cert("lancs-police"),
                pki.key("lancs-police"), pki.cert("hub"), "-aes-256-gcm")).statusCode()).isEqualTo(202);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        // the routing step's record (its decisions, its status) goes into the trail and the registry together: once the
        // partner's status shows the routing, the decisions are in the trail (the broker counts a committed record on
        // the audit queue a moment after the commit, so an empty queue right after the route proves nothing)
        String id = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        org.safeguarding.hub.crypto.testing.Await.until("the routing of " + id + " recorded",
                java.time.Duration.ofSeconds(60), () -> "ROUTED".equals(HubHttpClient.json(
                        hub.client("lancs-police").get("api/v1/submissions/" + id)).path("status").asText()));
        hub.awaitRecorded();
        AuditEvent refusal = hub.app().auditTrail().find(new AuditQuery(null, "mash-bwd", AuditEventType.DECISION,
                null, null, null, 10)).get(0);
        assertThat(refusal.decision()).isEqualTo("NOT_SHARED");
        HubSettings settings = hub.app().settings();
        String config = settings.configDirectory().toString();
        hub.app().close();

        Result intact = verifyOffline(config);
        assertThat(intact.exit).as(intact.err).isZero();
        assertThat(intact.out).startsWith("audit trail OK: ");

        // the tampering: a refusal rewritten as a share, straight in the table
        try (Connection c = DriverManager.getConnection(settings.audit().jdbcUrl(), settings.audit().user(), "");
             PreparedStatement p = c.prepareStatement(
                     "UPDATE audit_event SET decision = 'SHARED', reason_code = NULL WHERE id = ?")) {
            p.setString(1, refusal.id());
            assertThat(p.executeUpdate()).isEqualTo(1);
        }

        Result offline = verifyOffline(config);
        assertThat(offline.exit).isEqualTo(4);
        assertThat(offline.out).isEmpty();
        assertThat(offline.err).contains("FAILED at event " + refusal.id()).contains("altered");

        restarted = HubApplication.start(SettingsLoader.load(settings.configDirectory()), Clock.systemUTC());
        JsonNode online = HubHttpClient.json(HubHttpClient.as(pki, "ig-lead",
                "https://localhost:" + restarted.httpsPort() + "/").get("api/v1/audit/verify"));
        assertThat(online.path("ok").asBoolean()).isFalse();
        assertThat(online.path("firstBadEvent").asText()).isEqualTo(refusal.id());
        assertThat(online.path("reason").asText()).contains("altered");
    }

    record Result(int exit, String out, String err) {
    }

    static Result verifyOffline(String config) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HubCommand.execute(new String[] {"audit", "verify", "--config", config}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }
}
