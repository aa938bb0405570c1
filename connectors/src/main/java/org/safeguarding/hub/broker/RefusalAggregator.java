package org.safeguarding.hub.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Passes broker refusals on to be audited without letting anyone grow the trail without bound. The first refusal of a
 * kind in an interval goes on at once; the identical ones after it in that interval are only counted, and passed on
 * as one refusal with that count ({@link BrokerRefusal#count()}) when the interval is over: at the next refusal of
 * that kind, at {@link #flush()} (which the hub runs on a schedule) or at {@link #close()}. So every refused attempt is
 * counted and at most two events per kind and interval reach the trail.
 *
 * <p>Of a kind are: for a participant the broker let in, the same participant and the same operation; for a peer it
 * did not let in, the same remote host, whatever certificate or name it showed (a stranger chooses those). At most
 * {@link #KINDS_PER_SOURCE} kinds per participant or host, and {@link #KINDS} in all, are told apart in one interval;
 * beyond that the rest of that source's refusals (or everyone's) are counted together, so neither memory nor the
 * trail grows with what a client invents.
 */
public final class RefusalAggregator implements BrokerAccessListener, AutoCloseable {
    /** How many kinds of refusal one participant or host may have told apart in one interval. */
    public static final int KINDS_PER_SOURCE = 16;
    /** How many kinds of refusal are told apart in one interval in all. */
    public static final int KINDS = 1024;
    static final String OTHERS = "other refusals";

    private final Clock clock;
    private final Duration interval;
    private final Consumer<BrokerRefusal> sink;
    private final Map<Key, Bucket> buckets = new LinkedHashMap<>();
    private final Map<String, Integer> kindsPerSource = new HashMap<>();

    /** @param sink where each refusal (or count of refusals) goes: the audit trail, in the hub */
    public RefusalAggregator(Clock clock, Duration interval, Consumer<BrokerRefusal> sink) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the aggregation interval must be positive");
        }
        this.clock = Objects.requireNonNull(clock);
        this.interval = interval;
        this.sink = Objects.requireNonNull(sink);
    }

    @Override
    public void refused(String who, String what) {
        refused(new BrokerRefusal(who, true, null, null, what, 1));
    }

    @Override
    public void refused(BrokerRefusal refusal) {
        List<BrokerRefusal> out = new ArrayList<>(2);
        Instant now = clock.instant();
        synchronized (this) {
            Key key = admit(keyOf(refusal));
            Bucket b = buckets.get(key);
            BrokerRefusal r = key.stands(refusal);
            if (b == null || b.over(now)) {
                if (b != null) {
                    b.summary().ifPresent(out::add);
                    remove(key);
                }
                buckets.put(key, new Bucket(now, r));
                if (!key.overflow()) {
                    kindsPerSource.merge(key.source(), 1, Integer::sum);
                }
                out.add(r);
            } else {
                b.add(r);
            }
        }
        out.forEach(sink);
    }

    /** Passes on the counts of every interval that is over. */
    public void flush() {
        List<BrokerRefusal> out = new ArrayList<>();
        Instant now = clock.instant();
        synchronized (this) {
            for (Iterator<Map.Entry<Key, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Bucket> e = it.next();
                if (e.getValue().over(now)) {
                    e.getValue().summary().ifPresent(out::add);
                    it.remove();
                    forget(e.getKey());
                }
            }
        }
        out.forEach(sink);
    }

    /** Passes on every count, whether or not its interval is over: nothing counted is lost at a stop. */
    @Override
    public void close() {
        List<BrokerRefusal> out = new ArrayList<>();
        synchronized (this) {
            buckets.values().forEach(b -> b.summary().ifPresent(out::add));
            buckets.clear();
            kindsPerSource.clear();
        }
        out.forEach(sink);
    }

    /** Kinds being counted now (for tests). */
    synchronized int kinds() {
        return buckets.size();
    }

    private static Key keyOf(BrokerRefusal r) {
        return r.authenticated() ? new Key(true, r.who(), r.what()) : new Key(false, String.valueOf(r.peer()), null);
    }

    /** The key a refusal is counted under: its own while there is room, else its source's or everyone's overflow. */
    private Key admit(Key key) {
        if (buckets.containsKey(key)) {
            return key;
        }
        if (buckets.size() >= KINDS) {
            return Key.EVERYONE_ELSE;
        }
        if (!key.overflow() && kindsPerSource.getOrDefault(key.source(), 0) >= KINDS_PER_SOURCE) {
            return new Key(key.authenticated(), key.source(), OTHERS);
        }
        return key;
    }

    private void remove(Key key) {
        buckets.remove(key);
        forget(key);
    }

    private void forget(Key key) {
        if (!key.overflow()) {
            kindsPerSource.computeIfPresent(key.source(), (s, n) -> n <= 1 ? null : n - 1);
        }
    }

    /**
     * {@code authenticated} participant and operation, or a peer host (what null) it did not let in; {@code OTHERS}
     * counts what did not fit.
     */
    private record Key(boolean authenticated, String source, String what) {
        static final Key EVERYONE_ELSE = new Key(false, null, OTHERS);

        boolean overflow() {
            return OTHERS.equals(what);
        }

        /** What a refusal counted under this key says: itself, unless it is counted with others. */
        BrokerRefusal stands(BrokerRefusal r) {
            if (OTHERS.equals(what)) {
                return source == null ? new BrokerRefusal("unknown", false, null, null, OTHERS, r.count())
                        : new BrokerRefusal(authenticated ? r.who() : "unknown", authenticated,
                                authenticated ? r.peer() : source, null, OTHERS, r.count());
            }
            return r;
        }
    }

    /** The first refusal of a kind in its interval, and what came after it. */
    private final class Bucket {
        final Instant start;
        final BrokerRefusal first;
        long more;
        boolean varied;

        Bucket(Instant start, BrokerRefusal first) {
            this.start = start;
            this.first = first;
        }

        boolean over(Instant now) {
            return !now.isBefore(start.plus(interval));
        }

        void add(BrokerRefusal r) {
            more += r.count();
            varied |= !Objects.equals(r.who(), first.who())
                    || !Objects.equals(r.certificateSha256(), first.certificateSha256())
                    || !Objects.equals(r.what(), first.what());
        }

        Optional<BrokerRefusal> summary() {
            if (more == 0) {
                return Optional.empty();
            }
            if (!varied) {
                return Optional.of(first.times(more));
            }
            // a host that tried several things: counted together, under the host only
            return Optional.of(new BrokerRefusal("unknown", first.authenticated(), first.peer(), null,
                    "refused in several ways", more));
        }
    }
}
