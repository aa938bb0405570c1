package org.safeguarding.hub.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.safeguarding.hub.crypto.testing.Await;

/**
 * Leadership on a real PostgreSQL (HUB_TEST_POSTGRES_URL, _USER, _PASSWORD, as {@code .ci/run} exports them): two
 * contenders in one JVM, each on its own session of a key of this test's own. Exactly one leads; when the leader's
 * session is terminated by the server or its socket cut, the other leads within the timings; no look ever sees two.
 */
@EnabledIfEnvironmentVariable(named = PostgresLeadershipTest.URL, matches = ".+")
class PostgresLeadershipTest {
    static final String URL = "HUB_TEST_POSTGRES_URL";
    private static final LeadershipTimings FAST = new LeadershipTimings(Duration.ofMillis(200), Duration.ofSeconds(1));
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Notice (one check, one timeout), wait out the takeover delay, and a check either side of it. */
    private static final Duration MOVES_WITHIN = FAST.detection().multipliedBy(2).plus(FAST.checkInterval().multipliedBy(3));

    private final long key = ThreadLocalRandom.current().nextLong();
    private final List<LeaderLockClusterService> services = new ArrayList<>();
    private final List<PostgresAdvisoryLock> locks = new ArrayList<>();
    private final AtomicInteger twoLeaders = new AtomicInteger();
    private Connection admin;

    private static String env(String name) {
        String v = System.getenv(name);
        return v != null ? v : System.getenv(name.replace("HUB_TEST_POSTGRES_", "HUB_TEST_POSTGRES_URL_"));
    }

    @BeforeEach
    void connect() throws SQLException {
        admin = DriverManager.getConnection(System.getenv(URL), env("HUB_TEST_POSTGRES_USER"),
                env("HUB_TEST_POSTGRES_PASSWORD"));
    }

    @AfterEach
    void stop() throws Exception {
        for (LeaderLockClusterService s : services) {
            s.stop();
        }
        assertThat(holders()).as("every session of the test's key closed").isZero();
        admin.close();
    }

    private LeaderLockClusterService contender(String node) throws Exception {
        PostgresAdvisoryLock lock = new PostgresAdvisoryLock(System.getenv(URL), env("HUB_TEST_POSTGRES_USER"),
                env("HUB_TEST_POSTGRES_PASSWORD"), key, FAST, node);
        LeaderLockClusterService s = new LeaderLockClusterService(lock, FAST, node);
        s.contend();
        s.start();
        s.getView(LeaderLockClusterService.NAMESPACE);
        services.add(s);
        locks.add(lock);
        return s;
    }

    /** One look at both; counts a look that sees two leaders. Returns how many lead. */
    private int look() {
        int leading = 0;
        for (LeaderLockClusterService s : services) {
            if (s.isLeader()) {
                leading++;
            }
        }
        if (leading > 1) {
            twoLeaders.incrementAndGet();
        }
        return leading;
    }

    private long holders() throws SQLException {
        try (PreparedStatement p = admin.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND objsubid = 1 AND classid::bigint = ? AND objid::bigint = ?")) {
            p.setLong(1, key >>> 32);
            p.setLong(2, key & 0xFFFF_FFFFL);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private LeaderLockClusterService leader() {
        return services.stream().filter(LeaderLockClusterService::isLeader).findFirst().orElseThrow();
    }

    private LeaderLockClusterService other(LeaderLockClusterService s) {
        return services.stream().filter(x -> x != s).findFirst().orElseThrow();
    }

    private void awaitOneLeaderAndChecks(long checksOfEach) {
        Await.until("one leader and " + checksOfEach + " looks by each contender", WAIT, () -> look() == 1
                && services.stream().allMatch(s -> s.checks() >= checksOfEach));
    }

    @Test
    void exactlyOneOfTwoLeadsOnItsOwnSessionWithKeepalives() throws Exception {
        LeaderLockClusterService a = contender("a");
        LeaderLockClusterService b = contender("b");

        awaitOneLeaderAndChecks(10);
        long first = a.checks();
        Await.until("ten more looks each, always one leader", WAIT, () -> look() == 1 && a.checks() >= first + 10);
        assertThat(twoLeaders.get()).as("looks that saw two leaders").isZero();
        assertThat(holders()).as("one session holds the key").isEqualTo(1);
        LeaderLockClusterService leader = leader();
        assertThat(other(leader).leaderships()).isZero();
        try (PreparedStatement p = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE application_name IN ('hub housekeeping a', 'hub housekeeping b')")) {
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("a session of its own for each contender").isEqualTo(2);
            }
        }
        Connection session = locks.get(services.indexOf(leader)).connectionForTests();
        try (java.sql.Statement s = session.createStatement();
             ResultSet rs = s.executeQuery("SHOW tcp_keepalives_idle")) {
            rs.next();
            // 0 on a Unix socket (no TCP); over TCP the value the timings ask for
            assertThat(rs.getString(1)).isIn("0", FAST.serverKeepaliveIdleSeconds() + "s",
                    Integer.toString(FAST.serverKeepaliveIdleSeconds()));
        }
    }

    @Test
    void theServerTerminatingTheLeadersSessionMovesLeadershipToTheOther() throws Exception {
        contender("a");
        contender("b");
        awaitOneLeaderAndChecks(3);
        LeaderLockClusterService old = leader();
        LeaderLockClusterService next = other(old);

        long cut = System.nanoTime();
        try (PreparedStatement p = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = ?")) {
            p.setString(1, "hub housekeeping " + old.node());
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
        }
        Await.until("the other contender leads", WAIT, () -> {
            look();
            return next.isLeader();
        });
        Duration took = Duration.ofNanos(System.nanoTime() - cut);

        assertThat(old.isLeader()).isFalse();
        assertThat(took).as("leadership moved within the timings").isLessThan(MOVES_WITHIN);
        assertThat(twoLeaders.get()).as("looks that saw two leaders").isZero();
        awaitOneLeaderAndChecks(old.checks() + 5);
        assertThat(next.isLeader()).as("the old leader stands by, it does not take the lock back").isTrue();
    }

    /** As a kill -9 of the leader does to its socket: the server sees it close and frees the lock. */
    @Test
    void cuttingTheLeadersSocketMovesLeadershipAndTheOldLeaderStandsBy() throws Exception {
        contender("a");
        contender("b");
        awaitOneLeaderAndChecks(3);
        LeaderLockClusterService old = leader();
        LeaderLockClusterService next = other(old);

        long cut = System.nanoTime();
        locks.get(services.indexOf(old)).connectionForTests().abort(Runnable::run);
        Await.until("the other contender leads", WAIT, () -> {
            look();
            return next.isLeader();
        });
        Duration took = Duration.ofNanos(System.nanoTime() - cut);

        assertThat(took).isLessThan(MOVES_WITHIN);
        assertThat(old.isLeader()).isFalse();
        assertThat(twoLeaders.get()).as("looks that saw two leaders").isZero();
        assertThat(holders()).isEqualTo(1);
    }

    @Test
    void aLeaderThatStopsHandsOverAndALateContenderWaits() throws Exception {
        LeaderLockClusterService a = contender("a");
        Await.until("a leads alone", WAIT, a::isLeader);
        LeaderLockClusterService b = contender("b");
        awaitOneLeaderAndChecks(5);
        assertThat(a.isLeader()).as("the first stays leader").isTrue();

        a.stop();
        services.remove(a);
        Await.until("b leads", WAIT, () -> {
            look();
            return b.isLeader();
        });
        assertThat(twoLeaders.get()).isZero();
    }
}
