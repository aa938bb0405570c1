package org.safeguarding.hub.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.withdrawal.WithdrawalReason;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./hub withdraw}: partner side, withdraw one of the partner's own submissions. The withdrawal is written,
 * signed as the partner, sealed to the hub and sent over mutual TLS; the receipt or the problem is printed.
 */
@Command(name = "withdraw", mixinStandardHelpOptions = true,
        description = "Withdraw one of your submissions: its recipients get a recall, pending packages leave their inboxes.")
final class WithdrawCommand implements Callable<Integer> {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** The clock the withdrawal's time is read from. */
    private final Clock clock;

    WithdrawCommand() {
        this(Clock.systemUTC());
    }

    WithdrawCommand(Clock clock) {
        this.clock = clock;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    PartnerSending sending;

    @Option(names = "--reason", required = true, paramLabel = "CODE",
            description = "Why: ${COMPLETION-CANDIDATES}.")
    WithdrawalReason reason;

    @Parameters(paramLabel = "SUBMISSION_ID", description = "The submissionId of your submission.")
    String submissionId;

    @Override
    public Integer call() throws Exception {
        if (!UUID.matcher(submissionId).matches()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "SUBMISSION_ID must be the submission's UUID, as its"
                    + " receipt gives it.");
        }
        Identity signer = sending.signer();
        String partnerId = org.safeguarding.hub.crypto.Certificates.commonName(signer.certificate());
        ObjectNode w = new ObjectMapper().createObjectNode();
        w.put("submissionId", submissionId);
        w.put("partnerId", partnerId);
        w.put("reason", reason.name());
        w.put("withdrawnAt", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        return sending.send(spec, signer, "api/v1/submissions/" + submissionId + "/withdrawal",
                w.toString().getBytes(StandardCharsets.UTF_8));
    }
}
