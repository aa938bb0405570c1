package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.broker.BrokerPairConfig;
import org.safeguarding.hub.broker.BrokerTls;
import org.safeguarding.hub.broker.ExternalBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * The broker plugin jar ({@code hub-connectors-<version>-broker-plugin.jar}) is enough on a broker's class path beside
 * Artemis and its own dependencies: a node started from the generated configuration with the hub's modules and Bouncy
 * Castle taken off its class path and the plugin jar put in their place serves the hub (login, management, inbox
 * creation, the published participants).
 */
class BrokerPluginJarIT {
    @TempDir
    Path dir;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Path pluginJar() throws IOException {
        try (var files = Files.list(Path.of("..", "connectors", "target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-broker-plugin.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no broker-plugin jar in connectors/target: mvn install"));
        }
    }

    @Test
    void aNodeWithThePluginJarInsteadOfTheHubsModulesServesTheHub() throws Exception {
        TestPki pki = TestPki.ec();
        int core = freePort();
        BrokerPairConfig.Result pair = BrokerPairConfig.write(BrokerPairConfig.Options.of(pki.dir(),
                TestPki.PASSWORD.toCharArray(), dir.resolve("brokers"), "127.0.0.1",
                new BrokerPairConfig.Node("live", core, freePort()),
                new BrokerPairConfig.Node("backup", freePort(), freePort())), Clock.systemUTC());
        List<String> ours = List.of("hub-connectors", "hub-crypto", "hub-config", "hub-routes", "bcprov", "bcpkix",
                "bcutil", "/connectors/target/classes", "/crypto/target/classes", "/config/target/classes",
                "/routes/target/classes");
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> ours.stream().noneMatch(e::contains)).collect(Collectors.joining(File.pathSeparator))
                + File.pathSeparator + pluginJar().toAbsolutePath();
        Path log = dir.resolve("node.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", classPath, "org.safeguarding.hub.broker.BrokerNode", pair.liveDirectory().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until("the node with the plugin jar listening (log " + log + ")", Duration.ofSeconds(60), () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("the node died: " + read(log));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", core), 500);
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
            FileTrustMaterial trust = new FileTrustMaterial(pki.caPem(), pki.crl());
            ExternalBroker hub = new ExternalBroker(new HubSettings.External(pair.hubUrls(), "hub-node", null,
                    pair.hubPasswordFile(), true, Duration.ofSeconds(10)),
                    Files.readAllLines(pair.hubPasswordFile()).get(0).strip(),
                    new BrokerTls(pki.identity("hub"), trust.anchors(), pki.crl(),
                            new TrustValidator(trust).tlsTrustManager(Clock.systemUTC())),
                    dir.resolve("hub-tls"), Set.of("police-fib"), Clock.systemUTC());
            try {
                hub.start();
                hub.publishParticipants(List.of("police-fib"));
                assertThat(hub.isActive()).isTrue();
                assertThat(hub.messageCount(QueueNames.inbox("police-fib"))).as("created by the hub").isZero();
                assertThat(hub.messageCount(QueueNames.PARTICIPANTS)).as("the published list").isEqualTo(1);
            } finally {
                hub.close();
            }
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(read(log)).doesNotContain("ClassNotFound").doesNotContain("NoClassDefFound");
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
