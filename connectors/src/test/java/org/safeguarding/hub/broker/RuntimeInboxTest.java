package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;

/** A recipient added to the partnership while the hub runs gets its durable, secured inbox at once. */
class RuntimeInboxTest {
    static final String NEW = "vcs-missing";

    @TempDir
    Path dir;
    EmbeddedBroker broker;
    final List<String> refusals = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = newBroker(Set.of("police-fib"));
        broker.start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    EmbeddedBroker newBroker(Set<String> recipients) {
        return new EmbeddedBroker(new HubSettings.Broker(dir, 0, 0, 2, Duration.ZERO, Duration.ZERO),
                recipients, id -> true, (who, what) -> refusals.add(who + ": " + what));
    }

    void sendTo(String queue, String packageId) throws Exception {
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(new byte[] {4, 5, 6});
            m.setStringProperty(QueueNames.PACKAGE_ID, packageId);
            p.send(m);
        }
    }

    static Subject participant(String id) {
        Subject s = new Subject();
        s.getPrincipals().add(new UserPrincipal(id));
        s.getPrincipals().add(new RolePrincipal(id));
        return s;
    }

    boolean may(String who, CheckType check, String address) {
        HubSecurityManager security = new HubSecurityManager("x", id -> true, (w, what) -> refusals.add(w), null);
        return security.authorize(participant(who), broker.securityRoles(address), check, address);
    }

    @Test
    void theNewRecipientGetsADurableInboxThatTakesPackages() throws Exception {
        String inbox = QueueNames.inbox(NEW);
        assertThat(broker.messageCount(inbox)).as("no inbox before").isEqualTo(-1);

        broker.ensureInbox(NEW);

        assertThat(broker.messageCount(inbox)).isZero();
        assertThat(broker.recipients()).contains(NEW, "police-fib");
        sendTo(inbox, "55555555-5555-5555-5555-555555555555");
        // a durable send returns once stored; the queue counts the message once the store's callback ran
        org.safeguarding.hub.crypto.testing.Await.until("the package to be on the new inbox",
                java.time.Duration.ofSeconds(10), () -> broker.messageCount(inbox) == 1);
        assertThat(new BrokerInbox(broker.connectionFactory()).acknowledge(NEW, "55555555-5555-5555-5555-555555555555"))
                .hasValueSatisfying(e -> assertThat(e.packageId()).isEqualTo("55555555-5555-5555-5555-555555555555"));
    }

    @Test
    void onlyTheNewRecipientMayReadItsInboxAndItMayNotWriteToIt() {
        String inbox = QueueNames.inbox(NEW);
        assertThat(may(NEW, CheckType.CONSUME, inbox)).as("before: no role on the new inbox").isFalse();

        broker.ensureInbox(NEW);

        assertThat(broker.securityRoles(inbox)).extracting(Role::getName)
                .containsExactlyInAnyOrder(HubSecurityManager.HUB_USER, NEW);
        assertThat(may(NEW, CheckType.CONSUME, inbox)).isTrue();
        assertThat(may(NEW, CheckType.BROWSE, inbox)).isTrue();
        assertThat(may(NEW, CheckType.SEND, inbox)).isFalse();
        assertThat(may(NEW, CheckType.DELETE_DURABLE_QUEUE, inbox)).isFalse();
        assertThat(may("police-fib", CheckType.CONSUME, inbox)).isFalse();
        assertThat(may(NEW, CheckType.CONSUME, QueueNames.inbox("police-fib"))).isFalse();
        assertThat(may(HubSecurityManager.HUB_USER, CheckType.SEND, inbox)).isTrue();
    }

    @Test
    void askingAgainKeepsWhatIsWaiting() throws Exception {
        broker.ensureInbox(NEW);
        sendTo(QueueNames.inbox(NEW), "66666666-6666-6666-6666-666666666666");

        broker.ensureInbox(NEW);
        broker.ensureInbox("police-fib");

        org.safeguarding.hub.crypto.testing.Await.until("the package to stay on the inbox",
                java.time.Duration.ofSeconds(10), () -> broker.messageCount(QueueNames.inbox(NEW)) == 1);
    }

    @Test
    void theInboxAndItsPackagesSurviveARestartWithTheNewPartnership() throws Exception {
        broker.ensureInbox(NEW);
        sendTo(QueueNames.inbox(NEW), "77777777-7777-7777-7777-777777777777");
        broker.close();

        broker = newBroker(Set.of("police-fib", NEW));
        broker.start();

        assertThat(broker.messageCount(QueueNames.inbox(NEW))).isEqualTo(1);
        assertThat(may(NEW, CheckType.CONSUME, QueueNames.inbox(NEW))).isTrue();
    }

    @Test
    void refusesWhatIsNotAParticipantIdAndAStoppedBroker() {
        assertThatThrownBy(() -> broker.ensureInbox("#")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> broker.ensureInbox("a.b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(broker.messageCount(QueueNames.inbox("#"))).isEqualTo(-1);
        broker.close();
        assertThatThrownBy(() -> broker.ensureInbox(NEW)).isInstanceOf(HubException.class)
                .satisfies(e -> assertThat(((HubException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }
}
