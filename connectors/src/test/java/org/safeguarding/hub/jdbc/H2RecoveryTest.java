package org.safeguarding.hub.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link H2Recovery}: which URLs it takes, what a clean file is, and a file copied while open (as a kill leaves it). */
class H2RecoveryTest {
    @TempDir
    Path dir;

    @Test
    void findsTheStoreFileOfAnEmbeddedUrlOnly() {
        assertThat(H2Recovery.storeFile("jdbc:h2:file:/data/registry/registry;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"))
                .contains(Path.of("/data/registry/registry.mv.db"));
        assertThat(H2Recovery.storeFile("jdbc:h2:/data/audit/audit")).contains(Path.of("/data/audit/audit.mv.db"));
        assertThat(H2Recovery.storeFile("jdbc:h2:~/hub/audit"))
                .contains(Path.of(System.getProperty("user.home"), "hub", "audit.mv.db"));
        assertThat(H2Recovery.storeFile("jdbc:h2:file:relative/audit"))
                .contains(Path.of("relative/audit.mv.db").toAbsolutePath());
        for (String other : new String[] {"jdbc:h2:mem:audit", "jdbc:h2:tcp://db:9092/audit",
                "jdbc:h2:ssl://db/audit", "jdbc:h2:nio:/data/audit", "jdbc:h2:file:/data/a;CIPHER=AES",
                "jdbc:postgresql://db/hubaudit", "jdbc:h2:", null}) {
            assertThat(H2Recovery.storeFile(other)).as(other).isEmpty();
        }
    }

    @Test
    void leavesAFileClosedCleanlyAsItIsAndNoFileAlone() throws Exception {
        String url = url("clean");
        assertThat(H2Recovery.recoverIfUnclean(url)).isEqualTo(H2Recovery.Outcome.NOT_APPLICABLE);
        try (Connection c = DriverManager.getConnection(url, "hub", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1)");
        }
        Path file = dir.resolve("clean.mv.db");
        long modified = Files.getLastModifiedTime(file).toMillis();
        assertThat(H2Recovery.recoverIfUnclean(url)).isEqualTo(H2Recovery.Outcome.CLEAN);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
    }

    @Test
    void aFileOpenElsewhereIsLeftToH2() throws Exception {
        String url = url("open");
        try (Connection c = DriverManager.getConnection(url, "hub", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1)");
            s.execute("CHECKPOINT SYNC");
            assertThat(H2Recovery.recoverIfUnclean(url)).isEqualTo(H2Recovery.Outcome.IN_USE);
            assertThat(count(s)).isEqualTo(1);
        }
    }

    @Test
    void aFileLeftOpenIsOpenedAtItsNewestVersionAndThenIsClean() throws Exception {
        String url = url("live");
        Path crashed = dir.resolve("crashed.mv.db");
        try (Connection c = DriverManager.getConnection(url + ";WRITE_DELAY=0", "hub", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            for (int i = 0; i < 500; i++) {
                s.execute("INSERT INTO t VALUES (" + i + ")");
            }
            s.execute("CHECKPOINT SYNC");
            Files.copy(dir.resolve("live.mv.db"), crashed); // what a kill -9 leaves: written, never closed
        }
        assertThat(H2Recovery.closedCleanly(crashed)).isFalse();
        assertThat(H2Recovery.recoverIfUnclean(url("crashed"))).isEqualTo(H2Recovery.Outcome.RECOVERED);
        assertThat(H2Recovery.closedCleanly(crashed)).isTrue();
        assertThat(H2Recovery.recoverIfUnclean(url("crashed"))).isEqualTo(H2Recovery.Outcome.CLEAN);
        try (Connection c = DriverManager.getConnection(url("crashed"), "hub", ""); Statement s = c.createStatement()) {
            assertThat(count(s)).isEqualTo(500);
        }
    }

    @Test
    void aFileWhoseHeadersAreBothDamagedIsAnErrorThatSaysWhatToDo() throws Exception {
        String url = url("damaged");
        try (Connection c = DriverManager.getConnection(url, "hub", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        }
        Path file = dir.resolve("damaged.mv.db");
        byte[] bytes = Files.readAllBytes(file);
        java.util.Arrays.fill(bytes, 0, 8192, (byte) 'x');
        Files.write(file, bytes);
        assertThatThrownBy(() -> H2Recovery.recoverIfUnclean(url))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("was not closed cleanly and cannot be recovered")
                .hasMessageEndingWith("restore it from a backup");
    }

    @Test
    void aFileTooShortToHoldAChunkIsLeftAlone() throws Exception {
        Path file = dir.resolve("short.mv.db");
        Files.write(file, new byte[100]);
        assertThat(H2Recovery.recoverIfUnclean(url("short"))).isEqualTo(H2Recovery.Outcome.NOT_APPLICABLE);
    }

    private String url(String name) {
        return "jdbc:h2:file:" + dir.resolve(name);
    }

    private static int count(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
