package org.safeguarding.hub.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.Agreement;
import org.safeguarding.hub.partnership.Clause;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.settings.SettingsLoader;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.sharing.SharingPlan;
import org.safeguarding.hub.sharing.SharingPlanner;
import org.safeguarding.hub.submission.HandlingCode;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./hub explain}: what the hub would decide for a submission, offline, for every recipient,
 * with the agreement and clause behind each decision and the paths each recipient would not see.
 * Prints identifiers, decisions, reason codes, agreement and clause references and withheld paths,
 * never the submission's content (pseudonyms are made with a throwaway secret and not printed).
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Explain, offline, what the hub would do with a submission: for every recipient the decision"
                        + " (SHARED or NOT_SHARED with its reason code), the agreement and the clause behind it"
                        + " (its place in the partnership file, e.g. agreements[0].clauses[2]), and the paths it"
                        + " would see withheld.%n",
                "How an information governance lead tests an agreement before it goes live: edit a copy of the"
                        + " partnership file, point --partnership at it, and set --at to a time when the agreement"
                        + " would be in force.%n",
                "The submission is validated first, as the hub would (as sent by the partner its partnerId"
                        + " names); if it fails, the problems are printed (path and message) and nothing is decided.%n",
                "Agreements, ages and validity windows are judged at --at. The submission time window is NOT"
                        + " enforced: when submittedAt is more than 5 minutes after --at or more than 7 days before"
                        + " it, a warning says the hub would refuse it as STALE_OR_FUTURE and the decisions are"
                        + " given anyway.%n",
                "Only identifiers, decisions, reason codes, agreement and clause references and withheld paths"
                        + " are printed: never the submission's content."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:decisions printed",
                "2:the configuration or the submission file cannot be used (one line on stderr)",
                "3:the hub would refuse the submission (the problems are printed)"})
