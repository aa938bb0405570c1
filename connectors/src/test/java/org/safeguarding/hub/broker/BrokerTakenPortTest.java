package org.safeguarding.hub.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.testing.LogCapture;

/**
 * A broker listener whose port is taken stops the start with one reason naming the port, instead of Artemis logging
 * the acceptor's parameters and running on without it; and nothing the broker logs on the way carries a password.
 */
class BrokerTakenPortTest {
    /** A password-like key followed by a value that is neither masked nor a reference to one held in memory. */
    static final Pattern PASSWORD_VALUE = Pattern.compile("(?i)password\\s*[=:]\\s*(?!\\*\\*\\*\\*|ENC\\()([^,&}\\s]+)");
    static TestPki pki;

    @TempDir
    Path dir;
    LogCapture capture;

    @BeforeAll
    static void pki() {
        pki = TestPki.ec();
    }

    @BeforeEach
    void captureEveryLogLine() {
        capture = LogCapture.start();
    }

    @AfterEach
    void stopCapturing() {
        capture.close();
    }

    EmbeddedBroker broker(int amqpPort, int corePort) {
        return new EmbeddedBroker(new HubSettings.Broker(dir, amqpPort, corePort, 2, Duration.ZERO, Duration.ZERO),
                Set.of("police-fib"), Set.of("police-fib")::contains, BrokerAccessListener.NONE,
                TlsAcceptorTest.brokerTls(pki), InboxAckListener.NONE);
    }

    static ServerSocket taken() throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        return s;
    }

    @Test
    void aTakenCorePortStopsTheStartWithOneReasonNamingIt() throws Exception {
        try (ServerSocket holder = taken()) {
            int port = holder.getLocalPort();
            EmbeddedBroker broker = broker(0, port);
            try {
                assertThatThrownBy(broker::start).isInstanceOf(HubException.class)
                        .hasMessage("the broker cannot listen on port " + port + " (CORE over TLS): address in use");
                assertThat(broker.isActive()).isFalse();
            } finally {
                broker.close();
            }
        }
        assertThat(dir.resolve("tls/broker-key.p12")).doesNotExist();
        assertThat(capture.lines()).noneSatisfy(line -> assertThat(line).contains("broker started"));
        assertNoPasswordLogged();
    }

    @Test
    void aTakenAmqpPortToo() throws Exception {
        try (ServerSocket holder = taken()) {
            int port = holder.getLocalPort();
            EmbeddedBroker broker = broker(port, -1);
            try {
                assertThatThrownBy(broker::start).isInstanceOf(HubException.class)
                        .hasMessage("the broker cannot listen on port " + port + " (AMQP over TLS): address in use");
            } finally {
                broker.close();
            }
        }
        assertNoPasswordLogged();
    }

    @Test
    void aBrokerThatStartsLogsNoPasswordEither() {
        EmbeddedBroker broker = broker(0, 0);
        try {
            broker.start();
            assertThat(broker.isActive()).isTrue();
        } finally {
            broker.close();
        }
        assertThat(capture.lines()).anySatisfy(line -> assertThat(line).contains("broker started"));
        assertNoPasswordLogged();
    }

    void assertNoPasswordLogged() {
        assertThat(capture.lines()).as("anything was captured at all").isNotEmpty();
        for (String line : capture.lines()) {
            Matcher m = PASSWORD_VALUE.matcher(line);
            assertThat(m.find()).as("a password value in: " + line).isFalse();
        }
    }
}
