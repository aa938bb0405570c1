package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The hub on PostgreSQL: with {@code audit.jdbcUrl} pointing at a real server (HUB_TEST_POSTGRES_URL, _USER,
 * _PASSWORD, as {@code .ci/run} sets them), the hub creates its schema, routes a submission, and the IG lead
 * reads, exports and verifies the trail; the rows are in PostgreSQL. Each run gets its own schema.
 */
@EnabledIfEnvironmentVariable(named = "HUB_TEST_POSTGRES_URL", matches = ".+")
class PostgresHubIT {
    static final String URL = System.getenv("HUB_TEST_POSTGRES_URL");
    static final String USER = env("HUB_TEST_POSTGRES_USER");
    static final String PASSWORD_ENV = System.getenv("HUB_TEST_POSTGRES_PASSWORD") != null
            ? "HUB_TEST_POSTGRES_PASSWORD" : "HUB_TEST_POSTGRES_URL_PASSWORD";
    final String schema = "hub_it_" + UUID.randomUUID().toString().replace("-", "");
    RunningHub hub;

    static String env(String name) {
        String v = System.getenv(name);
        return v != null ? v : System.getenv(name.replace("HUB_TEST_POSTGRES_", "HUB_TEST_POSTGRES_URL_"));
    }

    static Connection connect() throws Exception {
        return DriverManager.getConnection(URL, USER, System.getenv(PASSWORD_ENV));
    }

    @BeforeEach
    void createSchema() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (hub != null) {
            hub.close();
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    @Test
    void theHubKeepsItsAuditTrailInPostgresql() throws Exception {
        String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        hub = RunningHub.start(TestPki.ec(), """
                audit:
                  jdbcUrl: "%s"
                  user: "%s"
                  passwordEnv: %s
                """.formatted(url, USER, PASSWORD_ENV));
        var pki = hub.pki();
        byte[] json = Submissions.current("C02-health-cse-blackburn.json");
        String submissionId = HubHttpClient.JSON.readTree(json).path("submissionId").asText();
        NotifyBuilder routed = hub.routedNotifier(1);
        assertThat(hub.client("nhs-lsc").submit(OpenSsl.signAndEncrypt(json, pki.cert("nhs-lsc"),
                pki.key("nhs-lsc"), pki.cert("hub"), "-aes-256-gcm")).statusCode()).isEqualTo(202);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitRecorded();

        JsonNode events = HubHttpClient.json(hub.client("ig-lead").get("api/v1/audit/events?limit=1000&submissionId="
                + submissionId)).path("events");
        assertThat(events).filteredOn(e -> e.path("type").asText().equals("DECISION")).hasSize(10);
        var csv = hub.client("ig-lead").get("api/v1/audit/export?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(new String(csv.body(), StandardCharsets.UTF_8)).contains(submissionId);
        JsonNode verify = HubHttpClient.json(hub.client("ig-lead").get("api/v1/audit/verify"));
        assertThat(verify.path("ok").asBoolean()).isTrue();

        try (Connection c = connect();
             PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + schema
                     + ".audit_event WHERE submission_id = ? AND event_type = 'DECISION'")) {
            p.setString(1, submissionId);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(10);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                System.out.println("PostgresHubIT ran against PostgreSQL " + rs.getString(1));
            }
        }
    }
}
