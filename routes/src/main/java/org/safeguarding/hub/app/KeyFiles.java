package org.safeguarding.hub.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Warns when a private key file can be read by other users of the machine. */
final class KeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);

    private KeyFiles() {
    }

    static boolean warnIfReadableByOthers(Path key) {
        try {
            if (!Files.exists(key)) {
                return false;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warn("the private key {} is readable by other users: run chmod 600 on it", key);
                return true;
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot read the permissions of {}: {}", key, e.toString());
        }
        return false;
    }
}
