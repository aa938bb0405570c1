package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.KeyAlgorithm;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * A replicated live/backup pair, each node in a JVM of its own as {@code ./hub broker run} starts it: kill -9 the live
 * and the backup becomes live; the hub's connection factory fails over and its transacted session sends and commits
 * again; a submission sent before the kill with a duplicate id is refused again after it (the duplicate-id cache is
 * replicated); a recipient's CORE consumer ({@code (tcp://a,tcp://b)?ha=true&reconnectAttempts=-1}) and its AMQP
 * consumer ({@code failover:(amqps://a,amqps://b)}) both go on receiving from the backup.
 */
class BrokerPairFailoverTest {
    @TempDir
    Path dir;
    ForkedBrokerNode live;
    ForkedBrokerNode backup;
    ExternalBroker hub;
    final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            try {
                c.close();
            } catch (Exception e) {
                // the test's own failure says more
            }
        }
        if (hub != null) {
            hub.close();
        }
        if (backup != null) {
            backup.close();
        }
        if (live != null) {
            live.close();
        }
    }

    static void deliver(Session s, String recipient, String packageId) throws JMSException {
        Message m = s.createBytesMessage();
        m.setStringProperty(QueueNames.PACKAGE_ID, packageId);
        s.createProducer(s.createQueue(QueueNames.inbox(recipient))).send(m);
        s.commit();
    }

    static Message submission(Session s, String duplicateId) throws JMSException {
        Message m = s.createBytesMessage();
        m.setStringProperty(QueueNames.DUPLICATE_ID, duplicateId);
        return m;
    }

    Connection consumer(jakarta.jms.ConnectionFactory cf, String recipient, List<String> received) throws JMSException {
        Connection c = cf.createConnection();
        closing.add(c);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createQueue(QueueNames.inbox(recipient))).setMessageListener(m -> {
            try {
                received.add(m.getStringProperty(QueueNames.PACKAGE_ID));
            } catch (JMSException e) {
                received.add("unreadable");
            }
        });
        c.start();
        return c;
    }

    @Test
    void theBackupTakesOverAfterKillNineAndTheHubAndRecipientsFollow() throws Exception {
        TestPki pki = TestPki.createIn(dir.resolve("pki"), List.of("hub", "police-fib", "mash-bpl"),
                KeyAlgorithm.EC_P256, Clock.systemUTC());
        StandaloneBrokers brokers = new StandaloneBrokers(pki, dir, 15);
        live = ForkedBrokerNode.start(brokers.config.liveDirectory(), brokers.live.corePort());
        live.awaitListening(Duration.ofSeconds(60));
        hub = brokers.hub(brokers.hubPassword(), Set.of("police-fib", "mash-bpl"));
        hub.start();
        hub.publishParticipants(List.of("police-fib", "mash-bpl"));
        backup = ForkedBrokerNode.start(brokers.config.backupDirectory(), brokers.backup.corePort());
        Await.until("the backup in sync with the live (log " + backup.log + ")", Duration.ofSeconds(60),
                () -> Boolean.TRUE.equals(replicaSync()));

        List<String> core = new CopyOnWriteArrayList<>();
        List<String> amqp = new CopyOnWriteArrayList<>();
        consumer(brokers.coreHa("police-fib"), "police-fib", core);
        consumer(brokers.amqpFailover("mash-bpl"), "mash-bpl", amqp);
        Connection hubConnection = hub.connectionFactory().createConnection();
        closing.add(hubConnection);
        Session tx = hubConnection.createSession(true, Session.SESSION_TRANSACTED);
        deliver(tx, "police-fib", "before");
        deliver(tx, "mash-bpl", "before");
        Await.until("both recipients receive from the live", Duration.ofSeconds(20),
                () -> core.contains("before") && amqp.contains("before"));
        MessageProducer intake = tx.createProducer(tx.createQueue(QueueNames.INTAKE));
        intake.send(submission(tx, "sub|lancs-police|s-1"));
        tx.commit();

        live.kill();

        Await.until("the hub's transacted session commits on the backup", Duration.ofSeconds(60), () -> {
            try {
                intake.send(submission(tx, "sub|lancs-police|s-2"));
                tx.commit();
                return true;
            } catch (JMSException failingOver) {
                rollbackQuietly(tx);
                return false;
            }
        });
        assertThatThrownBy(() -> {
            intake.send(submission(tx, "sub|lancs-police|s-1"));
            tx.commit();
        }).as("the duplicate of a submission committed before the kill").isInstanceOf(JMSException.class)
                .satisfies(e -> assertThat(causes(e)).containsIgnoringCase("duplicate"));
        rollbackQuietly(tx);
        assertThat(Await.value("the intake queue on the backup", Duration.ofSeconds(10),
                () -> hub.messageCount(QueueNames.INTAKE), n -> n == 2)).as("s-1 once, s-2 once").isEqualTo(2);

        deliver(tx, "police-fib", "after");
        deliver(tx, "mash-bpl", "after");
        Await.until("the CORE consumer fails over to the backup", Duration.ofSeconds(60), () -> core.contains("after"));
        Await.until("the AMQP consumer fails over to the backup", Duration.ofSeconds(60), () -> amqp.contains("after"));
        assertThat(core).containsExactly("before", "after");
        assertThat(amqp).containsExactly("before", "after");

        String backupLog = java.nio.file.Files.readString(backup.log);
        assertThat(backupLog).as("the backup took over (Server is now active)").contains("AMQ221007");
        String logs = java.nio.file.Files.readString(live.log) + backupLog;
        for (Path secret : List.of(brokers.config.hubPasswordFile(),
                brokers.config.liveDirectory().resolve("secrets/cluster.password"),
                brokers.config.liveDirectory().resolve("secrets/keystore.password"),
                brokers.config.backupDirectory().resolve("secrets/keystore.password"))) {
            assertThat(logs).as("no secret in the brokers' logs").doesNotContain(
                    java.nio.file.Files.readString(secret).strip());
        }
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" / ");
        }
        return b.toString();
    }

    private Object replicaSync() {
        try {
            return hub.brokerAttribute("replicaSync");
        } catch (Exception notYet) {
            return null;
        }
    }

    private static void rollbackQuietly(Session s) {
        try {
            s.rollback();
        } catch (JMSException ignored) {
            // failing over
        }
    }
}
