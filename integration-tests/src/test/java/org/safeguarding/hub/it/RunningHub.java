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
        return start(pki, extraHubYaml, java.util.function.UnaryOperator.identity());
    }

    /** {@link #start(TestPki, String)} with the reference partnership's text changed by {@code partnership}. */
    static RunningHub start(TestPki pki, String extraHubYaml, java.util.function.UnaryOperator<String> partnership) {
        return start(pki, extraHubYaml, partnership, Clock.systemUTC());
    }

    /** A hub on {@code clock} (a test's own, to make a past month): the hub reads every instant from it. */
    static RunningHub start(TestPki pki, Clock clock) {
        return start(pki, "", java.util.function.UnaryOperator.identity(), clock);
    }

    private static RunningHub start(TestPki pki, String extraHubYaml,
                                    java.util.function.UnaryOperator<String> partnership, Clock clock) {
        try {
            Path root = Files.createTempDirectory("hub-it");
            Path config = writeConfig(root, pki, extraHubYaml, partnership);
            HubSettings settings = SettingsLoader.load(config);
            return new RunningHub(root, pki, HubApplication.start(settings, clock));
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
        return writeConfig(root, pki, extraHubYaml, java.util.function.UnaryOperator.identity());
    }

    static Path writeConfig(Path root, TestPki pki, String extraHubYaml,
                            java.util.function.UnaryOperator<String> partnership) throws IOException {
        Path config = root.resolve("config");
        Files.createDirectories(config);
        Files.writeString(config.resolve("partnership.yaml"),
                partnership.apply(PartnershipLoader.referencePartnershipYaml()), StandardCharsets.UTF_8);
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
     * Fires when {@code n} submissions have been through the routing route. Its broker transaction commits just after,
     * and the audit store and registry follow from the audit queue, so read inboxes with {@link #awaitPackages} and
     * records after {@link #awaitRecorded}.
     */
    org.apache.camel.builder.NotifyBuilder routedNotifier(int n) {
        return new org.apache.camel.builder.NotifyBuilder(app.camel()).fromRoute("routing").whenCompleted(n).create();
    }

    /** Waits (bounded) until every step record on the broker is in the audit store and the registry. */
    void awaitRecorded() {
        org.safeguarding.hub.crypto.testing.Await.until("the audit queue to be applied", java.time.Duration.ofSeconds(60),
                () -> app.broker().messageCount(org.safeguarding.hub.broker.QueueNames.AUDIT) == 0
                        && app.broker().messageCount(org.safeguarding.hub.broker.QueueNames.INTAKE) == 0);
    }

    /**
     * Waits (bounded) until the recipient's inbox holds at least {@code count} packages and the hub has recorded
     * them (its audit queue applied to the audit store and the registry, which the HTTPS inbox lists from). It only
     * counts: the packages stay where they are, with no delivery attempt used up.
     */
    void awaitPackages(String recipient, int count) {
        String queue = org.safeguarding.hub.broker.QueueNames.inbox(recipient);
        org.safeguarding.hub.crypto.testing.Await.until(recipient + " to hold " + count + " recorded packages",
                java.time.Duration.ofSeconds(60), () -> app.broker().messageCount(queue) >= count
                        && app.broker().messageCount(org.safeguarding.hub.broker.QueueNames.AUDIT) == 0);
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
