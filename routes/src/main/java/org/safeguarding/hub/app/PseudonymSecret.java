package org.safeguarding.hub.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub secret behind pseudonyms: 32 random bytes in a file outside the configuration, made
 * once on first start and kept (pseudonyms stay stable only while it does). Never shown to anyone.
 */
final class PseudonymSecret {
    private static final Logger LOG = LoggerFactory.getLogger(PseudonymSecret.class);
    static final int LENGTH = 32;

    private PseudonymSecret() {
    }

    static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] secret = new byte[LENGTH];
                new SecureRandom().nextBytes(secret);
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                try {
                    // owner-only from the first byte
                    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(tmp);
                }
                Files.write(tmp, secret);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                LOG.info("created the secret {} (32 random bytes, owner-only); keep it and back it up", file);
                return secret;
            }
            byte[] secret = Files.readAllBytes(file);
            if (secret.length != LENGTH) {
                throw new HubException(ErrorCode.INVALID_CONFIGURATION, "pseudonymKeyFile " + file + " must hold exactly "
                        + LENGTH + " bytes; restore it from backup (a new one changes every pseudonym).");
            }
            return secret;
        } catch (IOException e) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION, "pseudonymKeyFile " + file + " cannot be read or made: "
                    + e.getMessage());
        }
    }
}
