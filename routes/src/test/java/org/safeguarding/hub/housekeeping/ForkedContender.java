package org.safeguarding.hub.housekeeping;

import java.time.Duration;

/**
 * A contender for the housekeeping lock in a JVM of its own, for {@link ForkedLeaderKillTest}: the database from the
 * environment (HUB_TEST_POSTGRES_URL, _USER, _PASSWORD), the key and node name as arguments. Prints {@code LEADER}
 * once it leads and then waits to be killed.
 */
public final class ForkedContender {
    private ForkedContender() {
    }

    public static void main(String[] args) throws Exception {
        long key = Long.parseLong(args[0]);
        String node = args[1];
        LeadershipTimings timings = new LeadershipTimings(Duration.ofMillis(Long.parseLong(args[2])),
                Duration.ofSeconds(Long.parseLong(args[3])));
        PostgresAdvisoryLock lock = new PostgresAdvisoryLock(System.getenv("HUB_TEST_POSTGRES_URL"),
                System.getenv("HUB_TEST_POSTGRES_USER"), System.getenv("HUB_TEST_POSTGRES_PASSWORD"), key, timings, node);
        LeaderLockClusterService service = new LeaderLockClusterService(lock, timings, node);
        service.contend();
        service.start();
        java.util.concurrent.CountDownLatch leads = new java.util.concurrent.CountDownLatch(1);
        service.getView(LeaderLockClusterService.NAMESPACE).addEventListener(
                (org.apache.camel.cluster.CamelClusterEventListener.Leadership) (view, leader) -> {
                    if (leader != null && leader.isLocal()) {
                        leads.countDown();
                    }
                });
        leads.await();
        System.out.println("LEADER " + node);
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
