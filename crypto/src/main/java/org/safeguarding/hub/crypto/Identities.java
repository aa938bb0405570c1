package org.safeguarding.hub.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Loads an {@link Identity} from PEM files or a PKCS#12 file. */
public final class Identities {
    private Identities() {}

    /** Certificate PEM (leaf first, optionally followed by its chain) and a private key PEM. The key must match the certificate. */
    public static Identity fromPem(Path certificatePem, Path privateKeyPem) throws IOException {
        return fromPem(certificatePem, privateKeyPem, null);
    }

    /** {@link #fromPem(Path, Path)} with the key encrypted under {@code passwordOrNull} (see {@link Pem#readPrivateKey(Path, char[])}). */
    public static Identity fromPem(Path certificatePem, Path privateKeyPem, char[] passwordOrNull) throws IOException {
        List<X509Certificate> certs = Pem.readCertificates(certificatePem);
        PrivateKey key = Pem.readPrivateKey(privateKeyPem, passwordOrNull);
        checkKeyMatches(key, certs.get(0), certificatePem);
        return new Identity(key, certs.get(0), certs);
    }

    /** The first key entry of a PKCS#12 file. */
    public static Identity fromPkcs12(Path p12, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(p12)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            for (String alias : Collections.list(ks.aliases())) {
                if (!ks.isKeyEntry(alias)) {
                    continue;
                }
                Key key = ks.getKey(alias, password);
                Certificate[] chain = ks.getCertificateChain(alias);
                if (!(key instanceof PrivateKey pk) || chain == null || chain.length == 0) {
                    continue;
                }
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : chain) {
                    certs.add((X509Certificate) c);
                }
                return new Identity(pk, certs.get(0), certs);
            }
            throw new IOException("no private key entry in " + p12);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read PKCS#12 " + p12 + " (wrong password or damaged file)", e);
        }
    }

    /**
     * PKCS#12 when the first path ends in .p12 or .pfx (key path ignored), otherwise certificate PEM plus key PEM; the
     * password opens the PKCS#12 or an encrypted key.
     */
    public static Identity load(Path certificateOrP12, Path keyOrNull, char[] passwordOrNull) throws IOException {
        String name = certificateOrP12.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return fromPkcs12(certificateOrP12, passwordOrNull == null ? new char[0] : passwordOrNull);
        }
        if (keyOrNull == null) {
            throw new IOException("a private key file is needed with certificate " + certificateOrP12);
        }
        return fromPem(certificateOrP12, keyOrNull, passwordOrNull);
    }

    private static void checkKeyMatches(PrivateKey key, X509Certificate cert, Path where) throws IOException {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> null;
        };
        if (alg == null) {
            throw new IOException("unsupported key algorithm " + key.getAlgorithm());
        }
        try {
            byte[] probe = "key-match-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg, Providers.bc());
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg, Providers.bc());
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (!v.verify(sig)) {
                throw new IOException("private key does not match certificate " + where);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("private key does not match certificate " + where, e);
        }
    }
}
