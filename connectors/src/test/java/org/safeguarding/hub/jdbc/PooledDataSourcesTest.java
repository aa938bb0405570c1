package org.safeguarding.hub.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.RegistryProjection;
import org.safeguarding.hub.registry.SubmissionRegistry;

/**
 * The registry on the hub's pooled DataSource, as the hub wires it: an H2 file on {@link FaultyFilePath} (which counts
 * fsyncs) behind a {@link PooledDataSources#durable} pool.
 */
class PooledDataSourcesTest {
    @TempDir
    Path dir;

    @Test
    void theRegistryForcesEveryAppliedBatchToDiskThroughThePool() throws Exception {
        String url = FaultyFilePath.url(dir.resolve("registry")) + ";DB_CLOSE_ON_EXIT=FALSE";
        try (HikariDataSource pool = PooledDataSources.durable("registry-test", url, "hub", "", 4)) {
            SubmissionRegistry registry = new SubmissionRegistry(pool, Clock.systemUTC());
            RegistryProjection projection = new RegistryProjection(pool, Clock.systemUTC());
            for (int i = 0; i < 5; i++) {
                Receipt r = new Receipt("lancs-police", UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                        Instant.now(), "aa");
                long before = FaultyFilePath.forces.get();
                projection.apply(List.of(new RegistryChange.Accepted(r)));
                assertThat(FaultyFilePath.forces.get()).as("fsyncs while batch %d was applied", i)
                        .isGreaterThan(before);
                assertThat(registry.find(r.partnerId(), r.submissionId())).isPresent();
            }
            try (Connection c = pool.getConnection()) {
                assertThat(H2Housekeeping.fillRate(c)).as("the H2 store is reached through the pool's connection")
                        .isBetween(0, 100);
                assertThat(setting(c, "RETENTION_TIME")).isEqualTo(String.valueOf(H2Housekeeping.RETENTION_MILLIS));
                assertThat(setting(c, "WRITE_DELAY")).as("each commit written when it is made").isEqualTo("0");
            }
        }
    }

    @Test
    void theRegistryFileShrinksToItsLiveDataWhenCompactedAtStop() throws Exception {
        Path file = dir.resolve("registry.mv.db");
        try (HikariDataSource pool = PooledDataSources.durable("stop-test", "jdbc:h2:file:" + dir.resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE", "hub", "", 4)) {
            SubmissionRegistry registry = new SubmissionRegistry(pool, Clock.systemUTC());
            for (int i = 0; i < 500; i++) { // a chunk each
                registry.reserve(new Receipt("lancs-police", UUID.randomUUID().toString(),
                        UUID.randomUUID().toString(), Instant.now(), "aa"));
            }
            long running = java.nio.file.Files.size(file);

            new RegistryProjection(pool, Clock.systemUTC()).compactAtStop(10_000);

            assertThat(java.nio.file.Files.size(file)).as("after compaction, from %d bytes", running)
                    .isLessThan(running / 4);
        }
    }

    @Test
    void anEmbeddedH2PoolKeepsItsConnectionsAndAServerPoolRetiresThem() {
        try (HikariDataSource embedded = PooledDataSources.durable("embedded-test",
                "jdbc:h2:file:" + dir.resolve("db"), "hub", "", 2);
             HikariDataSource memory = PooledDataSources.create("memory-test", "jdbc:h2:mem:x", "sa", "", 2);
             HikariDataSource server = PooledDataSources.create("server-test", "jdbc:h2:tcp://localhost/x", "sa", "",
                     2)) {
            assertThat(embedded.getMaxLifetime()).as("never retired: H2 would close the database with the last")
                    .isZero();
            assertThat(memory.getMaxLifetime()).isZero();
            assertThat(server.getMaxLifetime()).isPositive();
        }
    }

    @Test
    void closingThePoolEndsItsThreads() throws Exception {
        HikariDataSource pool = PooledDataSources.durable("closing-test", "jdbc:h2:file:" + dir.resolve("db")
                + ";DB_CLOSE_ON_EXIT=FALSE", "hub", "", 4);
        new SubmissionRegistry(pool, Clock.systemUTC()).pendingCount("nobody");
        assertThat(threads("closing-test")).isNotEmpty();

        pool.close();

        Await.until("the pool's threads to end", Duration.ofSeconds(20), () -> threads("closing-test").isEmpty());
    }

    static List<String> threads(String poolName) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith(poolName + ":")).toList(); // HikariCP's: <pool>:housekeeper and so on
    }

    static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = '" + name + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
