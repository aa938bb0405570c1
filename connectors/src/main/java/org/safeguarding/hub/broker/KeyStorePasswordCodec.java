package org.safeguarding.hub.broker;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.utils.SensitiveDataCodec;

/**
 * Keeps the broker's key store password out of Artemis's acceptor parameters, which Artemis prints whole when an
 * acceptor fails to start (AMQ224104) and shows to management. The parameters carry {@code ENC(reference)} and
 * {@code passwordCodec} names this class: Artemis asks it for the password behind the reference, which only this JVM
 * holds, and only while the broker that wrote the key store runs. A reference is random and means nothing elsewhere.
 * Public with a public constructor because Artemis instantiates it by name.
 */
public final class KeyStorePasswordCodec implements SensitiveDataCodec<String> {
    private static final Map<String, String> HELD = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    public KeyStorePasswordCodec() {
    }

    /** Holds {@code password} in memory and returns the {@code ENC(reference)} that stands for it. */
    static String hold(String password) {
        byte[] r = new byte[16];
        RANDOM.nextBytes(r);
        String reference = "hub-" + HexFormat.of().formatHex(r);
        HELD.put(reference, password);
        return "ENC(" + reference + ")";
    }

    /** Forgets the password behind {@code masked} (as {@link #hold} returned it). */
    static void release(String masked) {
        if (masked != null && masked.startsWith("ENC(") && masked.endsWith(")")) {
            HELD.remove(masked.substring(4, masked.length() - 1));
        }
    }

    @Override
    public String decode(Object reference) {
        String password = reference == null ? null : HELD.get(reference.toString());
        if (password == null) {
            throw new IllegalStateException("no key store password is held for this broker any more");
        }
        return password;
    }

    @Override
    public String encode(Object secret) {
        throw new UnsupportedOperationException("the hub's broker passwords are held in memory, never encoded");
    }
}
