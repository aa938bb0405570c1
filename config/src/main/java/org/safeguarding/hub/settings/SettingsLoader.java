package org.safeguarding.hub.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/**
 * Reads {@code hub.yaml} from a configuration directory. Every key is optional and falls
 * back to the documented default; a present key with a bad value stops the hub with the
 * file, the path inside it and what is wrong, all problems at once.
 */
public final class SettingsLoader {
    public static final String FILE_NAME = "hub.yaml";


    private static HubSettings.Http http(SettingsReader r) {
        long maxBytes = r.longValue("http.maxSubmissionBytes", 64L * 1024 * 1024);
        int concurrent = r.integer("http.maxConcurrentSubmissions", 32);
        return new HubSettings.Http(
                r.text("http.host", "0.0.0.0"),
                r.integer("http.port", 8443),
                maxBytes,
                concurrent,
                r.integer("http.maxSubmissionsPerPartner", HubSettings.Http.defaultPerPartner(concurrent)),
                r.longValue("http.minBodyBytesPerSecond", HubSettings.Http.DEFAULT_MIN_BODY_BYTES_PER_SECOND),
                r.duration("http.bodyDeadline", HubSettings.Http.DEFAULT_BODY_DEADLINE),
                r.longValue("http.maxSpooledBytes", HubSettings.Http.defaultSpool(maxBytes)),
                r.text("http.publicBaseUrl", null));
    }

    private SettingsLoader() {
    }

    /** A constraint's property path as the key in hub.yaml: the external broker's keys sit under {@code broker.}. */
    static String yamlPath(String propertyPath) {
        String p = propertyPath.replace(".<list element>", "");
        if (p.startsWith("broker.external.")) {
            p = "broker." + p.substring("broker.external.".length());
        }
        return p.replace("broker.tlsOn", "broker.tls").replace("broker.passwordSourceGiven", "broker.passwordEnv");
    }

    /** The external broker pair when {@code broker.urls} is given; otherwise null (the embedded broker). */
    private static HubSettings.External externalBroker(SettingsReader r) {
        List<String> urls = r.strings("broker.urls");
        String user = r.text("broker.user", "hub-node");
        String passwordEnv = r.text("broker.passwordEnv", null);
        java.nio.file.Path passwordFile = r.optionalPath("broker.passwordFile");
        boolean tls = r.bool("broker.tls", true);
        Duration callTimeout = r.duration("broker.callTimeout", Duration.ofSeconds(30));
        if (urls == null) {
            return null;
        }
        return new HubSettings.External(urls, user,
                passwordEnv == null && passwordFile == null ? "HUB_BROKER_PASSWORD" : passwordEnv, passwordFile, tls,
                callTimeout);
    }

