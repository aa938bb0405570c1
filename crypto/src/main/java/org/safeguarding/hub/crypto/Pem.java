package org.safeguarding.hub.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reading and writing PEM: certificates, private keys (PKCS#8 and traditional OpenSSL forms), CRLs. */
public final class Pem {
    private Pem() {}

    /** The first certificate in the file. */
    public static X509Certificate readCertificate(Path p) throws IOException {
        return readCertificates(p).get(0);
    }

    /** Every certificate in the file, in file order (a bundle or a chain, leaf first). */
    public static List<X509Certificate> readCertificates(Path p) throws IOException {
        return certificatesFrom(Files.readAllBytes(p), p.toString());
    }

    static List<X509Certificate> certificatesFrom(byte[] pem, String p) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        for (Object o : readAll(pem, p)) {
            if (o instanceof X509CertificateHolder h) {
                out.add(toCertificate(h.getEncoded()));
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no CERTIFICATE in " + p);
        }
        return out;
    }

    /** The unencrypted private key in the file: PKCS#8 "PRIVATE KEY", or "EC PRIVATE KEY" / "RSA PRIVATE KEY". */
    public static PrivateKey readPrivateKey(Path p) throws IOException {
        return readPrivateKey(p, null);
    }

    /**
     * The private key in the file: PKCS#8 "PRIVATE KEY", "ENCRYPTED PRIVATE KEY" (PBES2, as {@code openssl pkcs8
     * -topk8} writes it) or the older "EC PRIVATE KEY" / "RSA PRIVATE KEY", encrypted ("Proc-Type: 4,ENCRYPTED") or
     * not. An encrypted key needs {@code passwordOrNull}; a wrong one is refused without saying more.
     */
    public static PrivateKey readPrivateKey(Path p, char[] passwordOrNull) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Providers.bc());
        for (Object o : readAll(Files.readAllBytes(p), p.toString())) {
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair kp) {
                return converter.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                if (passwordOrNull == null || passwordOrNull.length == 0) {
                    throw new IOException("the private key in " + p + " is encrypted: give its password");
                }
                try {
                    if (o instanceof PKCS8EncryptedPrivateKeyInfo e) {
                        return converter.getPrivateKey(e.decryptPrivateKeyInfo(
                                new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder()
                                        .setProvider(Providers.bc()).build(passwordOrNull)));
                    }
                    return converter.getKeyPair(((PEMEncryptedKeyPair) o).decryptKeyPair(
                            new org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder()
                                    .setProvider(Providers.bc()).build(passwordOrNull))).getPrivate();
                } catch (org.bouncycastle.pkcs.PKCSException | org.bouncycastle.operator.OperatorCreationException
                         | IOException e) {
                    throw new IOException("the private key in " + p + " cannot be decrypted (wrong password, or an"
                            + " encryption it does not support)");
                }
            }
        }
        throw new IOException("no PRIVATE KEY in " + p);
    }

    /** The first CRL in the file. */
    public static X509CRL readCrl(Path p) throws IOException {
        return readCrls(p).get(0);
    }

    /** Every CRL in the file (one per issuing CA). */
    public static List<X509CRL> readCrls(Path p) throws IOException {
        return crlsFrom(Files.readAllBytes(p), p.toString());
    }

    static List<X509CRL> crlsFrom(byte[] pem, String p) throws IOException {
        List<X509CRL> out = new ArrayList<>();
        for (Object o : readAll(pem, p)) {
            if (o instanceof X509CRLHolder h) {
                out.add(toCrl(h.getEncoded()));
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no X509 CRL in " + p);
        }
        return out;
    }

    public static String encode(X509Certificate c) {
        return write(c);
    }

    /** Unencrypted PKCS#8 "PRIVATE KEY". */
    public static String encode(PrivateKey k) {
        try {
            return write(new JcaPKCS8Generator(k, null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalArgumentException("cannot encode private key", e);
        }
    }

    public static String encode(X509CRL crl) {
        return write(crl);
    }

    static X509Certificate toCertificate(byte[] der) throws IOException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509", Providers.CERTIFICATES).generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IOException("invalid certificate", e);
        }
    }

    static X509CRL toCrl(byte[] der) throws IOException {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509", Providers.CERTIFICATES).generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IOException("invalid CRL", e);
        }
    }

    private static List<Object> readAll(byte[] pem, String p) throws IOException {
        List<Object> out = new ArrayList<>();
        try (Reader r = new java.io.InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                out.add(o);
            }
        } catch (RuntimeException e) {
            throw new IOException("malformed PEM in " + p, e);
        }
        return out;
    }

    private static String write(Object o) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }
}
