package org.safeguarding.hub.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;

/**
 * The participant ids a hub node last published on {@link QueueNames#PARTICIPANTS}, as a standalone broker knows the
 * partnership: read from the queue's one last-value message, kept for {@code maxAge} (every session authenticates
 * against it), read afresh by each sweep. Before any hub has published (or on a backup not yet live) nobody is a
 * participant: the broker fails closed.
 */
final class PublishedParticipants implements Predicate<String> {
    private final Clock clock;
    private final Duration maxAge;
    private volatile ActiveMQServer server;
    private volatile Set<String> ids = Set.of();
    private volatile Instant readAt;

    PublishedParticipants(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
    }

    void attach(ActiveMQServer server) {
        this.server = server;
        this.readAt = null;
    }

    @Override
    public boolean test(String participantId) {
        Instant at = readAt;
        if (at == null || clock.instant().isAfter(at.plus(maxAge))) {
            refresh();
        }
        return ids.contains(participantId);
    }

    /** Reads the published list now. */
    Set<String> refresh() {
        Set<String> current = read();
        ids = current;
        readAt = clock.instant();
        return current;
    }

    private Set<String> read() {
        ActiveMQServer s = server;
        Queue q = s == null || !s.isActive() ? null : s.locateQueue(SimpleString.of(QueueNames.PARTICIPANTS));
        if (q == null) {
            return Set.of();
        }
        String last = null;
        try (LinkedListIterator<MessageReference> it = q.browserIterator()) {
            while (it.hasNext()) {
                MessageReference ref = it.next();
                Object v = ref.getMessage() == null ? null : ref.getMessage().getObjectProperty(QueueNames.PARTICIPANT_IDS);
                if (v != null) {
                    last = v.toString();
                }
            }
        }
        if (last == null || last.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(last.split(",")).map(String::strip).filter(id -> !id.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
