package org.safeguarding.hub.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.linkstore.LinkStore.LinkedSubmission;
import org.safeguarding.hub.partnership.AlertRule;
import org.safeguarding.hub.partnership.Category;
import org.safeguarding.hub.partnership.LinkKind;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.partnership.Sector;
import org.safeguarding.hub.registry.RegistryChange;

/**
 * Decides, while a submission is routed, which alert rules its links fire: for each rule and each of the submission's
 * tokens of the rule's kinds, the submissions that gave that token within the rule's window (in the link store and in
 * flight), counted by sector, partner or submission. A rule that fires raises an alert (revision 1) or grows the one
 * already raised for it over those tokens (the next revision); a link set already covered raises nothing. For every
 * recipient the rule notifies it works out what that recipient may be told: only the linked submissions it was itself
 * SHARED, and only when those alone meet the rule (so an alert never tells a recipient that another agency holds
 * something it was not given), and counts by sector only where the rule's {@code countsBySector} names it (never counting handling-code C
 * submissions for a recipient outside the sectors that code allows). Plain Java: no broker, no content.
 */
public final class AlertEvaluator {
    /**
     * The most linked submissions one token brings to an evaluation, the newest: a child or a place reported more often
     * than this within a rule's window is judged, and told, by its newest.
     */
    public static final int MAX_LINKED_PER_TOKEN = 64;
    private final LinkStore store;
    private final InFlightLinks inFlight;

    public AlertEvaluator(LinkStore store, InFlightLinks inFlight) {
        this.store = store;
        this.inFlight = inFlight;
    }

    /** One token of the routed submission: its kind and its value under the current linking key. */
    public record TokenOf(LinkKind kind, String keyId, String token, List<String> previous) {
        public TokenOf {
            previous = List.copyOf(previous);
        }

        public TokenOf(LinkKind kind, String keyId, String token) {
            this(kind, keyId, token, List.of());
        }

        /** This token and the same value's tokens under previous keys. */
        List<String> all() {
            List<String> list = new ArrayList<>();
            list.add(token);
            list.addAll(previous);
            return list;
        }

        @Override
        public String toString() {
            return kind.name(); // never the token
        }
    }

    /** What the evaluation decided, registered in flight until its step is applied or rolled back. */
    public record Outcome(List<Raised> raised, InFlightLinks.Registration registration) {
        public static final Outcome NONE = new Outcome(List.of(), InFlightLinks.Registration.NONE);
    }

    /** An alert revision and, per notified recipient, what it may be told. */
    public record Raised(AlertRule rule, RegistryChange.Alert alert, Set<String> triggerTokens, List<Notice> notices) {
    }

    /**
     * What one recipient is told: its own packages' submissions among the linked ones (with their receipt ids, from
     * which its package ids follow), and counts by sector when the rule allows it that.
     */
    public record Notice(String recipient, List<LinkedSubmission> own, Map<String, Integer> countsBySector) {
    }

    /**
     * Evaluates every alert rule of {@code partnership} for the routed submission {@code trigger} and its tokens, and
     * registers the submission's links (and the alerts it raises) in flight. Call once per routing step, after every
     * lasting check has passed.
     */
    public Outcome evaluate(Partnership partnership, LinkedSubmission trigger, List<TokenOf> tokens, Instant routedAt) {
        if (tokens.isEmpty()) {
            return Outcome.NONE;
        }
        List<Raised> raised = new ArrayList<>();
        Set<String> all = tokens.stream().map(TokenOf::token).collect(Collectors.toCollection(LinkedHashSet::new));
        // the store first, outside the decision, once per token for the widest window of the rules that follow it;
        // what is applied after this read is still in flight when the decision below reads that (InFlightLinks.GRACE)
        Map<String, Instant> since = new LinkedHashMap<>();
        for (AlertRule rule : partnership.alertRules()) {
            if (!rule.counts(categories(trigger))) {
                continue;
            }
            Instant from = trigger.receivedAt().minus(rule.window());
            tokens.stream().filter(t -> rule.kinds().contains(t.kind())).flatMap(t -> t.all().stream())
                    .forEach(t -> since.merge(t, from, (a, b) -> a.isBefore(b) ? a : b));
        }
        Map<String, List<LinkedSubmission>> stored = new LinkedHashMap<>();
        since.values().stream().min(Instant::compareTo).ifPresent(earliest -> stored.putAll(
                store.linkedByToken(since.keySet(), earliest, MAX_LINKED_PER_TOKEN)));
        InFlightLinks.Decided decided = inFlight.decide(() -> {
            for (AlertRule rule : partnership.alertRules()) {
                evaluate(partnership, rule, trigger, tokens, stored, routedAt).ifPresent(raised::add);
            }
            return new InFlightLinks.Entry(trigger, all, raised.stream().map(Raised::alert).toList());
        });
        return new Outcome(List.copyOf(raised), decided.registration());
    }

