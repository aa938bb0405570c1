package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * {@code hub run} with one of its ports already taken, in a JVM of its own with the hub's own logging: the hub stops
 * (non-zero exit) with one line naming the port, never claims to have started, and nothing it or its libraries log
 * on the way carries a password (Artemis used to log the CORE acceptor's key and trust store passwords, then
 * "broker started").
 */
class TakenPortIT {
    static final TestPki PKI = TestPki.ec();

    @TempDir
    Path root;

    record Run(int exit, String output) {
        List<String> linesNaming(int port) {
            Pattern p = Pattern.compile("(?<![0-9])" + port + "(?![0-9])");
            return output.lines().filter(l -> p.matcher(l).find()).toList();
        }
    }

    Run hub(String extraHubYaml) throws Exception {
        Path config = RunningHub.writeConfig(root, PKI, extraHubYaml);
        Path out = root.resolve("hub.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.safeguarding.hub.app.HubCommand", "run",
                "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("the hub kept running with a port taken:\n" + Files.readString(out));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    static ServerSocket holding() throws Exception {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        return s;
    }

    static void assertNoSecret(Run r) {
        assertThat(r.output()).doesNotContainIgnoringCase("password=").doesNotContainIgnoringCase("password:")
                .doesNotContain("ENC(");
    }

    @Test
    void aTakenCorePortStopsTheHubWithOneLineNamingIt() throws Exception {
        try (ServerSocket taken = holding()) {
            int port = taken.getLocalPort();
            Run r = hub("broker:\n  corePort: " + port);
            assertThat(r.exit()).as(r.output()).isNotZero();
            assertThat(r.linesNaming(port)).as(r.output()).containsExactly(
                    "hub: the broker cannot listen on port " + port + " (CORE over TLS): address in use");
            assertThat(r.output()).doesNotContain("broker started").doesNotContain("hub started")
                    .doesNotContain("hub running");
            assertNoSecret(r);
        }
    }

    @Test
    void aTakenAmqpPortToo() throws Exception {
        try (ServerSocket taken = holding()) {
            int port = taken.getLocalPort();
            Run r = hub("broker:\n  amqpPort: " + port + "\n  corePort: 0");
            assertThat(r.exit()).as(r.output()).isNotZero();
            assertThat(r.linesNaming(port)).as(r.output()).containsExactly(
                    "hub: the broker cannot listen on port " + port + " (AMQP over TLS): address in use");
            assertThat(r.output()).doesNotContain("broker started");
            assertNoSecret(r);
        }
    }

    @Test
    void aTakenHttpsPortStopsTheHubWithOneLineNamingIt() throws Exception {
        try (ServerSocket taken = holding()) {
            int port = taken.getLocalPort();
            Run r = hub("http:\n  port: " + port + "\nbroker:\n  corePort: 0");
            assertThat(r.exit()).as(r.output()).isNotZero();
            assertThat(r.linesNaming(port)).as(r.output()).singleElement().satisfies(line -> assertThat(line)
                    .startsWith("hub: the HTTPS API could not listen on 127.0.0.1:" + port).contains("in use"));
            assertThat(r.output()).doesNotContain("hub started").doesNotContain("hub running");
            assertNoSecret(r);
        }
    }
}
