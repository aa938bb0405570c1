package org.safeguarding.hub.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

class SettingsLoaderTest {
    @TempDir
    Path dir;

    private HubSettings load(String yaml) throws IOException {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml, StandardCharsets.UTF_8);
        return SettingsLoader.load(dir);
    }

    private HubException refused(String yaml) throws IOException {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml, StandardCharsets.UTF_8);
        HubException e = catchThrowableOfType(HubException.class, () -> SettingsLoader.load(dir));
        assertThat(e).as("hub.yaml should have been refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).startsWith(dir.resolve(SettingsLoader.FILE_NAME).toString() + ": ");
        return e;
    }

    @Test
    void withoutAFileEveryDefaultApplies() {
        HubSettings s = SettingsLoader.load(dir);
        Path base = dir.toAbsolutePath().normalize();
        assertThat(s.configDirectory()).isEqualTo(base);
        assertThat(s.dataDirectory()).isEqualTo(base.resolve("data"));
        assertThat(s.partnershipFile()).isEqualTo(base.resolve("partnership.yaml"));
        assertThat(s.http().host()).isEqualTo("0.0.0.0");
        assertThat(s.http().port()).isEqualTo(8443);
        assertThat(s.http().maxSubmissionBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(s.http().maxConcurrentSubmissions()).isEqualTo(32);
        assertThat(s.management().host()).isEqualTo("127.0.0.1");
        assertThat(s.management().port()).isEqualTo(9876);
        assertThat(s.broker().journalDirectory()).isEqualTo(base.resolve("data/broker"));
        assertThat(s.broker().amqpPort()).isEqualTo(5671);
        assertThat(s.broker().corePort()).isEqualTo(61617);
        assertThat(s.broker().maxDeliveryAttempts()).isEqualTo(10);
        assertThat(s.broker().redeliveryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.broker().maxRedeliveryDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.identity().certificate()).isEqualTo(base.resolve("pki/hub.pem"));
        assertThat(s.identity().privateKey()).isEqualTo(base.resolve("pki/hub.key"));
        assertThat(s.identity().keyPasswordEnv()).isEqualTo("HUB_KEY_PASSWORD");
        assertThat(s.identity().keyPasswordFile()).isNull();
        assertThat(s.identity().caCertificates()).isEqualTo(base.resolve("pki/ca.pem"));
        assertThat(s.identity().crl()).isNull();
        assertThat(s.identity().participantCertificates()).isEqualTo(base.resolve("pki"));
        assertThat(s.audit().jdbcUrl()).startsWith("jdbc:h2:file:" + base.resolve("data/audit/audit"));
        assertThat(s.audit().checkpointInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.registry()).isEqualTo(HubSettings.Registry.embedded());
        assertThat(s.registry().isEmbedded()).isTrue();
        assertThat(s.pseudonymKeyFile()).isEqualTo(base.resolve("data/secrets/pseudonym.key"));
        assertThat(s.crypto()).isEqualTo(HubSettings.Crypto.defaults());
    }

    @Test
    void aListInsteadOfAMappingIsRefusedNotTakenForDefaults() {
        org.safeguarding.hub.error.HubException e = catchThrowableOfType(org.safeguarding.hub.error.HubException.class,
                () -> load("- http\n- management\n"));

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(org.safeguarding.hub.error.ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.detail()).contains("hub.yaml").contains("mapping");
    }

    @Test
    void anEmptyFileIsAllDefaults() throws IOException {
        assertThat(load("")).isEqualTo(SettingsLoader.load(dir));
    }

    @Test
    void relativePathsResolveAgainstTheConfigurationDirectoryAndAbsoluteOnesStay() throws IOException {
        Path elsewhere = dir.resolveSibling("elsewhere-" + dir.getFileName()).toAbsolutePath();
        HubSettings s = load("""
                dataDirectory: ../var/hub
                partnershipFile: conf/partnership.yaml
                identity:
                  certificate: %s/hub.p12
                  keyPasswordFile: secrets/./key-password
                  crl: pki/../pki/ca.crl
                """.formatted(elsewhere));
        Path base = dir.toAbsolutePath().normalize();
        assertThat(s.dataDirectory()).isEqualTo(base.resolve("../var/hub").normalize());
        assertThat(s.partnershipFile()).isEqualTo(base.resolve("conf/partnership.yaml"));
        assertThat(s.identity().certificate()).isEqualTo(elsewhere.resolve("hub.p12"));
        assertThat(s.identity().keyPasswordFile()).isEqualTo(base.resolve("secrets/key-password"));
        assertThat(s.identity().crl()).isEqualTo(base.resolve("pki/ca.crl"));
        // what lives under the data directory follows it when not set
        assertThat(s.broker().journalDirectory()).isEqualTo(base.resolve("../var/hub/broker").normalize());
        assertThat(s.pseudonymKeyFile()).isEqualTo(base.resolve("../var/hub/secrets/pseudonym.key").normalize());
        assertThat(s.audit().jdbcUrl()).contains(base.resolve("../var/hub/audit/audit").normalize().toString());
    }

    @Test
    void aRelativeConfigurationDirectoryIsMadeAbsolute() {
        Path relative = Path.of("").toAbsolutePath().relativize(dir.toAbsolutePath());
        HubSettings s = SettingsLoader.load(relative);
        assertThat(s.configDirectory()).isAbsolute().isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(s.partnershipFile()).isAbsolute();
    }

    @Test
    void presentValuesOverrideTheDefaults() throws IOException {
        HubSettings s = load("""
                http:
                  host: 127.0.0.1
                  port: 0
                  maxSubmissionBytes: 1048576
                broker:
                  maxDeliveryAttempts: 3
                  redeliveryDelay: PT0.5S
                audit:
                  checkpointInterval: PT1M
                """);
        assertThat(s.http().host()).isEqualTo("127.0.0.1");
        assertThat(s.http().port()).isZero();
        assertThat(s.http().maxSubmissionBytes()).isEqualTo(1_048_576L);
        assertThat(s.http().maxConcurrentSubmissions()).isEqualTo(32);
        assertThat(s.broker().maxDeliveryAttempts()).isEqualTo(3);
        assertThat(s.broker().redeliveryDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.audit().checkpointInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void anUnknownKeyIsRefusedWithItsFullPath() throws IOException {
        HubException e = refused("""
                http:
                  prot: 8443
                colour: blue
                """);
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder("http.prot", "colour");
        assertThat(e.errors()).allSatisfy(f -> assertThat(f.message()).contains("unknown setting"));
    }

    @Test
    void aSectionGivenAsAValueIsRefused() throws IOException {
        HubException e = refused("""
                http: 8443
                """);
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("http");
    }

    @Test
    void badPortsAreRefused() throws IOException {
        HubException e = refused("""
                http:
                  port: 70000
                management:
                  port: -1
                broker:
                  amqpPort: five
                """);
        assertThat(e.errors()).extracting(FieldError::path)
                .containsExactlyInAnyOrder("http.port", "management.port", "broker.amqpPort");
        assertThat(e.errors()).filteredOn(f -> f.path().equals("broker.amqpPort"))
                .extracting(FieldError::message).containsExactly("must be a whole number");
        assertThat(e.errors()).filteredOn(f -> f.path().equals("http.port"))
                .extracting(FieldError::message).allSatisfy(m -> assertThat(m).contains("65535"));
    }

    @Test
    void badDurationsAreRefusedWithTheExpectedForm() throws IOException {
        HubException e = refused("""
                broker:
                  redeliveryDelay: 5 minutes
                  maxRedeliveryDelay: [PT1M]
                audit:
                  checkpointInterval: 300
                """);
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder(
                "broker.redeliveryDelay", "broker.maxRedeliveryDelay", "audit.checkpointInterval");
        assertThat(e.errors()).filteredOn(f -> f.path().equals("broker.redeliveryDelay"))
                .extracting(FieldError::message).containsExactly("must be an ISO-8601 duration such as PT5M or P5D");
        assertThat(e.errors()).filteredOn(f -> f.path().equals("broker.maxRedeliveryDelay"))
                .extracting(FieldError::message).containsExactly("must be a single value");
    }

    @Test
    void everyProblemIsReportedAtOnceOneLineEach() throws IOException {
        HubException e = refused("""
                http:
                  port: 99999
                  maxSubmissionBytes: 10
                  maxConcurrentSubmissions: 0
                management:
                  host: ""
                broker:
                  maxDeliveryAttempts: 1000
                  redeliveryDelay: soon
                identity:
                  keyPasswrd: changeit
                crypto:
                  minRsaBits: 1024
                  packageEncryption: AES_128_GCM
                """);
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder(
                "http.port", "http.maxSubmissionBytes", "http.maxConcurrentSubmissions", "management.host",
                "broker.maxDeliveryAttempts", "broker.redeliveryDelay", "identity.keyPasswrd",
                "crypto.minRsaBits", "crypto.packageEncryption");
        String[] lines = e.detail().split("\\R");
        assertThat(lines[0]).isEqualTo(dir.resolve("hub.yaml") + ": 9 problems");
        assertThat(lines).hasSize(10);
        for (FieldError f : e.errors()) {
            assertThat(lines).contains("  " + f.path() + ": " + f.message());
        }
    }

    @Test
    void aPasswordIsNeverReadFromTheFile() throws IOException {
        HubException e = refused("""
                identity:
                  keyPassword: changeit
                """);
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("identity.keyPassword");
        assertThat(e.detail()).doesNotContain("changeit");
    }

    @Test
    void malformedYamlNamesTheFile() throws IOException {
        HubException e = refused("http: [unclosed\n");
        assertThat(e.detail()).contains("not readable YAML");
        assertThat(e.detail().lines().count()).isEqualTo(1);
    }

    @Test
    void theRegistryCanLiveInPostgresqlWithItsPasswordFromTheEnvironmentOrAFile() throws IOException {
        HubSettings s = load("""
                registry:
                  jdbcUrl: jdbc:postgresql://db.internal:5432/hub?sslmode=verify-full
                  user: hubregistry
                  passwordEnv: REGISTRY_PW
                  passwordFile: secrets/registry-password
                """);
        assertThat(s.registry().isEmbedded()).isFalse();
        assertThat(s.registry().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/hub?sslmode=verify-full");
        assertThat(s.registry().user()).isEqualTo("hubregistry");
        assertThat(s.registry().passwordEnv()).isEqualTo("REGISTRY_PW");
        assertThat(s.registry().passwordFile()).isEqualTo(dir.toAbsolutePath().normalize()
                .resolve("secrets/registry-password"));
    }

    @Test
    void aRegistryUrlOfAnotherDatabaseOrAPasswordInTheFileIsRefused() throws IOException {
        HubException e = refused("""
                registry:
                  jdbcUrl: jdbc:mysql://db.internal/hub
                  password: changeit
                """);
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder("registry.jdbcUrl",
                "registry.password");
        assertThat(e.errors()).filteredOn(f -> f.path().equals("registry.jdbcUrl")).extracting(FieldError::message)
                .singleElement().satisfies(m -> assertThat(m).contains("jdbc:postgresql://").contains("H2"));
        assertThat(e.detail()).doesNotContain("changeit");
    }
}
