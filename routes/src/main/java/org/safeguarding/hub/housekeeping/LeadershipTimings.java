package org.safeguarding.hub.housekeeping;

import java.time.Duration;
import java.util.Objects;

/**
 * How quickly leadership is checked, lost and taken over.
 *
 * @param checkInterval how often the leader checks that it still holds the lock, and a standby tries to take it
 * @param socketTimeout how long one statement on the lock's connection may wait for the server before the
 *                      connection (and with it leadership) counts as lost; also the connect timeout
 */
public record LeadershipTimings(Duration checkInterval, Duration socketTimeout) {
    /** A check every 2 s, each given at most 3 s: a leader that cannot reach PostgreSQL stops within 5 s. */
    public static final LeadershipTimings DEFAULT = new LeadershipTimings(Duration.ofSeconds(2), Duration.ofSeconds(3));

    public LeadershipTimings {
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(socketTimeout, "socketTimeout");
        if (checkInterval.isNegative() || checkInterval.isZero() || checkInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("the leadership check interval must be positive and at most a minute, not "
                    + checkInterval);
        }
        if (socketTimeout.compareTo(Duration.ofSeconds(1)) < 0 || socketTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("the leadership socket timeout must be 1 s to a minute (whole seconds), not "
                    + socketTimeout);
        }
    }

    /** The longest a leader that lost its connection may go on believing it leads: one check and one timeout. */
    public Duration detection() {
        return checkInterval.plus(socketTimeout);
    }

    /**
     * How long the server waits on a silent connection before it probes it (PostgreSQL {@code tcp_keepalives_idle}):
     * twice {@link #detection()}, so that a leader cut off from the server has stopped its routes before the server
     * drops its session and releases the lock to another node.
     */
    public int serverKeepaliveIdleSeconds() {
        return (int) Math.max(2, detection().multipliedBy(2).toSeconds());
    }
}
