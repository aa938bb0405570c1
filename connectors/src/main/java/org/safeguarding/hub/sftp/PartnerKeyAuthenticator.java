package org.safeguarding.hub.sftp;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets user {@code P} in only with the public key of a currently valid certificate of {@code P} (the SSH
 * form of the partner's own certificate key), and only while {@code P} is a partner of the partnership.
 * Nothing else logs in: no passwords, no other keys.
 */
public final class PartnerKeyAuthenticator implements PublickeyAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(PartnerKeyAuthenticator.class);

    private final CertificateDirectory certificates;
    private final Predicate<String> isPartner;
    private final Clock clock;

    public PartnerKeyAuthenticator(CertificateDirectory certificates, Predicate<String> isPartner, Clock clock) {
        this.certificates = certificates;
        this.isPartner = isPartner;
        this.clock = clock;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        boolean ok = certificateFor(username, key).isPresent();
        if (!ok) {
            LOG.info("sftp login refused for account {} from {}", DropFolders.isAccountName(username)
                    ? username : "(not an account name)", session == null ? "-" : session.getClientAddress());
        }
        return ok;
    }

    /** The currently valid certificate of {@code partnerId} whose public key is {@code key}, if any. */
    public Optional<X509Certificate> certificateFor(String partnerId, PublicKey key) {
        if (partnerId == null || key == null || !DropFolders.isAccountName(partnerId) || !isPartner.test(partnerId)) {
            return Optional.empty();
        }
        return certificates.validCertificates(partnerId, clock.instant()).stream()
                .filter(c -> sameKey(c.getPublicKey(), key))
                .findFirst();
    }

    static boolean sameKey(PublicKey a, PublicKey b) {
        return KeyUtils.compareKeys(a, b) || Arrays.equals(a.getEncoded(), b.getEncoded());
    }
}
