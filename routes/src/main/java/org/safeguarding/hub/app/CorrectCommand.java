package org.safeguarding.hub.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.safeguarding.hub.correction.Correction;
import org.safeguarding.hub.correction.CorrectionReason;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./hub correct}: partner side, correct one of the partner's own submissions with the whole corrected content.
 * The file is the corrected submission JSON (its {@code submissionId} the submission's); the command sets
 * {@code submittedAt} to now and adds {@code revision} and {@code correctionReason}, then signs, seals and sends it as
 * {@code ./hub withdraw} does.
 */
@Command(name = "correct", mixinStandardHelpOptions = true,
        description = "Correct one of your submissions: recipients whose view changed get an update, those no longer"
                + " in scope a recall, those now in scope the package.")
final class CorrectCommand implements Callable<Integer> {
    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private final Clock clock;

    CorrectCommand() {
        this(Clock.systemUTC());
    }

    CorrectCommand(Clock clock) {
        this.clock = clock;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    PartnerSending sending;

    @Option(names = "--reason", required = true, paramLabel = "CODE", description = "Why: ${COMPLETION-CANDIDATES}.")
    CorrectionReason reason;

    @Option(names = "--revision", required = true, paramLabel = "N",
            description = "1 for the first correction of this submission, higher for each later one.")
    int revision;

    @Parameters(paramLabel = "FILE", description = "The corrected submission JSON, with the submission's submissionId.")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (revision < 1 || revision > Correction.MAX_REVISION) {
            throw new HubException(ErrorCode.BAD_REQUEST, "--revision must be from 1 to " + Correction.MAX_REVISION + ".");
        }
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, "FILE must be a readable JSON submission.");
        }
        if (n == null || !n.isObject() || !n.path("submissionId").isTextual()
                || !UUID.matcher(n.path("submissionId").asText()).matches()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "FILE must be a JSON submission with its submissionId,"
                    + " the UUID its receipt gives.");
        }
        ObjectNode c = (ObjectNode) n;
        c.put("submittedAt", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        c.put("revision", revision);
        c.put("correctionReason", reason.name());
        Identity signer = sending.signer();
        return sending.send(spec, signer, "api/v1/submissions/" + c.path("submissionId").asText() + "/correction",
                new ObjectMapper().writeValueAsBytes(c));
    }
}
