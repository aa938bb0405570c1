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
 * The hub on PostgreSQL: with {@code audit.jdbcUrl} and {@code registry.jdbcUrl} pointing at a real server
 * (HUB_TEST_POSTGRES_URL, _USER, _PASSWORD, as {@code .ci/run} sets them), the hub creates its schemas, routes a
 * submission, a recipient acknowledges its package, and the IG lead reads, exports and verifies the trail; the audit
 * rows and the registry's (the submission, its deliveries) are in PostgreSQL, and no registry file is made. Each run
 * gets its own schemas: the audit store's made by the test, the registry's by the hub.
 */
@EnabledIfEnvironmentVariable(named = "HUB_TEST_POSTGRES_URL", matches = ".+")
class PostgresHubIT {
    static final String URL = System.getenv("HUB_TEST_POSTGRES_URL");
    static final String USER = env("HUB_TEST_POSTGRES_USER");
    static final String PASSWORD_ENV = System.getenv("HUB_TEST_POSTGRES_PASSWORD") != null
            ? "HUB_TEST_POSTGRES_PASSWORD" : "HUB_TEST_POSTGRES_URL_PASSWORD";
    final String schema = "hub_it_" + UUID.randomUUID().toString().replace("-", "");
    /** The registry's schema, which the hub makes itself. */
    final String registrySchema = schema + "_registry";
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
            s.execute("DROP SCHEMA IF EXISTS " + registrySchema + " CASCADE");
        }
    }

    @Test
    void theHubKeepsItsAuditTrailAndItsRegistryInPostgresql() throws Exception {
        String url = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        String registryUrl = URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + registrySchema;
        hub = RunningHub.start(TestPki.ec(), """
                audit:
                  jdbcUrl: "%1$s"
                  user: "%2$s"
                  passwordEnv: %3$s
                registry:
                  jdbcUrl: "%4$s"
                  user: "%2$s"
                  passwordEnv: %3$s
                """.formatted(url, USER, PASSWORD_ENV, registryUrl));
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

        // the partner's status comes from the registry: every package of the submission, one acknowledged
        JsonNode status = HubHttpClient.json(hub.client("nhs-lsc").get("api/v1/submissions/" + submissionId));
        assertThat(status.path("status").asText()).isEqualTo("ROUTED");
        JsonNode first = status.path("recipients").get(0);
        String recipient = first.path("recipient").asText();
        String packageId = first.path("packageId").asText();
        int packages = status.path("recipients").size();
        assertThat(packages).isPositive();
        hub.awaitPackages(recipient, 1);
        assertThat(hub.client(recipient).post("api/v1/inbox/" + packageId + "/ack").statusCode()).isEqualTo(204);
        hub.awaitRecorded();

        try (Connection c = connect()) {
            try (PreparedStatement p = c.prepareStatement("SELECT status FROM " + registrySchema
                    + ".submission WHERE partner_id = 'nhs-lsc' AND submission_id = ?")) {
                p.setString(1, submissionId);
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).as("the submission row in PostgreSQL").isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ROUTED");
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE package_id = ?"
                    + " AND state = 'ACKNOWLEDGED') FROM " + registrySchema + ".delivery WHERE submission_id = ?")) {
                p.setString(1, packageId);
                p.setString(2, submissionId);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("its delivery rows").isEqualTo(packages);
                    assertThat(rs.getLong(2)).as("the acknowledged one").isEqualTo(1);
                }
            }
        }
        assertThat(hub.app().settings().dataDirectory().resolve("registry")).doesNotExist();

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
