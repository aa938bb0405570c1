package org.safeguarding.hub.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.safeguarding.hub.crypto.Certificates;
import org.safeguarding.hub.http.Caller;

/**
 * The token a console form carries back, so that a page of another site cannot make a person's browser send one (the
 * browser would present the person's certificate to the hub all the same): an HMAC, under a key made at each start,
 * of who the caller is and the certificate they signed in with. Nothing is stored; a restart ends every open form.
 */
final class FormTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final SecretKeySpec key;

    FormTokens() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, "HmacSHA256");
    }

    String of(Caller caller) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            String who = caller.actor() + "|" + (caller.certificate() == null ? ""
                    : Certificates.sha256Fingerprint(caller.certificate()));
            return B64.encodeToString(mac.doFinal(who.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    boolean matches(Caller caller, String token) {
        return token != null && MessageDigest.isEqual(of(caller).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
