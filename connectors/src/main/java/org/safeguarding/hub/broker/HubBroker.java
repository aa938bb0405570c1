package org.safeguarding.hub.broker;

import jakarta.jms.ConnectionFactory;
import java.util.Collection;
import java.util.Set;

/**
 * The broker as the hub uses it, embedded ({@link EmbeddedBroker}) or an external Artemis live/backup pair
 * ({@link ExternalBroker}): connections for the flow, the queues' depth and age for admission and metrics, the
 * recipients' inboxes, and the participants the brokers let in.
 */
public interface HubBroker extends AutoCloseable {
    /** Starts the broker, or connects to it; the hub's queues and every known recipient's inbox exist afterwards. */
    void start();

    /** A connection factory for the hub's own connections (transacted sends and consumes, browsing). */
    ConnectionFactory connectionFactory();

    /** Messages waiting on a queue, or -1 if the queue does not exist. */
    long messageCount(String queue);

    /** How long the oldest message on a queue has waited at {@code nowMillis}, in ms (0: empty or unknown). */
    long oldestMessageAgeMillis(String queue, long nowMillis);

    /** Gives a recipient its durable inbox; does nothing more when it exists. */
    void ensureInbox(String recipientId);

    /** Recipients that have an inbox. */
    Set<String> recipients();

    boolean isActive();

    /** The AMQP over TLS port of recipients' consumers on this hub, or -1 (off, or an external broker). */
    int amqpPort();

    /** The CORE over TLS port of recipients' consumers on this hub, or -1 (off, or an external broker). */
    int corePort();

    /**
     * Closes participants' connections whose certificate no longer passes or whose participant has left; how many. An
     * external pair sweeps its own connections ({@link ParticipantSweepPlugin}): 0.
     */
    int closeUntrustedConnections();

    /**
     * Tells the brokers which participants the partnership has now, at start and after every reload. The embedded
     * broker asks the hub's partnership itself: nothing to do.
     */
    default void publishParticipants(Collection<String> participantIds) {
    }

    @Override
    void close();
}
