package org.safeguarding.hub.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.safeguarding.hub.crypto.testing.Await;

/**
 * kill -9 of the leader, a JVM of its own: PostgreSQL sees its socket close and frees the lock, and the contender in
 * this JVM leads within the timings; while the forked leader lived, this one never led.
 */
@EnabledIfEnvironmentVariable(named = PostgresLeadershipTest.URL, matches = ".+")
class ForkedLeaderKillTest {
    private static final LeadershipTimings FAST = new LeadershipTimings(Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void killingTheLeadersProcessMovesLeadershipHere() throws Exception {
        long key = ThreadLocalRandom.current().nextLong();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ForkedContender.class.getName(), Long.toString(key),
                "forked", Long.toString(FAST.checkInterval().toMillis()),
                Long.toString(FAST.socketTimeout().toSeconds()));
        pb.redirectErrorStream(true);
        Process forked = pb.start();
        AtomicBoolean forkedLeads = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(forked.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.equals("LEADER forked")) {
                        forkedLeads.set(true);
                    }
                }
            } catch (java.io.IOException e) {
                // the process is gone
            }
        }, "forked-contender-output");
        reader.setDaemon(true);
        reader.start();
        LeaderLockClusterService here = null;
        try {
            Await.until("the forked contender leads", Duration.ofSeconds(30), forkedLeads::get);
            PostgresAdvisoryLock lock = new PostgresAdvisoryLock(System.getenv(PostgresLeadershipTest.URL),
                    System.getenv("HUB_TEST_POSTGRES_USER"), System.getenv("HUB_TEST_POSTGRES_PASSWORD"), key, FAST,
                    "here");
            here = new LeaderLockClusterService(lock, FAST, "here");
            here.contend();
            here.start();
            here.getView(LeaderLockClusterService.NAMESPACE);
            LeaderLockClusterService standby = here;
            AtomicInteger ledWhileForkedLived = new AtomicInteger();
            Await.until("ten looks here while the forked one leads", Duration.ofSeconds(10), () -> {
                if (standby.isLeader()) {
                    ledWhileForkedLived.incrementAndGet();
                }
                return standby.checks() >= 10;
            });
            assertThat(ledWhileForkedLived.get()).as("looks that saw this one lead beside the forked leader").isZero();
            assertThat(forked.isAlive()).isTrue();

            long killed = System.nanoTime();
            forked.destroyForcibly(); // SIGKILL: no shutdown hook, no unlock, the socket closed by the kernel
            assertThat(forked.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Await.until("this contender leads", Duration.ofSeconds(20), standby::isLeader);
            Duration took = Duration.ofNanos(System.nanoTime() - killed);

            assertThat(took).as("leadership moved within the timings")
                    .isLessThan(FAST.detection().multipliedBy(2).plus(FAST.checkInterval().multipliedBy(3)));
        } finally {
            forked.destroyForcibly();
            if (here != null) {
                here.stop();
            }
        }
    }
}