final class ExplainCommand implements Callable<Integer> {
    static final int REFUSED = 3;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--config", paramLabel = "DIR",
                description = "A configuration directory: the partnership file is the one its hub.yaml names.")
        Path config;

        @Option(names = "--partnership", paramLabel = "FILE", description = "A partnership file, directly.")
        Path partnership;
    }

    @Option(names = "--at", paramLabel = "TIME",
            description = "When the hub receives the submission: an ISO-8601 instant (2026-11-27T10:00:00Z) or a"
                    + " UTC day (2026-11-27, meaning its start). Default: now.")
    String at;

    @Parameters(index = "0", paramLabel = "SUBMISSION.json", description = "The submission JSON (not sealed).")
    Path submission;

    /** Where "now" comes from when --at is not given. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        Instant receivedAt = receivedAt();
        Path partnershipFile = source.partnership != null ? source.partnership
                : SettingsLoader.load(source.config).partnershipFile();
        Partnership partnership = PartnershipLoader.load(partnershipFile);
        byte[] json = read(submission);
        PrintWriter out = spec.commandLine().getOut();

        Optional<ValidSubmission> valid = validate(partnership, json, out);
        if (valid.isEmpty()) {
            out.flush();
            spec.commandLine().getErr().println("hub: the hub would refuse this submission; see the problems above.");
            return REFUSED;
        }
        ValidSubmission s = valid.get();
        SharingPlan plan = new SharingPlanner(partnership, new Pseudonymiser(throwawaySecret())).plan(s, receivedAt);

        out.printf("submission %s from %s, received at %s%n", s.submissionId(), s.partnerId(), receivedAt);
        out.printf("partnership %s (sha256 %s)%n", partnershipFile, partnership.digest());
        timeWindowWarning(s, receivedAt).ifPresent(w -> out.println("warning: " + w));
        long shared = plan.decisions().stream().filter(RecipientDecision::shared).count();
        out.println(plan.unrouted()
                ? "UNROUTED: shared with nobody (the hub would accept it, audit it and report it to information"
                        + " governance)"
                : "ROUTED: shared with " + shared + " of " + plan.decisions().size() + " recipients");
        if (s.handlingCode() == HandlingCode.C) {
            out.println("handling code C: its conditions travel with every package; only recipients of the sectors "
                    + partnership.conditionalHandlingSectors().stream().map(Enum::name).sorted().toList()
                    + " may receive it");
        }
        out.println();
        printDecisions(out, partnership, plan);
        out.println();
        printAgreements(out, partnership, receivedAt);
        if (!partnership.alertRules().isEmpty()) {
            out.println();
            printAlertRules(out, partnership, s);
        }
        out.flush();
        return 0;
    }

    private Instant receivedAt() {
        if (at == null) {
            return clock.instant();
        }
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(at).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--at must be an ISO-8601 instant such"
                        + " as 2026-11-27T10:00:00Z or a UTC day such as 2026-11-27");
            }
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, file + ": no such file; give the submission JSON file.");
        } catch (IOException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, file + ": cannot be read (" + e.getClass().getSimpleName()
                    + "); give a readable submission JSON file.");
        }
    }

    /** Validates as the hub would, as sent by the partner the submission names; prints why not if it fails. */
    private static Optional<ValidSubmission> validate(Partnership partnership, byte[] json, PrintWriter out) {
        Optional<String> partnerId = SubmissionValidator.partnerIdOf(json);
        if (partnerId.isEmpty()) {
            out.println("refused: INVALID_SUBMISSION (the hub would answer 422)");
            out.println("  $: must be a JSON object with a partnerId naming the partner that submits it");
            return Optional.empty();
        }
        Optional<Participant> partner = partnership.participant(partnerId.get());
        try {
            if (partner.isEmpty()) {
                throw new HubException(ErrorCode.NOT_A_PARTNER, "partnerId names no participant of the partnership.");
            }
            return Optional.of(new SubmissionValidator(partnership).validate(json, partner.get()));
        } catch (HubException e) {
            out.printf("refused: %s (the hub would answer %d)%n", e.code(), e.code().httpStatus());
            if (e.errors().isEmpty()) {
                out.println("  " + e.detail());
            }
            for (FieldError f : e.errors()) {
                out.println("  " + f.path() + ": " + f.message());
            }
            return Optional.empty();
        }
    }

    private static Optional<String> timeWindowWarning(ValidSubmission s, Instant receivedAt) {
        try {
            SubmissionValidator.checkTimeWindow(s, receivedAt);
            return Optional.empty();
        } catch (HubException e) {
            return Optional.of(e.detail() + " The hub would refuse it as " + e.code()
                    + "; explain does not enforce the window and decides anyway.");
        }
    }

    private static void printDecisions(PrintWriter out, Partnership partnership, SharingPlan plan) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RECIPIENT", "DECISION", "REASON", "AGREEMENT", "CLAUSE", "WITHHELD"});
        for (RecipientDecision d : plan.decisions()) {
            Optional<Agreement> agreement = agreementOf(partnership, d);
            rows.add(new String[] {
                    d.recipientId(),
                    d.decision().name(),
                    d.reason() == null ? "-" : d.reason().name(),
                    agreement.map(a -> a.id() + " v" + a.version()).orElse("-"),
                    agreement.flatMap(a -> clausePath(partnership, a, d.recipientId())).orElse("-"),
                    !d.shared() ? "-" : d.withheld().isEmpty() ? "(nothing)"
                            : String.join(",", d.withheld().stream().sorted().toList())});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static Optional<Agreement> agreementOf(Partnership partnership, RecipientDecision d) {
        if (d.agreementId() == null) {
            return Optional.empty();
        }
        return partnership.agreements().stream()
                .filter(a -> a.id().equals(d.agreementId())
                        && Integer.valueOf(a.version()).equals(d.agreementVersion()))
                .findFirst();
    }

    /** Where the clause is in the partnership file, e.g. {@code agreements[0].clauses[2]}. */
    private static Optional<String> clausePath(Partnership partnership, Agreement agreement, String recipientId) {
        int a = partnership.agreements().indexOf(agreement);
        Optional<Clause> clause = agreement.clauseFor(recipientId);
        return clause.map(c -> "agreements[" + a + "].clauses[" + agreement.clauses().indexOf(c) + "]");
    }

    private static void printAgreements(PrintWriter out, Partnership partnership, Instant receivedAt) {
        out.println("agreements at " + receivedAt + ", in the partnership's order:");
        partnership.agreements().stream().sorted(Partnership.PRECEDENCE).forEach(a -> out.printf(
                "  %s v%d  %s  (agreements[%d], %s, valid %s to %s)%n", a.id(), a.version(),
                a.inForceAt(receivedAt) ? "in force" : "not in force", partnership.agreements().indexOf(a),
                a.status(), a.validFrom(), a.validTo()));
    }

    /**
     * Which alert rules the submission takes part in, by the paths of its fields that link (never their values).
     * Whether a rule fires depends on the submissions already linked in the hub's link store, which explain does not
     * read: it says what would have to be true.
     */
    static void printAlertRules(PrintWriter out, Partnership partnership, ValidSubmission s) {
        byte[] key = new byte[org.safeguarding.hub.links.LinkingKey.KEY_LENGTH];
        new java.security.SecureRandom().nextBytes(key); // a throwaway key: only the kinds and paths are shown
        List<org.safeguarding.hub.links.DerivedLink> links = new org.safeguarding.hub.links.LinkDeriver(
                org.safeguarding.hub.links.LinkingKey.of(List.of(key))).derive(s.json());
        java.util.Set<org.safeguarding.hub.partnership.Category> categories = java.util.EnumSet.noneOf(
                org.safeguarding.hub.partnership.Category.class);
        s.json().path("categories").forEach(c -> categories.add(org.safeguarding.hub.partnership.Category.valueOf(
                c.asText())));
        out.println("alert rules (whether one fires depends on what the hub's link store already holds, which explain"
                + " does not read):");
        for (org.safeguarding.hub.partnership.AlertRule rule : partnership.alertRules()) {
            List<String> by = links.stream().filter(l -> rule.kinds().contains(l.kind()))
                    .map(l -> l.kind() + " (" + l.path() + ")").toList();
            String when = (rule.distinct() == org.safeguarding.hub.partnership.AlertRule.Distinct.SUBMISSIONS
                    ? "fires when at least " + rule.atLeast() + " submissions"
                    : "fires when submissions from at least " + rule.atLeast() + " distinct "
                            + rule.distinct().name().toLowerCase(java.util.Locale.ROOT))
                    + " within " + rule.window().toDays() + " days share one" + (rule.requireEach().isEmpty() ? ""
                    : ", among them one of each of " + rule.requireEach());
            if (!rule.counts(categories)) {
                out.printf("  %s: takes no part (its categories %s do not include this submission's)%n", rule.id(),
                        rule.categories());
            } else if (by.isEmpty()) {
                out.printf("  %s: takes no part (no %s in this submission)%n", rule.id(), rule.kinds());
            } else {
                out.printf("  %s: takes part by %s; %s; alerts %s%n", rule.id(), String.join(", ", by), when,
                        rule.notifyRecipients());
            }
        }
    }

    private static byte[] throwawaySecret() {
        byte[] secret = new byte[Pseudonymiser.SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
