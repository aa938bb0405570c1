package org.safeguarding.hub.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The hub's own settings ({@code hub.yaml} in the configuration directory), bound once at
 * start-up and validated. Relative paths are resolved against the configuration directory
 * by {@link SettingsLoader}; after loading every path here is absolute.
 */
public record HubSettings(
        @NotNull Path configDirectory,
        @NotNull Path dataDirectory,
        @NotNull Path partnershipFile,
        @NotNull @Valid Http http,
        @NotNull @Valid Management management,
        @NotNull @Valid Broker broker,
        @NotNull @Valid Identity identity,
        @NotNull @Valid Audit audit,
        @NotNull Path pseudonymKeyFile) {

    /** The partner and recipient HTTPS API. */
    public record Http(
            @NotBlank String host,
            @Min(0) @Max(65535) int port,
            @Min(1024) long maxSubmissionBytes,
            @Min(1) @Max(10_000) int maxConcurrentSubmissions) {
    }

    /** Health and metrics, plain HTTP, loopback by default. */
    public record Management(@NotBlank String host, @Min(0) @Max(65535) int port) {
    }

    /** The embedded Artemis broker. */
    public record Broker(
            @NotNull Path journalDirectory,
            @Min(0) @Max(65535) int amqpPort,
            @Min(0) @Max(65535) int corePort,
            @Min(1) @Max(100) int maxDeliveryAttempts,
            @NotNull Duration redeliveryDelay,
            @NotNull Duration maxRedeliveryDelay) {
    }

    /**
     * The hub's own key and certificate, and the partnership CA it trusts. The key's password
     * never lives in a configuration file: it comes from the environment variable named by
     * {@code keyPasswordEnv} or from {@code keyPasswordFile}. {@code participantCertificates} is a
     * directory of PEM certificates of the participants, grouped by CN; packages are sealed to every
     * valid one of a recipient's.
     */
    public record Identity(
            @NotNull Path certificate,
            @NotNull Path privateKey,
            String keyPasswordEnv,
            Path keyPasswordFile,
            @NotNull Path caCertificates,
            Path crl,
            @NotNull Path participantCertificates) {
    }

    /** The audit store: an embedded H2 database by default, or any JDBC URL (PostgreSQL). */
    public record Audit(@NotBlank String jdbcUrl, String user, String passwordEnv, Path passwordFile,
                        @NotNull Duration checkpointInterval) {
    }
}