    private Optional<Raised> evaluate(Partnership partnership, AlertRule rule, LinkedSubmission trigger,
                                      List<TokenOf> tokens, Map<String, List<LinkedSubmission>> stored,
                                      Instant routedAt) {
        if (!rule.counts(categories(trigger))) {
            return Optional.empty();
        }
        List<TokenOf> ofRule = tokens.stream().filter(t -> rule.kinds().contains(t.kind())).toList();
        if (ofRule.isEmpty()) {
            return Optional.empty();
        }
        Instant since = trigger.receivedAt().minus(rule.window());
        Map<RegistryChange.Member, LinkedSubmission> members = new LinkedHashMap<>();
        Set<String> firing = new LinkedHashSet<>();
        Set<String> searchedFor = new LinkedHashSet<>();
        LinkKind kind = null;
        for (TokenOf t : ofRule) {
            Map<RegistryChange.Member, LinkedSubmission> linked = new LinkedHashMap<>();
            linked.put(trigger.member(), trigger);
            for (String any : t.all()) { // links made under a previous key are still found
                for (LinkedSubmission s : stored.getOrDefault(any, List.of())) {
                    if (!s.receivedAt().isBefore(since)) {
                        linked.putIfAbsent(s.member(), s);
                    }
                }
            }
            for (LinkedSubmission s : inFlight.linked(List.of(t.token()))) {
                if (!s.receivedAt().isBefore(since)) {
                    linked.putIfAbsent(s.member(), s);
                }
            }
            linked.values().removeIf(s -> !rule.counts(categories(s)));
            if (distinct(rule, linked.values()) >= rule.atLeast()
                    && rule.satisfiedBy(linked.values().stream().map(AlertEvaluator::categories).toList())) {
                firing.add(t.token());
                searchedFor.addAll(t.all());
                members.putAll(linked);
                kind = kind == null ? t.kind() : kind;
            }
        }
        if (firing.isEmpty()) {
            return Optional.empty();
        }
        Previous previous = previous(rule, searchedFor); // an alert raised under a previous key grows too
        if (previous != null && previous.members().containsAll(members.keySet())) {
            return Optional.empty(); // this link set is covered by the alert already raised
        }
        Map<RegistryChange.Member, LinkedSubmission> before = new LinkedHashMap<>();
        if (previous != null) {
            Map<RegistryChange.Member, LinkedSubmission> known = new LinkedHashMap<>();
            store.submissions(previous.members()).forEach(s -> known.put(s.member(), s));
            for (RegistryChange.Member m : previous.members()) {
                LinkedSubmission s = members.containsKey(m) ? members.get(m) : known.get(m);
                if (s == null) {
                    s = inFlight.linked(previous.tokens()).stream().filter(x -> x.member().equals(m)).findFirst()
                            .orElse(null);
                }
                if (s != null) {
                    before.put(m, s);
                }
            }
        }
        Map<RegistryChange.Member, LinkedSubmission> now = new LinkedHashMap<>(before);
        now.putAll(members);
        String alertId = previous != null ? previous.alertId() : alertId(rule.id(), trigger.receiptId());
        int revision = previous != null ? previous.revision() + 1 : 1;
        Set<String> alertTokens = new LinkedHashSet<>(firing);
        if (previous != null) {
            alertTokens.addAll(previous.tokens());
        }
        RegistryChange.Alert alert = new RegistryChange.Alert(alertId, rule.id(), revision,
                (previous != null ? previous.kind() : kind.name()), routedAt, List.copyOf(alertTokens),
                List.copyOf(now.keySet()));
        List<Notice> notices = new ArrayList<>();
        for (String recipient : rule.notifyRecipients()) {
            Optional<Participant> p = partnership.participant(recipient);
            if (p.isEmpty() || !p.get().hasRole(Role.RECIPIENT) || p.get().suspended()) {
                continue;
            }
            Notice told = notice(partnership, rule, p.get(), now.values());
            Notice toldBefore = previous == null ? null : notice(partnership, rule, p.get(), before.values());
            // without a counts clause a recipient is told only what its own packages show: that they link, when they
            // alone meet the rule; never that another agency holds something it was not given
            boolean mayKnow = told.countsBySector() != null || meets(rule, told.own());
            boolean hasSomething = mayKnow && (!told.own().isEmpty() || told.countsBySector() != null);
            boolean changed = toldBefore == null || !sameSubmissions(told.own(), toldBefore.own())
                    || (told.countsBySector() != null && !told.countsBySector().equals(toldBefore.countsBySector()));
            if (hasSomething && changed) {
                notices.add(told);
            }
        }
        return Optional.of(new Raised(rule, alert, firing, List.copyOf(notices)));
    }

