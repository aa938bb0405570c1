package org.safeguarding.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.jdbc.H2Recovery;

/**
 * What the registry acknowledged survives a kill -9, opened as the hub opens it ({@link RegistryDatabase}):
 * a JVM of its own records batches as the audit feed does ({@link RegistryProjection#apply}), while three other
 * threads make the registry's own small commits (reservations, as intake does); it says on its output each batch once
 * {@code apply} returned, and dies ({@code Runtime.halt}: no shutdown hook, no close) at an instant of its own. Every
 * batch it reported is in the database when it is opened again, over {@value #DEATHS} deaths on the same file.
 *
 * <p>Freed space is kept 1 s here instead of H2's 45 s so that it is reused from the first deaths. With H2's default
 * write delay this test lost a reported batch within 11 s (a {@code CHECKPOINT SYNC} returned before a background write
 * was in the file). What {@link H2Recovery} guards against (H2's own recovery opening an older version) takes longer to
 * meet: 31 to 86 deaths of 1.5-4 s in the runs measured (connectors README).
 */
class RegistryKillTest {
    static final String APPLIED = "APPLIED ";
    static final int DEATHS = 24;

    @TempDir
    Path dir;

    @Test
    void everyBatchAppliedBeforeAKillIsThereAfterIt() throws Exception {
        Path db = dir.resolve("registry-dir");
        Random random = new Random(20261202L);
        List<String> reported = new ArrayList<>();
        for (int death = 0; death < DEATHS; death++) {
            reported.addAll(runAndHalt(db, 800 + random.nextInt(1_200)));
            List<String> missing = new ArrayList<>();
            try (RegistryDatabase opened = RegistryDatabase.open(db);
                 Connection c = opened.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT status FROM submission WHERE partner_id = 'feed' AND submission_id = ?")) {
                for (String id : reported) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !rs.getString(1).equals("ACCEPTED")) {
                            missing.add(id);
                        }
                    }
                }
            }
            assertThat(missing).as("batches reported applied before death %d and gone after it (of %d)", death + 1,
                    reported.size()).isEmpty();
        }
    }

    /** Runs {@link #main} in a JVM of its own until it halts; the submission ids it reported applied. */
    static List<String> runAndHalt(Path db, int haltAfterMillis) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), RegistryKillTest.class.getName(), db.toString(),
                String.valueOf(haltAfterMillis)).redirectErrorStream(true).start();
        List<String> applied = new ArrayList<>();
        StringBuilder other = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(APPLIED)) {
                    applied.add(line.substring(APPLIED.length()).trim());
                } else if (other.length() < 4_000) {
                    other.append(line).append('\n');
                }
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        assertThat(p.exitValue()).as("the child JVM halted as planned; it printed:\n%s", other).isEqualTo(137);
        assertThat(applied).as("batches applied before the halt").isNotEmpty();
        return applied;
    }

    /** The child: {@code <database path> <milliseconds until it halts, counted from its first batch>}. */
    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        long haltAfterMillis = Long.parseLong(args[1]);
        javax.sql.DataSource pool = RegistryDatabase.open(db).dataSource(); // as the hub opens it
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET RETENTION_TIME 1000");
        }
        SubmissionRegistry registry = new SubmissionRegistry(pool, Clock.systemUTC());
        RegistryProjection projection = new RegistryProjection(pool, Clock.systemUTC());
        for (int t = 0; t < 3; t++) {
            Thread reservations = new Thread(() -> {
                while (true) {
                    registry.reserve(new Receipt("intake", UUID.randomUUID().toString(),
                            UUID.randomUUID().toString(), Instant.now(), "aa"));
                }
            }, "reservations-" + t);
            reservations.setDaemon(true);
            reservations.start();
        }
        Thread death = new Thread(() -> {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(haltAfterMillis));
            Runtime.getRuntime().halt(137); // as kill -9: nothing more runs
        }, "death");
        death.setDaemon(true);
        death.start();
        while (true) {
            List<RegistryChange> batch = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                batch.add(new RegistryChange.Accepted(new Receipt("feed", id, UUID.randomUUID().toString(),
                        Instant.now(), "bb")));
            }
            projection.apply(batch);
            StringBuilder out = new StringBuilder();
            ids.forEach(id -> out.append(APPLIED).append(id).append('\n'));
            System.out.print(out);
            System.out.flush();
        }
    }
}
