package org.safeguarding.hub.audit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** A fresh, empty database for one test: an H2 in-memory database, or a new schema on a real PostgreSQL. */
public interface TestDatabase extends AutoCloseable {
    String url();

    String user();

    String password();

    @Override
    void close();

    default Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** Runs statements directly, as someone with write access to the database would. */
    default void sql(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static TestDatabase h2() {
        String url = "jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        return new TestDatabase() {
            public String url() {
                return url;
            }

            public String user() {
                return "sa";
            }

            public String password() {
                return "";
            }

            public void close() {
                sql("SHUTDOWN");
            }
        };
    }

    String POSTGRES_URL = "HUB_TEST_POSTGRES_URL";
    String POSTGRES_USER = "HUB_TEST_POSTGRES_USER";
    String POSTGRES_PASSWORD = "HUB_TEST_POSTGRES_PASSWORD";

    /** The environment variable, or the older spelling with _URL_ in it (HUB_TEST_POSTGRES_URL_USER). */
    private static String env(String name) {
        String v = System.getenv(name);
        return v != null ? v : System.getenv(name.replace("HUB_TEST_POSTGRES_", "HUB_TEST_POSTGRES_URL_"));
    }

    /**
     * A new schema in the PostgreSQL named by HUB_TEST_POSTGRES_URL, HUB_TEST_POSTGRES_USER and
     * HUB_TEST_POSTGRES_PASSWORD (as {@code .ci/run} exports them), dropped on close.
     */
    static TestDatabase postgres() {
        String base = System.getenv(POSTGRES_URL);
        String user = env(POSTGRES_USER);
        String password = env(POSTGRES_PASSWORD);
        String schema = "audit_t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(base, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase() {
            public String url() {
                return url;
            }

            public String user() {
                return user;
            }

            public String password() {
                return password;
            }

            public void close() {
                try (Connection c = DriverManager.getConnection(base, user, password);
                     Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