    private static boolean sameSubmissions(List<LinkedSubmission> a, List<LinkedSubmission> b) {
        Function<List<LinkedSubmission>, Set<RegistryChange.Member>> keys =
                l -> l.stream().map(LinkedSubmission::member).collect(Collectors.toSet());
        return keys.apply(a).equals(keys.apply(b));
    }

    /** What a recipient may be told of these linked submissions. */
    static Notice notice(Partnership partnership, AlertRule rule, Participant recipient,
                         Collection<LinkedSubmission> linked) {
        List<LinkedSubmission> own = linked.stream().filter(s -> s.sharedWith().contains(recipient.id()))
                .sorted(java.util.Comparator.comparing(LinkedSubmission::receivedAt)
                        .thenComparing(LinkedSubmission::submissionId)).toList();
        Map<String, Integer> counts = null;
        if (rule.countsBySector().contains(recipient.id())) {
            boolean mayCountC = recipient.sector() != null
                    && partnership.conditionalHandlingSectors().contains(recipient.sector());
            counts = new TreeMap<>();
            for (LinkedSubmission s : linked) {
                if ("C".equals(s.handlingCode()) && !mayCountC && !s.sharedWith().contains(recipient.id())) {
                    continue;
                }
                counts.merge(s.sector(), 1, Integer::sum);
            }
        }
        return new Notice(recipient.id(), own, counts);
    }

    private record Previous(String alertId, int revision, String kind, Set<String> tokens,
                            Set<RegistryChange.Member> members) {
    }

    /** The alert already raised for this rule over any of these tokens: in flight if newer, else as stored. */
    private Previous previous(AlertRule rule, Set<String> tokens) {
        Optional<RegistryChange.Alert> flying = inFlight.latestAlert(rule.id(), tokens);
        List<LinkStore.AlertState> stored = store.alertsByToken(rule.id(), tokens);
        Previous best = null;
        for (LinkStore.AlertState s : stored) {
            Optional<RegistryChange.Alert> newer = inFlight.latestRevision(s.alertId())
                    .filter(a -> a.revision() > s.revision());
            Previous p = newer.map(AlertEvaluator::previous).orElseGet(() -> new Previous(s.alertId(), s.revision(),
                    s.kind(), s.tokens(), s.members()));
            if (best == null || p.revision() > best.revision()) {
                best = p;
            }
        }
        if (best == null && flying.isPresent()) {
            best = previous(flying.get());
        }
        return best;
    }

    private static Previous previous(RegistryChange.Alert a) {
        return new Previous(a.alertId(), a.revision(), a.kind(), new LinkedHashSet<>(a.tokens()),
                new LinkedHashSet<>(a.members()));
    }

    /** Whether these submissions alone meet the rule (its count and its requireEach). */
    static boolean meets(AlertRule rule, Collection<LinkedSubmission> linked) {
        return distinct(rule, linked) >= rule.atLeast()
                && rule.satisfiedBy(linked.stream().map(AlertEvaluator::categories).toList());
    }

    private static int distinct(AlertRule rule, Collection<LinkedSubmission> linked) {
        return (int) switch (rule.distinct()) {
            case SECTORS -> linked.stream().map(LinkedSubmission::sector).distinct().count();
            case PARTNERS -> linked.stream().map(LinkedSubmission::partnerId).distinct().count();
            case SUBMISSIONS -> linked.size();
        };
    }

    static Set<Category> categories(LinkedSubmission s) {
        Set<Category> set = EnumSet.noneOf(Category.class);
        for (String c : s.categories()) {
            try {
                set.add(Category.valueOf(c));
            } catch (IllegalArgumentException ignored) {
                // a code this version does not know counts as none
            }
        }
        return set;
    }

    /** A new alert's id: stable for the rule and the receipt that raised it, so that a replay makes the same one. */
    static String alertId(String ruleId, String receiptId) {
        return UUID.nameUUIDFromBytes(("alert|" + ruleId + "|" + receiptId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The sector name a linked submission records for a partner. */
    public static String sectorOf(Participant p) {
        Sector s = p.sector();
        return s == null ? "UNKNOWN" : s.name();
    }
}
