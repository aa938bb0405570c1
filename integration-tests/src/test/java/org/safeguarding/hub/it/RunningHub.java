package org.safeguarding.hub.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.safeguarding.hub.app.HubApplication;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.settings.SettingsLoader;

/**
 * A real hub for one test class: the reference partnership, a generated PKI, free ports, and a
 * fresh data directory (broker journal, audit and registry databases) that is removed afterwards.
 */
final class RunningHub implements AutoCloseable {
    private final Path root;
    private final TestPki pki;
    private final HubApplication app;

    private RunningHub(Path root, TestPki pki, HubApplication app) {
        this.root = root;
        this.pki = pki;
        this.app = app;
    }

    static RunningHub start() {
        return start(TestPki.ec());
    }

    static RunningHub start(TestPki pki) {
        return start(pki, "");
    }

    /**
     * A hub whose hub.yaml also holds {@code extraHubYaml} (whole YAML, e.g. {@code "http:\n  maxSubmissionBytes: 65536"}),
     * merged key by key into the generated file: a section named in both keeps the generated keys it does not override.
     */
    static RunningHub start(TestPki pki, String extraHubYaml) {
        try {
            Path root = Files.createTempDirectory("hub-it");
            Path config = writeConfig(root, pki, extraHubYaml);
            HubSettings settings = SettingsLoader.load(config);
            return new RunningHub(root, pki, HubApplication.start(settings, Clock.systemUTC()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code root/config} (the reference partnership and a hub.yaml on {@code pki}, data under {@code root/data},
     * free ports, no broker TLS or SFTP listeners) with {@code extraHubYaml} merged in; returns the directory. Also for a
     * hub started in a JVM of its own.
     */
    static Path writeConfig(Path root, TestPki pki, String extraHubYaml) throws IOException {
        Path config = root.resolve("config");
        Files.createDirectories(config);
        Files.writeString(config.resolve("partnership.yaml"), PartnershipLoader.referencePartnershipYaml(),
                StandardCharsets.UTF_8);
        Files.writeString(config.resolve("hub.yaml"), """
                dataDirectory: %s
                pseudonymKeyFile: %s
                http:
                  host: 127.0.0.1
                  port: 0
                management:
                  port: 0
                sftp:
                  port: -1
                broker:
                  amqpPort: -1
                  corePort: -1
                  redeliveryDelay: PT0.1S
                  maxDeliveryAttempts: 3
                identity:
                  certificate: %s
                  privateKey: %s
                  caCertificates: %s
                  crl: %s
                  participantCertificates: %s
                """.formatted(root.resolve("data"), root.resolve("secrets/pseudonym.key"), pki.cert("hub"),
                pki.key("hub"), pki.caPem(), pki.crl(), pki.dir()), StandardCharsets.UTF_8);
        if (!extraHubYaml.isBlank()) {
            var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
            var merged = yaml.readTree(config.resolve("hub.yaml").toFile());
            yaml.readerForUpdating(merged).readValue(extraHubYaml);
            yaml.writeValue(config.resolve("hub.yaml").toFile(), merged);
        }
        return config;
    }

    /**
     * Fires when {@code n} submissions have been through the routing route (the split's
     * per-package exchanges do not count). Audit events and the registry are written by then;
     * the packages' broker transaction commits just after, so read inboxes with
     * {@link #awaitPackages}.
     */
    org.apache.camel.builder.NotifyBuilder routedNotifier(int n) {
        return new org.apache.camel.builder.NotifyBuilder(app.camel()).fromRoute("routing")
                .filter(e -> e.getProperty(org.apache.camel.ExchangePropertyKey.SPLIT_INDEX) == null)
                .whenCompleted(n).create();
    }

    /**
     * A bounded poll of the broker until the recipient's inbox holds at least {@code count}
     * packages (the routing transaction commits just after the route completes). It only
     * counts: the packages stay where they are, with no delivery attempt used up.
     */
    void awaitPackages(String recipient, int count) {
        String queue = org.safeguarding.hub.broker.QueueNames.inbox(recipient);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (app.broker().messageCount(queue) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(recipient + " holds " + app.broker().messageCount(queue) + " of " + count
                        + " packages after 60 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    HubApplication app() {
        return app;
    }

    TestPki pki() {
        return pki;
    }

    String baseUrl() {
        return "https://localhost:" + app.httpsPort() + "/";
    }

    HubHttpClient client(String participant) {
        return HubHttpClient.as(pki, participant, baseUrl());
    }

    @Override
    public void close() {
        app.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }
}
