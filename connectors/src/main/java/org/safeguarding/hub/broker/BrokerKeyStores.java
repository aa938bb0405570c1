package org.safeguarding.hub.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The PKCS#12 key store (hub key and chain) and trust store (partnership CA certificates) that
 * Artemis's acceptors read. Written afresh at every start into a directory only the hub's user
 * can read, under a random password that lives only in this object (Artemis's parameters name it by
 * reference only, see {@link KeyStorePasswordCodec}), and deleted at stop: the files are useless once the process
 * is gone.
 */
final class BrokerKeyStores {
    static final String TYPE = "PKCS12";

    private final Path keyStore;
    private final Path trustStore;
    private final String password;
    private final String maskedPassword;

    private BrokerKeyStores(Path keyStore, Path trustStore, String password) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.password = password;
        this.maskedPassword = KeyStorePasswordCodec.hold(password);
    }

    static BrokerKeyStores write(Path dir, BrokerTls tls) throws IOException, GeneralSecurityException {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        ownerOnlyDirectory(dir);

        KeyStore keys = KeyStore.getInstance(TYPE);
        keys.load(null, null);
        List<Certificate> chain = new ArrayList<>();
        chain.add(tls.identity().certificate());
        for (X509Certificate c : tls.identity().chain()) {
            if (!c.equals(tls.identity().certificate())) {
                chain.add(c);
            }
        }
        keys.setKeyEntry("hub", tls.identity().privateKey(), password.toCharArray(), chain.toArray(new Certificate[0]));

        KeyStore trust = KeyStore.getInstance(TYPE);
        trust.load(null, null);
        int i = 0;
        for (X509Certificate ca : tls.trusted()) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        Path keyFile = dir.resolve("broker-key.p12");
        Path trustFile = dir.resolve("broker-trust.p12");
        store(keys, keyFile, password);
        store(trust, trustFile, password);
        return new BrokerKeyStores(keyFile, trustFile, password);
    }

    private static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void store(KeyStore ks, Path file, String password) throws IOException, GeneralSecurityException {
        Files.deleteIfExists(file);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ks.store(out, password.toCharArray());
        }
    }

    Path keyStore() {
        return keyStore;
    }

    Path trustStore() {
        return trustStore;
    }

    String password() {
        return password;
    }

    /** What Artemis's parameters carry instead of the password ({@link KeyStorePasswordCodec}): nothing to log. */
    String maskedPassword() {
        return maskedPassword;
    }

    void delete() {
        KeyStorePasswordCodec.release(maskedPassword);
        try {
            Files.deleteIfExists(keyStore);
            Files.deleteIfExists(trustStore);
        } catch (IOException e) {
            // the files are under a password that died with this object
        }
    }
}
