package org.safeguarding.hub.housekeeping;

/**
 * The lock of a hub whose registry is its own embedded H2 file: no other node shares that file, so this node always
 * leads.
 */
public final class SoleNodeLock implements LeaderLock {
    @Override
    public boolean tryAcquire() {
        return true;
    }

    @Override
    public boolean stillHeld() {
        return true;
    }

    @Override
    public void release() {
        // nothing is held anywhere else
    }

    /** Nobody else can have led: at once. */
    @Override
    public java.time.Duration takeoverDelay(LeadershipTimings timings) {
        return java.time.Duration.ZERO;
    }

    @Override
    public String describe() {
        return "the embedded registry, this node's alone";
    }
}
