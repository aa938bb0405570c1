package org.safeguarding.hub.sftp;

import java.security.cert.X509Certificate;
import org.safeguarding.hub.spool.SealedBody;

/**
 * The hub's intake as the SFTP drop sees it: the one intake port every transport uses (in routes), so the same checks,
 * audit and answers as the HTTPS {@code POST /submissions}. The drop only moves files; it never opens an envelope
 * itself.
 */
@FunctionalInterface
public interface DropIntake {
    /**
     * @param partnerId   the SFTP account (the partner's id, whose certificate key logged in)
     * @param certificate a currently valid certificate of that partner, or {@code null} when none is
     * @param body        the sealed envelope exactly as it was dropped: the claimed file itself, read as a stream (a
     *                    large or oversized drop is never read into memory whole)
     */
    DropAnswer submit(String partnerId, X509Certificate certificate, SealedBody body);

    /**
     * A dropped file by its name: {@code *.withdrawal.p7m} is a withdrawal and {@code *.correction.p7m} a correction
     * of one of the partner's submissions (the one its body names), anything else a submission.
     */
    default DropAnswer submit(String partnerId, X509Certificate certificate, String name, SealedBody body) {
        return submit(partnerId, certificate, body);
    }
}
