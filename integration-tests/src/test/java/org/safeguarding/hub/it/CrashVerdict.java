package org.safeguarding.hub.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds a crash run's figures and every broken promise found, each with how many and a few examples, so one failed
 * run reports everything at once.
 */
final class CrashVerdict {
    private static final int EXAMPLES = 5;

    private final Map<String, List<String>> broken = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();

    /** One more case of {@code promise} broken, {@code example} naming it (ids and codes only). */
    void broken(String promise, String example) {
        broken.computeIfAbsent(promise, k -> new ArrayList<>()).add(example);
    }

    void figure(String name, Object value) {
        figures.put(name, value);
    }

    int count(String promise) {
        return broken.getOrDefault(promise, List.of()).size();
    }

    boolean holds() {
        return broken.isEmpty();
    }

    /**
     * Compares what the partners were answered, what the recipients' queues held, and the audit trail with what the
     * scenario gives for each submission.
     */
    void judge(CrashLoad load, InboxDrainer drained, AcceptanceAudit audit) {
        int accepted = 0;
        int refused = 0;
        int expectedPackages = 0;
        int after200 = 0;
        int acceptedAfterLostAnswer = 0;
        int attempts = 0;
        int unanswered = 0;
        int busy = 0;
        Set<String> lost = new TreeSet<>();
        for (CrashLoad.Planned p : load.planned) {
            CrashLoad.Outcome o = load.outcomes.get(p.submissionId());
            attempts += o.attempts;
            unanswered += o.unanswered;
            busy += o.busy;
            String id = p.caseId() + " " + p.submissionId();
            Map<String, Integer> got = drained.deliveries.getOrDefault(p.submissionId(), Map.of());
            List<String> receipts = audit.receipts.getOrDefault(p.submissionId(), List.of());
            if (o.status == 0) {
                broken("a client got no final answer", id + " after " + o.attempts + " attempts (last: "
                        + o.code + ")");
                continue;
            }
            if (!o.accepted()) {
                refused++;
                if (p.acceptable()) {
                    broken("a valid submission was refused", id + ": " + o.status + " " + o.code);
                } else if (o.status != p.refusal()) {
                    broken("a refusal has the wrong status", id + ": " + o.status + " " + o.code + ", expected "
                            + p.refusal());
                }
                if (!got.isEmpty()) {
                    broken("a refused submission was delivered", id + " to " + got);
                }
                if (!receipts.isEmpty()) {
                    broken("a refused submission has SUBMISSION_ACCEPTED", id);
                }
                continue;
            }
            accepted++;
            if (!p.acceptable()) {
                broken("a submission the scenario refuses was accepted", id + ": " + o.status);
            }
            expectedPackages += p.recipients().size();
            if (o.status == 200) {
                after200++;
            }
            if (o.status == 202 && o.unanswered > 0) {
                acceptedAfterLostAnswer++;
            }
            for (String r : p.recipients()) {
                int n = got.getOrDefault(r, 0);
                if (n == 0) {
                    broken("an accepted submission's package never reached its recipient", id + " -> " + r);
                    lost.add(p.submissionId());
                } else if (n > 1) {
                    for (int i = 1; i < n; i++) {
                        broken("a package was delivered more than once", id + " -> " + r + " x" + n);
                    }
                }
            }
            got.keySet().stream().filter(r -> !p.recipients().contains(r))
                    .forEach(r -> broken("a package reached a recipient the scenario does not give", id + " -> " + r));
            if (o.receipts.stream().distinct().count() > 1) {
                broken("a partner was given two receipts for one submission", id + ": " + o.receipts);
            }
            if (receipts.isEmpty()) {
                broken("an accepted submission has no SUBMISSION_ACCEPTED", id + " (answered " + o.status + ")");
            } else if (receipts.size() > 1) {
                broken("an accepted submission has more than one SUBMISSION_ACCEPTED", id + ": "
                        + receipts.size() + " events, " + receipts.stream().distinct().count() + " receipts, the partner holds #"
                        + (receipts.indexOf(o.receipt) + 1) + " (answered " + o.status + " after " + o.unanswered
                        + " unanswered attempts)");
            } else if (!receipts.get(0).equals(o.receipt)) {
                broken("the audited receipt is not the partner's", id + " (answered " + o.status + ")");
            }
        }
        drained.deliveries.keySet().stream().filter(s -> !load.bySubmissionId.containsKey(s))
                .forEach(s -> broken("a package for a submission nobody sent", s));
        drained.anonymous.forEach((r, n) -> broken("a package without a submissionId", r + " x" + n));
        if (audit.verification == null || !audit.verification.path("ok").asBoolean(false)) {
            broken("audit verify fails", String.valueOf(audit.verification));
        }
        figure("submissions", load.planned.size());
        figure("accepted", accepted);
        figure("refused", refused);
        figure("attempts", attempts);
        figure("retries", attempts - load.planned.size());
        figure("unansweredAttempts", unanswered);
        figure("busy503", busy);
        figure("200AfterRetry", after200);
        figure("202AfterLostAnswer", acceptedAfterLostAnswer);
        figure("expectedPackages", expectedPackages);
        figure("packagesDrained", drained.perRecipient.values().stream().mapToInt(Integer::intValue).sum());
        figure("lostSubmissions", lost.size());
        figure("acceptedEventsInTrail", audit.events);
        figure("auditVerify", audit.verification == null ? "unread" : audit.verification.path("ok").asText()
                + " (" + audit.verification.path("events").asText() + " events)");
    }

    /** The figures, then each broken promise with its count and a few examples. */
    String report(String title) {
        StringBuilder b = new StringBuilder(title).append(": ").append(figures);
        if (broken.isEmpty()) {
            return b.append("\n  every promise held").toString();
        }
        broken.forEach((promise, cases) -> {
            b.append("\n  ").append(cases.size()).append(" x ").append(promise).append(", e.g. ");
            b.append(String.join("; ", cases.subList(0, Math.min(EXAMPLES, cases.size()))));
        });
        return b.toString();
    }
}
