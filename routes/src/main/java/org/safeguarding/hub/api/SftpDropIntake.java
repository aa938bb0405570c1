package org.safeguarding.hub.api;

import java.security.cert.X509Certificate;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.http.Caller;
import org.safeguarding.hub.http.HubApi;
import org.safeguarding.hub.http.ProblemDocuments;
import org.safeguarding.hub.sftp.DropAnswer;
import org.safeguarding.hub.sftp.DropIntake;
import org.safeguarding.hub.spool.SealedBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFTP drop's way into intake: the very operation behind HTTPS {@code POST /submissions}, so a dropped
 * file meets the same checks and gets the same receipt JSON, or the same problem document. {@code UNAVAILABLE}
 * (the hub could not store it durably) is not an answer for the partner: the drop keeps the file and retries.
 */
public final class SftpDropIntake implements DropIntake {
    private static final Logger LOG = LoggerFactory.getLogger(SftpDropIntake.class);

    private final HubApi api;

    public SftpDropIntake(HubApi api) {
        this.api = api;
    }

    @Override
    public DropAnswer submit(String partnerId, X509Certificate certificate, SealedBody body) {
        try {
            ApiResponse r = api.submit(new Caller(partnerId, certificate), ApiResponse.CMS, body);
            return DropAnswer.receipt(r.body());
        } catch (HubException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                return DropAnswer.retryLater();
            }
            return DropAnswer.problem(ProblemDocuments.of(e).body());
        } catch (RuntimeException e) {
            LOG.error("unexpected failure taking a dropped file of {}", partnerId, e);
            return DropAnswer.problem(ProblemDocuments.of(ErrorCode.INTERNAL, null).body());
        }
    }
}
