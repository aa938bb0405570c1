package org.safeguarding.hub.partnership;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The partnership as loaded and checked: participants, data-sharing agreements, redaction
 * profiles by sector, alert rules. Immutable; lists keep the order of the file, which carries no meaning for
 * decisions (agreements are ordered by their {@code precedence}).
 */
public final class Partnership {
    private final String name;
    private final String source;
    private final String digest;
    private final Map<String, Participant> participants;
    private final List<Agreement> agreements;
    private final Map<Sector, RedactionProfile> profiles;
    private final Set<Sector> conditionalHandlingSectors;
    private final List<AlertRule> alertRules;
    private final UrgencyPolicy urgency;

    /** A partnership without alert rules. */
    public Partnership(String name, String source, String digest, List<Participant> participants,
                       List<Agreement> agreements, Map<Sector, RedactionProfile> profiles,
                       Set<Sector> conditionalHandlingSectors) {
        this(name, source, digest, participants, agreements, profiles, conditionalHandlingSectors, List.of());
    }

    public Partnership(String name, String source, String digest, List<Participant> participants,
                       List<Agreement> agreements, Map<Sector, RedactionProfile> profiles,
                       Set<Sector> conditionalHandlingSectors, List<AlertRule> alertRules) {
        this(name, source, digest, participants, agreements, profiles, conditionalHandlingSectors, alertRules,
                UrgencyPolicy.NONE);
    }

    public Partnership(String name, String source, String digest, List<Participant> participants,
                       List<Agreement> agreements, Map<Sector, RedactionProfile> profiles,
                       Set<Sector> conditionalHandlingSectors, List<AlertRule> alertRules, UrgencyPolicy urgency) {
        this.urgency = Objects.requireNonNull(urgency, "urgency");
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.digest = Objects.requireNonNull(digest, "digest");
        LinkedHashMap<String, Participant> byId = new LinkedHashMap<>();
        for (Participant p : participants) {
            if (byId.putIfAbsent(p.id(), p) != null) {
                throw new IllegalArgumentException("duplicate participant id");
            }
        }
        this.participants = java.util.Collections.unmodifiableMap(byId);
        this.agreements = List.copyOf(agreements);
        this.profiles = java.util.Collections.unmodifiableMap(new EnumMap<>(profiles));
        this.conditionalHandlingSectors = Set.copyOf(conditionalHandlingSectors);
        this.alertRules = List.copyOf(alertRules);
        if (this.alertRules.stream().map(AlertRule::id).distinct().count() != this.alertRules.size()) {
            throw new IllegalArgumentException("duplicate alert rule id");
        }
    }

    public String name() {
        return name;
    }

    /** Where the partnership was read from (a file path or a classpath resource). */
    public String source() {
        return source;
    }

    /** SHA-256 (lower-case hex) of the bytes of the partnership file. */
    public String digest() {
        return digest;
    }

    public Optional<Participant> participant(String id) {
        return Optional.ofNullable(participants.get(id));
    }

    /** Every participant, in file order. */
    public List<Participant> participants() {
        return List.copyOf(participants.values());
    }

    /** Participants with the RECIPIENT role, in file order (suspended ones included). */
    public List<Participant> recipients() {
        return participants.values().stream().filter(p -> p.hasRole(Role.RECIPIENT)).toList();
    }

    /** Participants with the PARTNER role, in file order. */
    public List<Participant> partners() {
        return participants.values().stream().filter(p -> p.hasRole(Role.PARTNER)).toList();
    }

    /** Every version of every agreement, in file order. */
    public List<Agreement> agreements() {
        return agreements;
    }

    /**
     * The agreements (every version, any status) with a clause for the recipient, in the
     * partnership's order: by precedence, then id, then newest version first.
     */
    public List<Agreement> agreementsNaming(String recipientId) {
        return agreements.stream().filter(a -> a.names(recipientId))
                .sorted(PRECEDENCE).toList();
    }

    /** The partnership's order of agreements, independent of the order of the file. */
    public static final Comparator<Agreement> PRECEDENCE = Comparator.comparingInt(Agreement::precedence)
            .thenComparing(Agreement::id)
            .thenComparing(Comparator.comparingInt(Agreement::version).reversed());

    /** The redaction profile of a sector; every recipient's sector has one (checked at load). */
    public RedactionProfile profile(Sector sector) {
        RedactionProfile p = profiles.get(sector);
        if (p == null) {
            throw new IllegalArgumentException("no redaction profile for sector " + sector);
        }
        return p;
    }

    public Map<Sector, RedactionProfile> profiles() {
        return profiles;
    }

    /** Sectors whose recipients may receive submissions with handling code C. */
    public Set<Sector> conditionalHandlingSectors() {
        return conditionalHandlingSectors;
    }

    /** The alert rules, in file order; empty when the file has none. */
    public List<AlertRule> alertRules() {
        return alertRules;
    }

    /** The urgency and escalation rules ({@link UrgencyPolicy#NONE} when the file has none). */
    public UrgencyPolicy urgency() {
        return urgency;
    }

    public Optional<AlertRule> alertRule(String id) {
        return alertRules.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
