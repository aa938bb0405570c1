package org.safeguarding.hub.intake;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.registry.SubmissionStatus;

/**
 * The frame of a partner's step on a submission it sent before (a withdrawal, a correction): the partner's own
 * record or a 404 that names no one to the caller, one such step per submission at a time, and every refusal
 * audited once, naming the real owner when another partner tried.
 */
public final class OwnSubmissionStep {

    /** Audits a refusal: the caller, the submission's owner if another partner sent it, the id, the code. */
    @FunctionalInterface
    public interface Rejection {
        void record(String caller, String owner, String submissionId, ErrorCode code, String envelopeDigest,
                    String why);
    }

    /** The step itself, given the attempt it runs in. */
    @FunctionalInterface
    public interface Step<T> {
        T run(Attempt attempt);
    }

    private final SubmissionRegistry registry;
    private final String action;
    private final String busy;
    private final Rejection rejection;
    private final Set<String> inHand = ConcurrentHashMap.newKeySet();

    /**
     * @param action what the partner does, as a verb ("withdraw", "correct")
     * @param busy   the message when another copy of the step is being carried out for the same submission
     */
    public OwnSubmissionStep(SubmissionRegistry registry, String action, String busy, Rejection rejection) {
        this.registry = registry;
        this.action = action;
        this.busy = busy;
        this.rejection = rejection;
    }

    /**
     * Runs {@code step} for {@code caller}; a {@link HubException} from it is audited and thrown on. The id audited is
     * the URL's if there is one, else the one the step opened ({@link Attempt#opened}).
     */
    public <T> T run(String caller, String pathSubmissionId, String envelopeDigest, Step<T> step) {
        Attempt attempt = new Attempt(caller);
        try {
            return step.run(attempt);
        } catch (HubException e) {
            rejection.record(caller, attempt.owner, pathSubmissionId != null ? pathSubmissionId : attempt.openedId,
                    e.code(), envelopeDigest, attempt.owner != null ? "not-own-submission" : null);
            throw e;
        }
    }

    /** One run of a step: what it learned that its refusal's audit needs. */
    public final class Attempt {
        private final String caller;
        private String owner;
        private String openedId;

        private Attempt(String caller) {
            this.caller = caller;
        }

        /** The submission id the step found in what it opened. */
        public void opened(String submissionId) {
            this.openedId = submissionId;
        }

        /**
         * The caller's own record of {@code submissionId}, taken in; NOT_FOUND if it has none, even when another
         * partner sent that id (the audit names that partner, the answer does not).
         */
        public SubmissionRecord ownRecord(String submissionId) {
            SubmissionRecord record = registry.find(caller, submissionId)
                    .filter(r -> r.status() != SubmissionStatus.RECEIVING).orElse(null);
            if (record == null) {
                List<String> others = registry.otherSenders(submissionId, caller);
                owner = others.isEmpty() ? null : others.get(0);
                throw new HubException(ErrorCode.NOT_FOUND, "No submission with that id from you: a partner can "
                        + action + " only its own submissions.");
            }
            return record;
        }

        /** Runs {@code work} unless the same step for the same submission is already running: then UNAVAILABLE. */
        public <T> T alone(String submissionId, Supplier<T> work) {
            String key = caller + "|" + submissionId;
            if (!inHand.add(key)) {
                throw new HubException(ErrorCode.UNAVAILABLE, busy);
            }
            try {
                return work.get();
            } finally {
                inHand.remove(key);
            }
        }
    }
}
