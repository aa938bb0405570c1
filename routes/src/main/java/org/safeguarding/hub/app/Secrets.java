package org.safeguarding.hub.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/** Passwords come from the environment or from a file, never from a configuration file itself. */
final class Secrets {
    private Secrets() {
    }

    /** The environment variable if set, else the first line of the file if given, else the fallback. */
    static String read(String envName, Path file, String fallback) {
        if (envName != null && !envName.isBlank()) {
            String v = System.getenv(envName);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        if (file != null) {
            try {
                String s = Files.readString(file, StandardCharsets.UTF_8);
                int nl = s.indexOf('\n');
                return (nl < 0 ? s : s.substring(0, nl)).strip();
            } catch (IOException e) {
                throw new HubException(ErrorCode.INVALID_CONFIGURATION, "the password file " + file
                        + " cannot be read: " + e.getMessage());
            }
        }
        return fallback;
    }
}
