package org.safeguarding.hub.housekeeping;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's cluster service ({@link org.apache.camel.cluster.CamelClusterService}) over one {@link LeaderLock}: its
 * view of the {@value #NAMESPACE} namespace leads while the lock is held. One daemon thread checks every
 * {@link LeadershipTimings#checkInterval()}: the leader that the lock still holds, a standby that it can take it. A
 * lost lock is reported at once to the view's listeners (Camel's {@code ClusteredRoutePolicy} stops the cluster-once
 * routes on that thread) before the lock's session is closed and before anything tries to take it again; a node that
 * takes the lock leads only {@link LeaderLock#takeoverDelay} later, once a leader that lost it without knowing has
 * found out and stopped. So two nodes never lead at once.
 */
public final class LeaderLockClusterService extends AbstractCamelClusterService<LeaderLockClusterService.View> {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLockClusterService.class);
    /** The namespace of the hub's cluster-once housekeeping. */
    public static final String NAMESPACE = "housekeeping";

    private final LeaderLock lock;
    private final LeadershipTimings timings;
    private final String node;
    private volatile View view;
    /** Set once every route the leadership starts is in place ({@link #contend()}); before that nobody leads. */
    private volatile boolean contending;

    public LeaderLockClusterService(LeaderLock lock, LeadershipTimings timings, String node) {
        super("hub-leader-lock");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.timings = Objects.requireNonNull(timings, "timings");
        this.node = Objects.requireNonNull(node, "node");
    }

    /**
     * Begins contending for the lock. Called once the cluster-once routes are all added: a lock that leads at once (the
     * sole node's) would otherwise fire its leadership while routes were still being added, and a route added after
     * the event stayed stopped on the leader.
     */
    public void contend() {
        contending = true;
        View v = view;
        if (v != null && v.isRunAllowed()) {
            v.startChecking();
        }
    }

    /** Whether this node leads the cluster-once housekeeping now. */
    public boolean isLeader() {
        View v = view;
        return v != null && v.leader;
    }

    /** How many times this node has taken leadership since start. */
    public long leaderships() {
        View v = view;
        return v == null ? 0 : v.taken;
    }

    public String node() {
        return node;
    }

    /** How many looks at the lock this node has taken since start. */
    public long checks() {
        View v = view;
        return v == null ? 0 : v.checks;
    }

    public LeadershipTimings timings() {
        return timings;
    }

    @Override
    protected View createView(String namespace) {
        if (!NAMESPACE.equals(namespace)) {
            throw new IllegalArgumentException("this cluster service leads only " + NAMESPACE + ", not " + namespace);
        }
        View v = new View(namespace);
        view = v;
        return v;
    }

    /** This node's view: itself, leading or not; who else contends is not known here (the lock does not say). */
    public final class View extends AbstractCamelClusterView {
        private final CamelClusterMember local = new CamelClusterMember() {
            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return node;
            }
        };
        private final java.time.Duration takeoverDelay = lock.takeoverDelay(timings);
        private volatile boolean leader;
        private volatile long taken;
        private volatile long checks;
        private boolean held; // owned by the check thread
        private long heldSince;
        private ScheduledExecutorService timer;

        View(String namespace) {
            super(LeaderLockClusterService.this, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        @Override
        protected void doStart() {
            if (contending) {
                startChecking();
            }
        }

        synchronized void startChecking() {
            if (timer != null) {
                return;
            }
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "housekeeping-leadership");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::check, 0, timings.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("node {} contends for housekeeping on {}, checked every {}", node, lock.describe(),
                    timings.checkInterval());
        }

        @Override
        protected void doStop() {
            ScheduledExecutorService t;
            synchronized (this) {
                t = timer;
                timer = null;
            }
            if (t != null) {
                t.shutdown();
                try {
                    if (!t.awaitTermination(60, TimeUnit.SECONDS)) {
                        LOG.warn("the housekeeping leadership check did not stop within 60 s");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (leader) {
                leader = false;
                fireLeadershipChangedEvent((CamelClusterMember) null);
                LOG.info("node {} gives up housekeeping leadership: stopping", node);
            }
            held = false;
            lock.release();
        }

        /**
         * One look: keep, lose or take leadership. Runs on the view's own thread only. A lock just taken leads only
         * after {@link LeaderLock#takeoverDelay}: a leader whose session the server dropped has stopped by then.
         */
        private void check() {
            checks++;
            try {
                if (held) {
                    if (!lock.stillHeld()) {
                        held = false;
                        if (leader) {
                            leader = false;
                            LOG.warn("node {} lost housekeeping leadership ({}): stopping the cluster-once routes",
                                    node, lock.describe());
                            fireLeadershipChangedEvent((CamelClusterMember) null);
                        }
                        lock.release(); // only now: the routes have stopped
                    } else if (!leader && System.nanoTime() - heldSince >= takeoverDelay.toNanos()) {
                        lead();
                    }
                } else if (lock.tryAcquire()) {
                    held = true;
                    heldSince = System.nanoTime();
                    if (takeoverDelay.isZero()) {
                        lead();
                    } else {
                        LOG.info("node {} took the housekeeping lock ({}); it leads in {}, once a leader that lost it"
                                + " has stopped", node, lock.describe(), takeoverDelay);
                    }
                }
            } catch (RuntimeException e) {
                // a listener failed: leadership stays as the lock says, the next look tries again
                LOG.warn("housekeeping leadership check on node {} failed: {}", node, e.toString());
            }
        }

        private void lead() {
            leader = true;
            taken++;
            LOG.info("node {} leads housekeeping ({}): starting the cluster-once routes", node, lock.describe());
            fireLeadershipChangedEvent(local);
        }
    }
}
