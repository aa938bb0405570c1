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
        X500Name name = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        RDN[] rdns = name.getRDNs(BCStyle.CN);
        if (rdns.length == 0 || rdns[0].getFirst() == null) {
            return "";
        }
        return IETFUtils.valueToString(rdns[0].getFirst().getValue());
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
