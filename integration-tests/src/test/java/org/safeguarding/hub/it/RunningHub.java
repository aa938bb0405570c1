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
        try {
            Path root = Files.createTempDirectory("hub-it");
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
                    broker:
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
            HubSettings settings = SettingsLoader.load(config);
            return new RunningHub(root, pki, HubApplication.start(settings, Clock.systemUTC()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
