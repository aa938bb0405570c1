package org.safeguarding.hub.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One batch of pre-sealed submissions and what happened to each: when it was (scheduled to be) first sent, when it
 * was accepted (202), and when its last expected package arrived on a recipient's queue. Times are
 * {@link System#nanoTime()} of this JVM, 0 for "not yet". Written by the intake driver and the queue consumers at once.
 */
final class Ledger {
    final String label;
    final List<String> ids;
    final List<byte[]> bodies;
    /** Packages each submission must produce (one per expected recipient). */
    final int expectedPackages;
    final AtomicLongArray start;
    final AtomicLongArray accepted;
    final AtomicLongArray lastPackage;
    final AtomicIntegerArray arrivals;
    /** The final HTTP status of each submission, 0 while it has none (or the driver gave up). */
    final AtomicIntegerArray finalStatus;
    /** Packages beyond the expected number for a submission (a replay or a duplicate delivery). */
    final LongAdder extraPackages = new LongAdder();
    private final Map<String, Integer> index;

    Ledger(String label, List<String> ids, List<byte[]> bodies, int expectedPackages) {
        this.label = label;
        this.ids = List.copyOf(ids);
        this.bodies = List.copyOf(bodies);
        this.expectedPackages = expectedPackages;
        int n = ids.size();
        start = new AtomicLongArray(n);
        accepted = new AtomicLongArray(n);
        lastPackage = new AtomicLongArray(n);
        arrivals = new AtomicIntegerArray(n);
        finalStatus = new AtomicIntegerArray(n);
        index = new ConcurrentHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(ids.get(i), i);
        }
    }

    int size() {
        return ids.size();
    }

    /** A package of {@code submissionId} arrived at {@code nanos}; false if the submission is not in this batch. */
    boolean arrived(String submissionId, long nanos) {
        Integer i = index.get(submissionId);
        if (i == null) {
            return false;
        }
        int n = arrivals.incrementAndGet(i);
        if (n == expectedPackages) {
            lastPackage.set(i, nanos);
        } else if (n > expectedPackages) {
            extraPackages.increment();
        }
        return true;
    }

    int acceptedCount() {
        int c = 0;
        for (int i = 0; i < size(); i++) {
            if (accepted.get(i) != 0) {
                c++;
            }
        }
        return c;
    }

    /** Accepted submissions all of whose packages arrived. */
    int deliveredCount() {
        int c = 0;
        for (int i = 0; i < size(); i++) {
            if (accepted.get(i) != 0 && lastPackage.get(i) != 0) {
                c++;
            }
        }
        return c;
    }

    /** Packages arrived in all, for progress. */
    long packagesArrived() {
        long c = 0;
        for (int i = 0; i < size(); i++) {
            c += arrivals.get(i);
        }
        return c;
    }
}
