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

    /** The file name suffix of a dropped withdrawal. */
    public static final String WITHDRAWAL_SUFFIX = ".withdrawal.p7m";
    /** The file name suffix of a dropped correction. */
    public static final String CORRECTION_SUFFIX = ".correction.p7m";

    private final IntakeGateway intake;
    private final org.safeguarding.hub.withdrawal.SubmissionWithdrawal withdrawals;
    private final org.safeguarding.hub.correction.SubmissionCorrection corrections;
    private final ProblemJson problems;

    public SftpDropIntake(IntakeGateway intake, ProblemJson problems) {
        this(intake, null, null, problems);
    }

    /**
     * With withdrawals and corrections taken from the drop too (null: dropped as submissions); problems are typed as
     * the HTTPS API's are ({@code problems}), their {@code instance} the dropped file's path.
     */
    public SftpDropIntake(IntakeGateway intake, org.safeguarding.hub.withdrawal.SubmissionWithdrawal withdrawals,
                          org.safeguarding.hub.correction.SubmissionCorrection corrections, ProblemJson problems) {
        this.intake = intake;
        this.withdrawals = withdrawals;
        this.corrections = corrections;
        this.problems = problems;
    }

    @Override
    public DropAnswer submit(String partnerId, X509Certificate certificate, String name, SealedBody body) {
        String lower = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
        if (withdrawals != null && lower.endsWith(WITHDRAWAL_SUFFIX)) {
            return answer(partnerId, instance(name), () -> withdrawals.withdraw(partnerId, null, body).json());
        }
        if (corrections != null && lower.endsWith(CORRECTION_SUFFIX)) {
            return answer(partnerId, instance(name), () -> corrections.correct(partnerId, null, body).json());
        }
        return answer(partnerId, instance(name),
                () -> ReceiptJson.of(intake.submit(new IntakeRequest(partnerId, certificate, body))));
    }

    /** {@code /inbound/<name>}: where the partner dropped it (the name is the partner's own, and in the answer's). */
    private static String instance(String name) {
        return name == null ? null : "/inbound/" + name;
    }

    private DropAnswer answer(String partnerId, String instance, java.util.function.Supplier<byte[]> step) {
        try {
            return DropAnswer.receipt(step.get());
        } catch (HubException e) {
            if (e.code() == ErrorCode.UNAVAILABLE) {
                return DropAnswer.retryLater();
            }
            LOG.info("refused sftp drop for {}: {} {}", partnerId, e.code().httpStatus(), e.code());
            return DropAnswer.problem(problems.of(e, instance));
        } catch (RuntimeException e) {
            LOG.error("unexpected failure taking a dropped file of {}", partnerId, e);
            return DropAnswer.problem(problems.of(ErrorCode.INTERNAL, null, instance));
        }
    }

    @Override
    public DropAnswer submit(String partnerId, X509Certificate certificate, SealedBody body) {
        return submit(partnerId, certificate, null, body);
    }
}
