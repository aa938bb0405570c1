package org.safeguarding.hub.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.activemq.artemis.utils.SensitiveDataCodec;

/**
 * For a standalone broker's {@code broker.xml}: {@code ENC(/path/to/file)} stands for the first line of that file (a
 * key store, trust store or cluster password, in a file only the broker's user can read), so that the password itself
 * is never in the configuration, nor in what Artemis logs of an acceptor's or connector's parameters. Named by
 * {@code passwordCodec=} in an acceptor or connector URL and by {@code <password-codec>} for the cluster password.
 * Public with a public constructor because Artemis instantiates it by name.
 */
public final class SecretFileCodec implements SensitiveDataCodec<String> {
    public SecretFileCodec() {
    }

    @Override
    public String decode(Object reference) {
        if (reference == null) {
            throw new IllegalStateException("no secret file named");
        }
        Path file = Path.of(reference.toString().trim());
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                throw new IllegalStateException("the secret file " + file + " is empty");
            }
            return lines.get(0).strip();
        } catch (IOException e) {
            throw new IllegalStateException("the secret file " + file + " cannot be read (" + e.getClass()
                    .getSimpleName() + ")");
        }
    }

    @Override
    public String encode(Object secret) {
        throw new UnsupportedOperationException("a secret file is written by whoever sets up the broker, not encoded");
    }
}
