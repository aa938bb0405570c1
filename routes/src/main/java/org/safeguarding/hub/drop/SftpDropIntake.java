package org.safeguarding.hub.drop;

import java.security.cert.X509Certificate;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.error.ProblemJson;
import org.safeguarding.hub.intake.IntakeGateway;
import org.safeguarding.hub.intake.IntakeRequest;
import org.safeguarding.hub.intake.ReceiptJson;
import org.safeguarding.hub.sftp.DropAnswer;
import org.safeguarding.hub.sftp.DropIntake;
import org.safeguarding.hub.spool.SealedBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SFTP drop's way into intake: the dropped file and the account's partner go straight to the intake port
 * ({@link IntakeGateway}) that HTTPS {@code POST /submissions} uses too, so a dropped file meets the same checks and
 * audit, and gets the same receipt document ({@link ReceiptJson}) or the same problem document ({@link ProblemJson}).
 * {@code UNAVAILABLE} (the hub could not store it durably) is not an answer for the partner: the drop keeps the file
 * and retries.
 */
public final class SftpDropIntake implements DropIntake {
    private static final Logger LOG = LoggerFactory.getLogger(SftpDropIntake.class);

    private final IntakeGateway intake;

    public SftpDropIntake(IntakeGateway intake) {
        this.intake = intake;
    }

    @Override
    public DropAnswer submit(String partnerId, X509Certificate certificate, SealedBody body) {
        try {
            return DropAnswer.receipt(ReceiptJson.of(intake.submit(new IntakeRequest(partnerId, certificate, body))));
        } catch (HubException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                return DropAnswer.retryLater();
            }
            return DropAnswer.problem(ProblemJson.of(e));
        } catch (RuntimeException e) {
            LOG.error("unexpected failure taking a dropped file of {}", partnerId, e);
            return DropAnswer.problem(ProblemJson.of(ErrorCode.INTERNAL, null));
        }
    }
}
