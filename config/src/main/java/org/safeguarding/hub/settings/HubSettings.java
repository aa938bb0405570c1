package org.safeguarding.hub.settings;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import java.util.List;

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
        @NotNull @Valid Crypto crypto,
        @NotNull @Valid Audit audit,
        @NotNull @Valid Registry registry,
        @NotNull Path pseudonymKeyFile,
        /** How often the running hub looks for an edited partnership file; {@code PT0S} turns looking off. */
        @NotNull @DurationMin(millis = 0, message = "must not be negative") Duration partnershipReloadInterval,
        /** A package its recipient has not acknowledged this long after delivery is expired (default P5D). */
        @NotNull @DurationMin(millis = 1, message = "must be positive, such as P5D") Duration packageExpiry,
        /** How often the running hub looks for packages to expire (default PT5M). */
        @NotNull @DurationMin(millis = 1, message = "must be positive, such as PT5M") Duration packageExpiryScanInterval,
        @NotNull @Valid Sftp sftp,
        @NotNull @Valid Routing routing,
        @NotNull @Valid Links links,
        /**
         * How far ahead the hub warns of what will stop sharing: its own and participants' certificates expiring, a CRL's
         * nextUpdate, an agreement's end (default P30D).
         */
        @NotNull @DurationMin(days = 1, message = "must be at least a day, such as P30D") Duration expiryWarning) {

    /**
     * Contextual links: the linking keys' directory ({@code linking-N.key}, made on first start, the highest N current;
     * not the pseudonym key) and how long link tokens are kept (default P90D): alert rules and the subject trace reach
     * back no further.
     */
    public record Links(@NotNull Path keyDirectory,
                        @NotNull @DurationMin(days = 1, message = "must be at least a day, such as P90D") Duration retention) {
    }

    /**
     * Routing: {@code consumers} submissions routed at once (each on its own broker transaction; default twice the
     * processors), and {@code maxBacklog}, the most submissions accepted but not yet routed: past it intake answers
     * 503 with Retry-After.
     */
    public record Routing(@Min(1) @Max(256) int consumers, @Min(1) @Max(10_000_000) long maxBacklog) {
        public static int defaultConsumers() {
            return Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        }
    }

    /** The partners' SFTP drop; port 2222 by default, 0: a free port, -1: off. */
    public record Sftp(@NotBlank String host, @Min(-1) @Max(65535) int port) {
        public boolean enabled() {
            return port >= 0;
        }
    }

    /**
     * The HTTPS API, reached by partners at {@code publicBaseUrl} (null: {@code https://localhost:<port>} when it
     * listens on every address or loopback, else {@code https://<host>:<port>}); problem types link its pages. {@code maxConcurrentSubmissions} submissions are taken at once, at most
     * {@code maxSubmissionsPerPartner} of them from one partner; an upload is cut (408) once it has run longer than
     * {@code bodyDeadline}, or more than {@link #RATE_GRACE} at under {@code minBodyBytesPerSecond} on average; bodies
     * being uploaded take at most {@code maxSpooledBytes} of spool space together (beyond it: 503).
     */
    public record Http(
            @NotBlank String host,
            @Min(0) @Max(65535) int port,
            @Min(1024) long maxSubmissionBytes,
            @Min(1) @Max(10_000) int maxConcurrentSubmissions,
            @Min(1) @Max(10_000) int maxSubmissionsPerPartner,
            @Min(1) long minBodyBytesPerSecond,
            @NotNull @DurationMin(seconds = 1) Duration bodyDeadline,
            @Min(1024) long maxSpooledBytes,
            @jakarta.validation.constraints.Pattern(regexp = "https://[^/?#\\s]+/?",
                    message = "must be the hub's https address as partners reach it, without a path: https://hub.example.org:8443")
            String publicBaseUrl) {
        /** How long an upload may start slowly before its average rate is held to {@code minBodyBytesPerSecond}. */
        public static final Duration RATE_GRACE = Duration.ofSeconds(5);
        public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 4 * 1024;
        public static final Duration DEFAULT_BODY_DEADLINE = Duration.ofMinutes(10);

        /** With the defaults for the upload limits: half the slots per partner, 4 KiB/s, 10 minutes, 1 GiB. */
        public Http(String host, int port, long maxSubmissionBytes, int maxConcurrentSubmissions) {
            this(host, port, maxSubmissionBytes, maxConcurrentSubmissions, defaultPerPartner(maxConcurrentSubmissions),
                    DEFAULT_MIN_BODY_BYTES_PER_SECOND, DEFAULT_BODY_DEADLINE, defaultSpool(maxSubmissionBytes), null);
        }

        /** The address partners reach the API at, the server listening on {@code actualPort}; without a final /. */
        public String publicBaseUrl(int actualPort) {
            if (publicBaseUrl != null) {
                return publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
            }
            boolean everywhereOrLoopback = java.util.Set.of("0.0.0.0", "::", "[::]", "127.0.0.1", "::1", "[::1]", "localhost")
                    .contains(host);
            String h = everywhereOrLoopback ? "localhost" : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            return "https://" + h + ":" + actualPort;
        }

        public static int defaultPerPartner(int maxConcurrentSubmissions) {
            return Math.max(1, maxConcurrentSubmissions / 2);
        }

        public static long defaultSpool(long maxSubmissionBytes) {
            return Math.max(1024L * 1024 * 1024, maxSubmissionBytes);
        }
    }

    /** Health and metrics, plain HTTP, loopback by default. */
    public record Management(@NotBlank String host, @Min(0) @Max(65535) int port) {
    }

    /**
     * The broker. Without {@code external} (no {@code broker.urls} in hub.yaml) the hub embeds Artemis: a journal in
     * {@code journalDirectory}, amqpPort/corePort its TLS listeners for recipients' consumers (0: a free port, -1: off),
     * and the delivery settings below on every address. With {@code external} the hub is a client of an Artemis
     * live/backup pair configured on its own (docs/broker-cluster.md): the journal, ports and delivery settings here
     * are not used.
     */
    public record Broker(
            @NotNull Path journalDirectory,
            @Min(-1) @Max(65535) int amqpPort,
            @Min(-1) @Max(65535) int corePort,
            @Min(1) @Max(100) int maxDeliveryAttempts,
            @NotNull Duration redeliveryDelay,
            @NotNull Duration maxRedeliveryDelay,
            @Valid External external) {

        /** The embedded broker. */
        public Broker(Path journalDirectory, int amqpPort, int corePort, int maxDeliveryAttempts,
                      Duration redeliveryDelay, Duration maxRedeliveryDelay) {
            this(journalDirectory, amqpPort, corePort, maxDeliveryAttempts, redeliveryDelay, maxRedeliveryDelay, null);
        }

        /** Whether the hub embeds its broker (no {@code broker.urls}). */
        public boolean isEmbedded() {
            return external == null;
        }
    }

    /**
     * An external Artemis live/backup pair: {@code urls} the CORE acceptors of both ({@code tcp://host:port}), tried in
     * order and failed over between; the hub connects over TLS only, with its own identity as client certificate and
     * the partnership CA as trust, and logs in as {@code user}, whose password comes from the environment variable
     * {@code passwordEnv} or the first line of {@code passwordFile}, never from hub.yaml. {@code callTimeout}: how long
     * a blocking send, commit or management call waits for the broker (a failover included) before it fails.
     */
    public record External(
            @jakarta.validation.constraints.NotEmpty(message = "must list the brokers' CORE URLs, such as"
                    + " [tcp://broker-a:61617, tcp://broker-b:61617]")
            @Size(max = 8, message = "must list at most 8 brokers (a live/backup pair needs 2)")
            List<@NotNull @jakarta.validation.constraints.Pattern(
                    regexp = "tcp://[A-Za-z0-9.\\-]+:[0-9]{1,5}(\\?name=[A-Za-z0-9._-]+)?",
                    message = "must be tcp://host:port, optionally ?name=NODE (the broker connector's name);"
                            + " TLS is set by broker.tls") String> urls,
            @NotBlank(message = "must name the hub's broker user") String user,
            String passwordEnv,
            Path passwordFile,
            boolean tls,
            @NotNull @DurationMin(millis = 1000, message = "must be at least PT1S") Duration callTimeout) {

        public External {
            urls = urls == null ? null : List.copyOf(urls);
        }

        @jakarta.validation.constraints.AssertTrue(message = "must be true: the hub talks to an external broker over"
                + " TLS only")
        public boolean isTlsOn() {
            return tls;
        }

        @jakarta.validation.constraints.AssertTrue(message = "needs broker.passwordEnv or broker.passwordFile: the"
                + " broker password never lives in hub.yaml")
        public boolean isPasswordSourceGiven() {
            return (passwordEnv != null && !passwordEnv.isBlank()) || passwordFile != null;
        }
    }

    /**
     * The hub's own key and certificate, and the partnership CA it trusts. The key's password
     * never lives in a configuration file: it comes from the environment variable named by
     * {@code keyPasswordEnv} or from {@code keyPasswordFile}. {@code participantCertificates} is a
     * directory of PEM certificates of the participants, grouped by CN; packages are sealed to every
     * valid one of a recipient's. {@code rsaCertificate} (with {@code rsaPrivateKey}, or a PKCS#12 file alone, the
     * same password) is an optional second certificate of the hub's, with an RSA key, for partners whose CMS library
     * encrypts only to RSA: intake opens envelopes addressed to either; the hub still signs with {@code certificate}.
     */
    public record Identity(
            @NotNull Path certificate,
            @NotNull Path privateKey,
            String keyPasswordEnv,
            Path keyPasswordFile,
            @NotNull Path caCertificates,
            Path crl,
            @NotNull Path participantCertificates,
            Path rsaCertificate,
            Path rsaPrivateKey) {

        /** Without an RSA encryption certificate. */
        public Identity(Path certificate, Path privateKey, String keyPasswordEnv, Path keyPasswordFile,
                        Path caCertificates, Path crl, Path participantCertificates) {
            this(certificate, privateKey, keyPasswordEnv, keyPasswordFile, caCertificates, crl, participantCertificates,
                    null, null);
        }
    }

    /**
     * The algorithm policy: what the hub accepts from partners and what it uses for packages. The file may tighten
     * the built-in floor (RSA of 2048 bits, SHA-2 signature digests, AES content encryption) but never loosen it:
     * SHA-1 and MD5 signatures, DES, 3DES and RC2 are refused whatever the file says. The hub signs with SHA-256,
     * so {@code allowedDigests} must keep it, and {@code packageEncryption} must be one of
     * {@code allowedContentEncryption}; {@link SettingsLoader} checks both.
     *
     * @param minRsaBits               smallest RSA key accepted from signers and recipients
     * @param allowedDigests           signature digests accepted ({@link #DIGESTS})
     * @param allowedContentEncryption content encryption accepted on submissions ({@link #CONTENT_ENCRYPTION})
     * @param packageEncryption        content encryption of the packages the hub seals
     * @param rsaKeyTransport          key transport to recipients with RSA certificates
     * @param ecdhKdf                  key derivation of ECDH key agreement to recipients with EC certificates
     */
    public record Crypto(
            @Min(value = 2048, message = "must be at least 2048: RSA keys under 2048 bits are never accepted")
            @Max(value = 16384, message = "must be at most 16384") int minRsaBits,
            @NotNull @Size(min = 1, message = "must name at least one digest") List<String> allowedDigests,
            @NotNull @Size(min = 1, message = "must name at least one algorithm") List<String> allowedContentEncryption,
            @NotNull PackageEncryption packageEncryption,
            @NotNull RsaKeyTransport rsaKeyTransport,
            @NotNull EcdhKdf ecdhKdf) {

        /** The signature digests the file may allow. */
        public static final List<String> DIGESTS = List.of("SHA-256", "SHA-384", "SHA-512");
        /** The content encryption algorithms the file may allow. */
        public static final List<String> CONTENT_ENCRYPTION = List.of("AES-256-GCM", "AES-256-CBC", "AES-192-GCM",
                "AES-192-CBC", "AES-128-GCM", "AES-128-CBC");

        /** AES-256-GCM in AuthEnvelopedData, or AES-256-CBC in EnvelopedData. */
        public enum PackageEncryption {
            AES_256_GCM("AES-256-GCM"), AES_256_CBC("AES-256-CBC");

            private final String algorithm;

            PackageEncryption(String algorithm) {
                this.algorithm = algorithm;
            }

            /** Its name in {@code allowedContentEncryption}. */
            public String algorithm() {
                return algorithm;
            }
        }

        /** RSA-OAEP with SHA-256 (and MGF1-SHA-256), or PKCS#1 v1.5. */
        public enum RsaKeyTransport { OAEP_SHA256, PKCS1_V15 }

        /** The X9.63 KDF hash of ECDH (dhSinglePass-stdDH-sha256kdf or -sha1kdf). */
        public enum EcdhKdf { SHA256, SHA1 }

        public Crypto {
            allowedDigests = allowedDigests == null ? null : List.copyOf(allowedDigests);
            allowedContentEncryption = allowedContentEncryption == null ? null : List.copyOf(allowedContentEncryption);
        }

        /** RSA 2048, SHA-256/384/512, AES-256 GCM and CBC accepted; packages in AES-256-GCM, OAEP-SHA256, SHA-256 KDF. */
        public static Crypto defaults() {
            return new Crypto(2048, DIGESTS, List.of("AES-256-GCM", "AES-256-CBC"), PackageEncryption.AES_256_GCM,
                    RsaKeyTransport.OAEP_SHA256, EcdhKdf.SHA256);
        }
    }

    /**
     * The audit store: an embedded H2 database by default, or any JDBC URL (PostgreSQL). Events older than
     * {@code retention} are purged daily (a signed checkpoint marks the new start); the flow report counts a
     * package as unacknowledged once it has waited longer than {@code unacknowledgedAfter}.
     */
    public record Audit(@NotBlank String jdbcUrl, String user, String passwordEnv, Path passwordFile,
                        @NotNull Duration checkpointInterval,
                        @NotNull java.time.Period retention,
                        @NotNull Duration unacknowledgedAfter) {
    }

    /**
     * The registry (receipts, deliveries, the inbox index, the link store): with no {@code jdbcUrl} the embedded H2
     * file in {@code <dataDirectory>/registry}, or a PostgreSQL database ({@code jdbc:postgresql://host:5432/db}),
     * which several hub nodes can share. An {@code jdbc:h2:} URL names an H2 file of one's own. The password, as the
     * audit store's, comes from the environment variable {@code passwordEnv} or the first line of {@code passwordFile}.
     */
    public record Registry(
            @jakarta.validation.constraints.Pattern(regexp = "jdbc:(postgresql|h2):.+",
                    message = "must be a PostgreSQL URL (jdbc:postgresql://host:5432/database) or an H2 one"
                            + " (jdbc:h2:file:/path/registry); leave it out for the embedded registry in dataDirectory")
            String jdbcUrl,
            String user,
            String passwordEnv,
            Path passwordFile) {

        /** The embedded H2 file in {@code <dataDirectory>/registry}, as before the setting existed. */
        public static Registry embedded() {
            return new Registry(null, "hub", "HUB_REGISTRY_PASSWORD", null);
        }

        /** Whether the registry is the embedded H2 file in the data directory. */
        public boolean isEmbedded() {
            return jdbcUrl == null;
        }
    }
}
