package org.safeguarding.hub.sftp;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/** The SFTP server's host key: generated once (EC P-256) into a file only the hub's user can read, then kept. */
final class HostKey {
    private HostKey() {
    }

    static SimpleGeneratorHostKeyProvider loadOrCreate(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
        provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
        provider.setKeySize(256);
        List<KeyPair> keys = provider.loadKeys(null);
        if (keys.isEmpty()) {
            throw new IOException("no SFTP host key in " + file);
        }
        if (posix) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return provider;
    }

    static String fingerprint(SimpleGeneratorHostKeyProvider provider) throws IOException {
        for (KeyPair k : provider.loadKeys(null)) {
            return KeyUtils.getFingerPrint(k.getPublic());
        }
        return "none";
    }
}
