package org.safeguarding.hub.partnership;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The CMS package format a participant can open, declared as {@code packageFormat} in {@code partnership.yaml}: what
 * the hub seals that participant's packages (and its own notices to it) in. Not every CMS library opens every format:
 * .NET's {@code EnvelopedCms} has no AuthEnvelopedData, Python's {@code cryptography} decrypts only EnvelopedData with
 * RSA PKCS#1 v1.5 key transport.
 */
public enum PackageFormat {
    /** AuthEnvelopedData, AES-256-GCM; RSA-OAEP (SHA-256) to an RSA certificate, ECDH to an EC one. The default. */
    AUTH_ENVELOPED_AES256_GCM("auth-enveloped-aes256-gcm", false, false),
    /** EnvelopedData, AES-256-CBC, RSA-OAEP with SHA-256 and MGF1-SHA-256: needs an RSA certificate. */
    ENVELOPED_AES256_CBC_RSA_OAEP("enveloped-aes256-cbc-rsa-oaep", true, false),
    /**
     * EnvelopedData, AES-256-CBC, RSA PKCS#1 v1.5 key transport: needs an RSA certificate and
     * {@code allowRsaPkcs1v15: true} for the participant (its padding is Bleichenbacher's target: crypto/README.md).
     */
    ENVELOPED_AES256_CBC_RSA_PKCS1("enveloped-aes256-cbc-rsa-pkcs1", true, true);

    private final String yamlName;
    private final boolean rsaOnly;
    private final boolean rsaPkcs1;

    PackageFormat(String yamlName, boolean rsaOnly, boolean rsaPkcs1) {
        this.yamlName = yamlName;
        this.rsaOnly = rsaOnly;
        this.rsaPkcs1 = rsaPkcs1;
    }

    /** The name in {@code partnership.yaml}. */
    public String yamlName() {
        return yamlName;
    }

    /** Whether the format is sealed to RSA certificates only (key transport; EnvelopedData). */
    public boolean rsaOnly() {
        return rsaOnly;
    }

    /** Whether the format uses RSA PKCS#1 v1.5 key transport. */
    public boolean rsaPkcs1() {
        return rsaPkcs1;
    }

    /** Whether the envelope is AuthEnvelopedData (AES-GCM); EnvelopedData (AES-CBC) otherwise. */
    public boolean authenticated() {
        return this == AUTH_ENVELOPED_AES256_GCM;
    }

    /** The format named {@code yamlName}, if any. */
    public static Optional<PackageFormat> fromYaml(String yamlName) {
        return Arrays.stream(values()).filter(f -> f.yamlName.equals(yamlName)).findFirst();
    }

    /** Every name, in declaration order, for messages. */
    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(PackageFormat::yamlName).toList();
    }
}
