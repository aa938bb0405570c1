package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.settings.HubSettings;

/**
 * Fetch and acknowledgement on a deep inbox: 4,000 pending packages on the real broker, and the last of them is
 * found, streamed whole, fetched again and again without counting as delivery attempts (the broker dead-letters after
 * two here), and acknowledged in one broker transaction with what the step sends on the session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeepInboxTest {
    static final int PENDING = 4_000;
    static final String RECIPIENT = "police-fib";

    @TempDir
    static Path dir;
    EmbeddedBroker broker;
    BrokerInbox inbox;
    final List<String> ids = new ArrayList<>();
    final List<byte[]> bodies = new ArrayList<>();

    @BeforeAll
    void fill() throws Exception {
        broker = new EmbeddedBroker(new HubSettings.Broker(dir, 0, 0, 2, Duration.ZERO, Duration.ZERO),
                Set.of(RECIPIENT, "mash-bpl"), id -> true, (who, what) -> { });
        broker.start();
        inbox = new BrokerInbox(broker.connectionFactory(), Duration.ofSeconds(10));
        Random random = new Random(4000);
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = s.createProducer(s.createQueue(QueueNames.inbox(RECIPIENT)));
            for (int i = 0; i < PENDING; i++) {
                String id = UUID.randomUUID().toString();
                // the last one is large (over Artemis's 100 KiB threshold), the others small
                byte[] body = new byte[i == PENDING - 1 ? 300 * 1024 + 5 : 1024 + random.nextInt(2048)];
                random.nextBytes(body);
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(body);
                m.setStringProperty(QueueNames.PACKAGE_ID, id);
                m.setStringProperty(QueueNames.SUBMISSION_ID, "s-" + i);
                m.setStringProperty(QueueNames.ROUTED_AT, "2026-11-27T10:00:00Z");
                p.send(m);
                ids.add(id);
                bodies.add(body);
                if (i % 500 == 499) {
                    s.commit();
                }
            }
            s.commit();
        }
        // the broker's count follows its commits a moment late
        org.safeguarding.hub.crypto.testing.Await.until("all " + PENDING + " packages counted", Duration.ofSeconds(30),
                () -> broker.messageCount(QueueNames.inbox(RECIPIENT)) == PENDING);
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    byte[] fetch(String packageId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(inbox.fetch(RECIPIENT, packageId, out)).as("fetch of %s", packageId).isTrue();
        return out.toByteArray();
    }

    @Test
    void theLastOfThousandsIsFetchedWholeAndFetchingNeverCountsAsADeliveryAttempt() throws Exception {
        String last = ids.get(PENDING - 1);
        for (int i = 0; i < 5; i++) {
            assertThat(fetch(last)).isEqualTo(bodies.get(PENDING - 1));
        }
        assertThat(fetch(ids.get(PENDING - 2))).isEqualTo(bodies.get(PENDING - 2));

        assertThat(broker.messageCount(QueueNames.DEAD_LETTER)).isZero();
        assertThat(broker.messageCount(QueueNames.inbox(RECIPIENT))).isGreaterThanOrEqualTo(PENDING - 2);
    }

    @Test
    void aPackageNotInTheInboxIsNotFetchedAndNothingIsWritten() throws Exception {
        BrokerInbox quick = new BrokerInbox(broker.connectionFactory(), Duration.ofMillis(300));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(quick.fetch(RECIPIENT, UUID.randomUUID().toString(), out)).isFalse();
        assertThat(quick.fetch("mash-bpl", ids.get(PENDING - 1), out)).isFalse();
        assertThat(out.size()).isZero();
    }

    @Test
    void theLastOfThousandsIsAcknowledgedTogetherWithWhatTheStepSendsOnTheSession() throws Exception {
        String last = ids.get(PENDING - 1);
        long deadBefore = broker.messageCount(QueueNames.DEAD_LETTER);
        long quarantineBefore = broker.messageCount(QueueNames.QUARANTINE);

        // a step that fails: the consume and what it sent roll back together
        assertThatThrownBy(() -> inbox.acknowledge(RECIPIENT, last, (entry, session) -> {
            sendNote(session, entry);
            throw new JMSException("the audit store refused");
        })).hasMessageContaining("not reachable");
        assertThat(broker.messageCount(QueueNames.QUARANTINE)).isEqualTo(quarantineBefore);
        assertThat(fetch(last)).isEqualTo(bodies.get(PENDING - 1));

        // a step that succeeds: both commit
        List<InboxEntry> seen = new ArrayList<>();
        assertThat(inbox.acknowledge(RECIPIENT, last, (entry, session) -> {
            seen.add(entry);
            sendNote(session, entry);
        })).hasValueSatisfying(e -> {
            assertThat(e.packageId()).isEqualTo(last);
            assertThat(e.submissionId()).isEqualTo("s-" + (PENDING - 1));
            assertThat(e.size()).isEqualTo(bodies.get(PENDING - 1).length);
        });
        assertThat(seen).hasSize(1);
        assertThat(broker.messageCount(QueueNames.QUARANTINE)).isEqualTo(quarantineBefore + 1);
        assertThat(inbox.acknowledge(RECIPIENT, last)).as("gone once acknowledged").isEmpty();
        assertThat(broker.messageCount(QueueNames.DEAD_LETTER)).isEqualTo(deadBefore);
    }

    /** The stand-in for an audit message: sent on the acknowledgement's own transacted session. */
    static void sendNote(Session session, InboxEntry entry) throws JMSException {
        BytesMessage note = session.createBytesMessage();
        note.writeBytes(("acknowledged " + entry.packageId()).getBytes(StandardCharsets.UTF_8));
        session.createProducer(session.createQueue(QueueNames.QUARANTINE)).send(note);
    }
}
