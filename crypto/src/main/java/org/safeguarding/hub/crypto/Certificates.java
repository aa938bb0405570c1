package org.safeguarding.hub.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Small certificate helpers. */
public final class Certificates {
    private Certificates() {}

    /** The first CN of the subject, or the empty string when there is none (never a valid participant id). */
    /**
     * Whether a package may be sealed to {@code c}: its key usage, if it has one, allows key agreement (an EC key) or
     * key encipherment (an RSA key). A certificate without the extension allows any use (RFC 5280, 4.2.1.3).
     */
    public static boolean allowsSealingTo(X509Certificate c) {
        boolean[] usage = c.getKeyUsage();
        if (usage == null) {
            return true;
        }
        int bit = "RSA".equals(c.getPublicKey().getAlgorithm()) ? 2 : 4; // keyEncipherment(2), keyAgreement(4)
        return usage.length > bit && usage[bit];
    }

    public static String commonName(X509Certificate c) {
        return firstValue(c, BCStyle.CN);
    }

    /**
     * The first OU of the subject, or the empty string. A person's certificate names the participant the person acts
     * for there (and the person in its CN); a participant's own certificate has none.
     */
    public static String organisationalUnit(X509Certificate c) {
        return firstValue(c, BCStyle.OU);
    }

    private static String firstValue(X509Certificate c, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        X500Name name = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length == 0 || rdns[0].getFirst() == null) {
            return "";
        }
        return IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /**
     * A person's name as an identifier: lower case, every run of other characters one hyphen, none at the ends
     * ({@code "Jane O'Neil"} is {@code jane-o-neil}); empty when nothing is left. File names and audit actors use it.
     */
    public static String slug(String name) {
        return name.strip().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    }

    /** id-kp-clientAuth (RFC 5280, 4.2.1.12). */
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    /**
     * Whether {@code c} serves for TLS client authentication and nothing else, as a person's certificate must: its
     * extended key usage is clientAuth alone, and its key usage allows neither key encipherment, data encipherment
     * nor key agreement (so no package can ever be sealed to it) nor certificate signing.
     */
    public static boolean tlsClientOnly(X509Certificate c) {
        try {
            java.util.List<String> eku = c.getExtendedKeyUsage();
            boolean[] usage = c.getKeyUsage();
            if (eku == null || !eku.equals(java.util.List.of(CLIENT_AUTH)) || usage == null) {
                return false;
            }
            for (int bit : new int[] {2, 3, 4, 5, 6}) { // keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign
                if (usage.length > bit && usage[bit]) {
                    return false;
                }
            }
            return usage.length > 0 && usage[0]; // digitalSignature: the TLS handshake's CertificateVerify
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    /** Lower-case hex SHA-256 of the DER certificate, no separators. */
    public static String sha256Fingerprint(X509Certificate c) {
        try {
            return sha256Hex(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256", Providers.DIGEST);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static boolean isSelfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Key size in bits: RSA modulus length, EC field size; -1 when unknown. */
    static int keyBits(PublicKey k) {
        if (k instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (k instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        return -1;
    }
}
