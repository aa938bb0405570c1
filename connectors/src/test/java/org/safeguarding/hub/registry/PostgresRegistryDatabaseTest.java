package org.safeguarding.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.TestDatabase;
import org.safeguarding.hub.jdbc.Durability;
import org.safeguarding.hub.jdbc.H2Housekeeping;
import org.safeguarding.hub.jdbc.H2Recovery;

/**
 * The registry on PostgreSQL: a durable commit on every pooled connection, whatever the session default, and the H2
 * housekeeping left out rather than failing.
 */
@EnabledIfEnvironmentVariable(named = TestDatabase.POSTGRES_URL, matches = ".+")
class PostgresRegistryDatabaseTest {
    final TestDatabase schema = TestDatabase.postgres();
    @TempDir
    Path dir;

    @AfterEach
    void drop() {
        schema.close();
    }

    @Test
    void everyConnectionCommitsDurablyEvenWhenTheSessionDefaultIsOff() throws Exception {
        // a server or role that turns synchronous_commit off for the hub's sessions
        String url = schema.url() + "&options=-c%20synchronous_commit%3Doff";
        try (RegistryDatabase db = RegistryDatabase.open(dir, url, schema.user(), schema.password())) {
            assertThat(db.isPostgres()).isTrue();
            List<Connection> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Connection c = db.dataSource().getConnection();
                    held.add(c);
                    assertThat(Durability.show(c, "synchronous_commit")).isEqualTo("on");
                }
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void theH2HousekeepingIsSkippedAndTheSchemaIsMadeInTheUrlsSchema() throws Exception {
        assertThat(H2Recovery.recoverIfUnclean(schema.url())).isEqualTo(H2Recovery.Outcome.NOT_APPLICABLE);
        try (RegistryDatabase db = RegistryDatabase.open(dir, schema.url(), schema.user(), schema.password())) {
            SubmissionRegistry registry = new SubmissionRegistry(db.dataSource(), Clock.systemUTC());
            new SubmissionRegistry(db.dataSource(), Clock.systemUTC()); // a second start finds it all there
            RegistryProjection projection = new RegistryProjection(db.dataSource(), Clock.systemUTC());
            projection.apply(List.of(new RegistryChange.Accepted(SubmissionRegistryTest.receipt("s-1", "aa"))));
            assertThat(registry.find("lancs-police", "s-1")).isPresent();
            try (Connection c = db.dataSource().getConnection()) {
                assertThat(Durability.Kind.of(c)).isEqualTo(Durability.Kind.POSTGRESQL);
                assertThat(H2Housekeeping.compact(c, 80, 1024)).isFalse();
                assertThat(H2Housekeeping.compactFile(c, 100)).isFalse();
                assertThat(H2Housekeeping.fillRate(c)).isEqualTo(-1);
            }
        }
        try (Connection c = schema.connect(); var rs = c.getMetaData().getTables(null, c.getSchema(), "%",
                new String[] {"TABLE"})) {
            List<String> tables = new java.util.ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
            assertThat(tables).contains("submission", "delivery", "shown_view", "non_delivery", "webhook",
                    "linked_submission", "link", "link_alert", "link_alert_token", "link_alert_member");
        }
    }

    @Test
    void aSchemaTheServerDoesNotHaveYetIsMadeWithTheTablesInIt() throws Exception {
        String name = "registry_t_" + java.util.UUID.randomUUID().toString().replace("-", "");
        String base = System.getenv(TestDatabase.POSTGRES_URL);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
        try (Connection c = schema.connect(); java.sql.Statement s = c.createStatement()) {
            try {
                try (RegistryDatabase db = RegistryDatabase.open(dir, url, schema.user(), schema.password())) {
                    new SubmissionRegistry(db.dataSource(), Clock.systemUTC()).registerWebhook("police-fib",
                            "https://a.example/hook");
                }
                try (var rs = s.executeQuery("SELECT count(*) FROM " + name + ".webhook")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            } finally {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }
    }
}