    public static HubSettings load(Path configDirectory) {
        Path dir = configDirectory.toAbsolutePath().normalize();
        Path file = dir.resolve(FILE_NAME);
        ObjectNode root;
        try {
            if (Files.exists(file)) {
                JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
                if (node != null && !node.isMissingNode() && !node.isNull() && !(node instanceof ObjectNode)) {
                    throw new HubException(ErrorCode.INVALID_CONFIGURATION, file
                            + ": must be a mapping of settings (key: value), not a list or a single value");
                }
                root = node instanceof ObjectNode o ? o : new ObjectMapper().createObjectNode();
            } else {
                root = new ObjectMapper().createObjectNode();
            }
        } catch (IOException e) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION,
                    file + ": not readable YAML (" + firstLine(e.getMessage()) + ")");
        }
        List<FieldError> problems = new ArrayList<>();
        SettingsReader r = new SettingsReader(root, dir, problems);
        Path data = r.path("dataDirectory", "data");
        HubSettings settings = new HubSettings(
                dir,
                data,
                r.path("partnershipFile", "partnership.yaml"),
                http(r),
                new HubSettings.Management(
                        r.text("management.host", "127.0.0.1"),
                        r.integer("management.port", 9876)),
                new HubSettings.Broker(
                        r.pathUnder("broker.journalDirectory", data, "broker"),
                        r.integer("broker.amqpPort", 5671),
                        r.integer("broker.corePort", 61617),
                        r.integer("broker.maxDeliveryAttempts", 10),
                        r.duration("broker.redeliveryDelay", Duration.ofSeconds(1)),
                        r.duration("broker.maxRedeliveryDelay", Duration.ofMinutes(5)),
                        externalBroker(r)),
                new HubSettings.Identity(
                        r.path("identity.certificate", "pki/hub.pem"),
                        r.path("identity.privateKey", "pki/hub.key"),
                        r.text("identity.keyPasswordEnv", "HUB_KEY_PASSWORD"),
                        r.optionalPath("identity.keyPasswordFile"),
                        r.path("identity.caCertificates", "pki/ca.pem"),
                        r.optionalPath("identity.crl"),
                        r.path("identity.participantCertificates", "pki"),
                        r.optionalPath("identity.rsaCertificate"),
                        r.optionalPath("identity.rsaPrivateKey")),
                crypto(r, problems),
                new HubSettings.Audit(
                        // the hub closes the store itself at stop, after recording the stop and signing the head:
                        // H2's own shutdown hook must not close it first
                        r.text("audit.jdbcUrl", "jdbc:h2:file:" + data.resolve("audit").resolve("audit")
                                + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE"),
                        r.text("audit.user", "hub"),
                        r.text("audit.passwordEnv", "HUB_AUDIT_PASSWORD"),
                        r.optionalPath("audit.passwordFile"),
                        r.duration("audit.checkpointInterval", Duration.ofMinutes(5)),
                        retention(r, problems),
                        r.duration("audit.unacknowledgedAfter", Duration.ofDays(2))),
                new HubSettings.Registry(
                        r.text("registry.jdbcUrl", null),
                        r.text("registry.user", HubSettings.Registry.embedded().user()),
                        r.text("registry.passwordEnv", HubSettings.Registry.embedded().passwordEnv()),
                        r.optionalPath("registry.passwordFile")),
                r.path("pseudonymKeyFile", data.resolve("secrets").resolve("pseudonym.key").toString()),
                r.duration("partnershipReloadInterval", Duration.ofSeconds(10)),
                r.duration("packageExpiry", Duration.ofDays(5)),
                r.duration("packageExpiryScanInterval", Duration.ofMinutes(5)),
                new HubSettings.Sftp(
                        r.text("sftp.host", "0.0.0.0"),
                        r.integer("sftp.port", 2222)),
                new HubSettings.Routing(
                        r.integer("routing.consumers", HubSettings.Routing.defaultConsumers()),
                        r.longValue("routing.maxBacklog", 2_000)),
                new HubSettings.Links(
                        r.path("links.keyDirectory", data.resolve("secrets").resolve("linking").toString()),
                        r.duration("links.retention", Duration.ofDays(90))),
                r.duration("expiryWarning", Duration.ofDays(30)));
        r.rejectUnknownKeys();
        try (ValidatorFactory factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory()) {
            Validator validator = factory.getValidator();
            Set<ConstraintViolation<HubSettings>> violations = validator.validate(settings);
            violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .forEach(v -> problems.add(new FieldError(yamlPath(v.getPropertyPath().toString()), v.getMessage())));
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder(file.toString()).append(": ")
                    .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
            problems.forEach(p -> sb.append(System.lineSeparator()).append("  ").append(p.path())
                    .append(": ").append(p.message()));
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, sb.toString(), problems);
        }
        return settings;
    }

    /** The {@code crypto} block: each name checked against what may be allowed, then the two cross-checks. */
    private static HubSettings.Crypto crypto(SettingsReader r, List<FieldError> problems) {
        HubSettings.Crypto d = HubSettings.Crypto.defaults();
        HubSettings.Crypto c = new HubSettings.Crypto(
                r.integer("crypto.minRsaBits", d.minRsaBits()),
                r.names("crypto.allowedDigests", HubSettings.Crypto.DIGESTS,
                        " (SHA-1 and MD5 signatures are never accepted)", d.allowedDigests()),
                r.names("crypto.allowedContentEncryption", HubSettings.Crypto.CONTENT_ENCRYPTION,
                        " (DES, 3DES and RC2 are never accepted)", d.allowedContentEncryption()),
                r.choice("crypto.packageEncryption", HubSettings.Crypto.PackageEncryption.class, d.packageEncryption()),
                r.choice("crypto.rsaKeyTransport", HubSettings.Crypto.RsaKeyTransport.class, d.rsaKeyTransport()),
                r.choice("crypto.ecdhKdf", HubSettings.Crypto.EcdhKdf.class, d.ecdhKdf()));
        if (!c.allowedDigests().isEmpty() && !c.allowedDigests().contains("SHA-256")) {
            problems.add(new FieldError("crypto.allowedDigests",
                    "must include SHA-256: the hub signs its packages with it"));
        }
        if (!c.allowedContentEncryption().isEmpty()
                && !c.allowedContentEncryption().contains(c.packageEncryption().algorithm())) {
            problems.add(new FieldError("crypto.packageEncryption", "must be one of crypto.allowedContentEncryption ("
                    + c.packageEncryption().algorithm() + " is not in it)"));
        }
        return c;
    }

    /** {@code audit.retention}: an ISO-8601 period of at least a day (default P7Y). */
    private static java.time.Period retention(SettingsReader r, List<FieldError> problems) {
        java.time.Period fallback = java.time.Period.ofYears(7);
        String s = r.text("audit.retention", null);
        if (s == null) {
            return fallback;
        }
        try {
            java.time.Period p = java.time.Period.parse(s);
            if (p.isNegative() || p.toTotalMonths() == 0 && p.getDays() < 1) {
                problems.add(new FieldError("audit.retention", "must be at least one day, such as P7Y or P90D"));
                return fallback;
            }
            return p;
        } catch (java.time.format.DateTimeParseException e) {
            problems.add(new FieldError("audit.retention", "must be an ISO-8601 period such as P7Y, P6M or P90D"));
            return fallback;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
