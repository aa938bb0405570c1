package org.safeguarding.hub.housekeeping;

/**
 * The one lock that says which node does the cluster-once housekeeping. Called by one thread at a time (the
 * leadership's own), never while a database transaction of the hub waits on it.
 */
public interface LeaderLock extends AutoCloseable {
    /** Takes the lock if nobody holds it; true when this node holds it after the call. Never throws. */
    boolean tryAcquire();

    /**
     * Whether this node still holds the lock it took; false once the lock or its connection is gone (or cannot be
     * asked). Never throws, and leaves what it holds alone: {@link #release()} does that.
     */
    boolean stillHeld();

    /** Gives the lock up and drops what held it (best effort: a lost connection has given it up already). */
    void release();

    /**
     * How long a node that took the lock waits before it leads: long enough for a leader that lost the lock (its
     * session gone, it does not know yet) to notice and stop, so that two nodes never lead at once.
     */
    default java.time.Duration takeoverDelay(LeadershipTimings timings) {
        return timings.detection();
    }

    /** Where the lock lives, for logs and health: no credentials. */
    String describe();

    @Override
    default void close() {
        release();
    }
}
