package org.safeguarding.hub.registry;

import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.safeguarding.hub.audit.TestDatabase;

/**
 * A fresh, empty registry database for one test, pooled as the hub pools it: H2 in memory, or a new schema of the
 * PostgreSQL named by HUB_TEST_POSTGRES_URL, _USER and _PASSWORD ({@link TestDatabase#postgres()}), opened through
 * {@link RegistryDatabase} and dropped on close.
 */
public final class RegistryTestDatabase implements AutoCloseable {
    private final DataSource dataSource;
    private final AutoCloseable pool;
    private final TestDatabase postgres; // null on H2

    private RegistryTestDatabase(DataSource dataSource, AutoCloseable pool, TestDatabase postgres) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.postgres = postgres;
    }

    public static RegistryTestDatabase h2() {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        return new RegistryTestDatabase(pool, pool::dispose, null);
    }

    public static RegistryTestDatabase postgres() {
        TestDatabase db = TestDatabase.postgres();
        RegistryDatabase registry = RegistryDatabase.open(Path.of("unused"), db.url(), db.user(), db.password());
        return new RegistryTestDatabase(registry.dataSource(), registry, db);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isPostgres() {
        return postgres != null;
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
