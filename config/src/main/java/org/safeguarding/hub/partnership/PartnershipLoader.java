package org.safeguarding.hub.partnership;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/**
 * Reads a partnership file (YAML), checks it (shape, Hibernate Validator constraints,
 * cross-references) and builds the immutable {@link Partnership}. Any problem stops the load
 * with {@link ErrorCode#INVALID_CONFIGURATION}: the message names the file and every path inside
 * it with what is wrong, all at once, and {@link HubException#errors()} holds the same list.
 */
public final class PartnershipLoader {
    /** Classpath location of the reference partnership of SCENARIO.md. */
    public static final String REFERENCE_RESOURCE = "/org/safeguarding/hub/partnership/reference-partnership.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    private static final ObjectMapper BINDER = new ObjectMapper();

    private PartnershipLoader() {
    }

    /** Loads and checks a partnership file. */
    public static Partnership load(Path partnershipYaml) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(partnershipYaml);
        } catch (IOException e) {
            throw new HubException(ErrorCode.INVALID_CONFIGURATION,
                    partnershipYaml + ": cannot be read (" + e.getClass().getSimpleName() + ")",
                    List.of(new FieldError("", "file cannot be read")), e);
        }
        return parse(bytes, partnershipYaml.toString());
    }

    /** The text of the reference partnership that encodes SCENARIO.md (the demo configuration). */
    public static String referencePartnershipYaml() {
        try (InputStream in = PartnershipLoader.class.getResourceAsStream(REFERENCE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("reference partnership missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the reference partnership from the classpath. */
    public static Partnership loadReference() {
        return parse(referencePartnershipYaml().getBytes(StandardCharsets.UTF_8), "classpath:" + REFERENCE_RESOURCE);
    }

    /**
     * Checks and builds a partnership from the bytes of a file.
     *
     * @param sourceName the file name used in messages
     */
    public static Partnership parse(byte[] yaml, String sourceName) {
        String digest = sha256(yaml);
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw fail(sourceName, List.of(new FieldError("", "not valid YAML" + where + ": "
                    + firstLine(e.getOriginalMessage()))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || root.isMissingNode()) {
            throw fail(sourceName, List.of(new FieldError("", "the file is empty")));
        }
        List<FieldError> shapeProblems = new ArrayList<>();
        JsonNode clean = TreeShape.check(root, PartnershipFile.SHAPE, "", TreeShape.Mode.CONFIGURATION, shapeProblems);
        if (clean == null) {
            throw fail(sourceName, shapeProblems);
        }
        PartnershipFile file;
        try {
            file = BINDER.treeToValue(clean, PartnershipFile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("shape-checked tree did not bind", e);
        }
        List<FieldError> checks = new ArrayList<>(Violations.validate(file, ""));
        crossCheck(file, checks);
        // Cross-checks, like the validator, do not repeat a problem the shape check reported (a list dropped
        // for a badly shaped item is not also "required").
        List<FieldError> problems = Violations.merge(shapeProblems, checks);
        if (!problems.isEmpty()) {
            throw fail(sourceName, problems);
        }
        return build(file, sourceName, digest);
    }

    private static HubException fail(String sourceName, List<FieldError> problems) {
        StringBuilder sb = new StringBuilder(sourceName).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (FieldError p : problems) {
            sb.append(System.lineSeparator()).append("  ").append(p.path().isEmpty() ? "(file)" : p.path())
                    .append(": ").append(p.message());
        }
        return new HubException(ErrorCode.INVALID_CONFIGURATION, sb.toString(), problems);
    }

    // ---------------------------------------------------------------- cross-references

    private static void crossCheck(PartnershipFile f, List<FieldError> problems) {
        Map<String, Integer> participantIndex = new HashMap<>();
        List<PartnershipFile.ParticipantEntry> participants = f.participants() == null ? List.of() : f.participants();
        for (int i = 0; i < participants.size(); i++) {
            PartnershipFile.ParticipantEntry p = participants.get(i);
            if (p == null) {
                continue;
            }
            String at = "participants[" + i + "]";
            if (p.id() != null) {
                Integer first = participantIndex.putIfAbsent(p.id(), i);
                if (first != null) {
                    problems.add(new FieldError(at + ".id", "duplicate id: participants[" + first + "] has the same id"));
                }
            }
            List<String> roles = p.roles() == null ? List.of() : p.roles();
            boolean partner = roles.contains("PARTNER");
            boolean recipient = roles.contains("RECIPIENT");
            if (roles.size() != new HashSet<>(roles).size()) {
                problems.add(new FieldError(at + ".roles", "must not name a role twice"));
            }
            if ((partner || recipient) && p.sector() == null) {
                problems.add(new FieldError(at + ".sector", "is required for a partner or recipient"));
            }
            if (partner && (p.submitAreas() == null || p.submitAreas().isEmpty())) {
                problems.add(new FieldError(at + ".submitAreas", "a partner must name the areas it may submit for"));
            }
            if (!partner && p.submitAreas() != null && !p.submitAreas().isEmpty()) {
                problems.add(new FieldError(at + ".submitAreas", "only a participant with the PARTNER role submits"));
            }
            if (!recipient && p.serves() != null && !p.serves().isEmpty()) {
                problems.add(new FieldError(at + ".serves", "only a participant with the RECIPIENT role serves areas"));
            }
            if (p.packageFormat() != null && !partner && !recipient) {
                problems.add(new FieldError(at + ".packageFormat",
                        "only a partner or a recipient receives packages; remove it"));
            }
            if (Boolean.TRUE.equals(p.allowRsaPkcs1v15()) && !partner && !recipient) {
                problems.add(new FieldError(at + ".allowRsaPkcs1v15",
                        "only a partner or a recipient exchanges envelopes with the hub; remove it"));
            }
            if (PackageFormat.ENVELOPED_AES256_CBC_RSA_PKCS1.yamlName().equals(p.packageFormat())
                    && !Boolean.TRUE.equals(p.allowRsaPkcs1v15())) {
                problems.add(new FieldError(at + ".packageFormat", "enveloped-aes256-cbc-rsa-pkcs1 uses RSA PKCS#1 v1.5"
                        + " key transport, open to padding-oracle attacks: the participant also needs"
                        + " allowRsaPkcs1v15: true (and the reason recorded), or use enveloped-aes256-cbc-rsa-oaep"));
            }
            if (recipient && p.sector() != null && f.redactionProfiles() != null
                    && !f.redactionProfiles().containsKey(p.sector())) {
                problems.add(new FieldError(at + ".sector",
                        "no redaction profile for this sector: add one under redactionProfiles"));
            }
        }
        if (f.redactionProfiles() != null) {
            Set<String> sectors = names(Sector.class);
            f.redactionProfiles().forEach((key, profile) -> {
                if (!sectors.contains(key)) {
                    problems.add(new FieldError("redactionProfiles." + key,
                            "is not a sector; sectors are " + String.join(", ", sectors)));
                }
                if (profile != null && profile.contexts() != null) {
                    checkContextsRule(profile.contexts(), "redactionProfiles." + key + ".contexts", problems);
                }
            });
        }
        if (f.conditionalHandlingSectors() != null
                && f.conditionalHandlingSectors().size() != new HashSet<>(f.conditionalHandlingSectors()).size()) {
            problems.add(new FieldError("conditionalHandlingSectors", "must not name a sector twice"));
        }
        checkAgreements(f, participants, participantIndex, problems);
        checkAlertRules(f, participants, participantIndex, problems);
        checkUrgency(f, participants, problems);
    }

    /** The urgency section's zone, window and the participants it names (each a recipient of the partnership). */
    private static void checkUrgency(PartnershipFile f, List<PartnershipFile.ParticipantEntry> participants,
                                     List<FieldError> problems) {
        PartnershipFile.UrgencyEntry u = f.urgency();
        if (u == null) {
            return;
        }
        if (u.zone() != null && !u.zone().isBlank()) {
            try {
                java.time.ZoneId.of(u.zone());
            } catch (java.time.DateTimeException e) {
                problems.add(new FieldError("urgency.zone", "is not a time zone; use a region such as Europe/London"));
            }
        }
        if (u.immediateWithin() != null) {
            try {
                Duration d = Duration.parse(u.immediateWithin());
                if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
                    problems.add(new FieldError("urgency.immediateWithin", "must be positive and at most P7D"));
                }
            } catch (java.time.format.DateTimeParseException e) {
                problems.add(new FieldError("urgency.immediateWithin", "must be an ISO-8601 duration such as PT1H"));
            }
        }
        Set<String> recipients = new HashSet<>();
        for (PartnershipFile.ParticipantEntry p : participants) {
            if (p != null && p.roles() != null && p.roles().contains("RECIPIENT")) {
                recipients.add(p.id());
            }
        }
        if (u.dutyInboxes() != null) {
            u.dutyInboxes().forEach((recipient, duty) -> {
                if (!recipients.contains(recipient)) {
                    problems.add(new FieldError("urgency.dutyInboxes." + recipient, "is not a recipient of the partnership"));
                } else if (duty != null && (!recipients.contains(duty) || duty.equals(recipient))) {
                    problems.add(new FieldError("urgency.dutyInboxes." + recipient,
                            "must name another recipient of the partnership, whose inbox is the duty desk"));
                }
            });
        }
        if (u.areaMash() != null) {
            Set<String> areas = names(Area.class);
            u.areaMash().forEach((area, mash) -> {
                if (!areas.contains(area)) {
                    problems.add(new FieldError("urgency.areaMash." + area, "is not an area; areas are "
                            + String.join(", ", areas)));
                } else if (mash != null && !recipients.contains(mash)) {
                    problems.add(new FieldError("urgency.areaMash." + area, "must name a recipient of the partnership"));
                }
            });
        }
        if (u.workingDays() != null && u.workingDays().size() != new HashSet<>(u.workingDays()).size()) {
            problems.add(new FieldError("urgency.workingDays", "must not name a day twice"));
        }
    }

    private static UrgencyPolicy urgency(PartnershipFile.UrgencyEntry u) {
        if (u == null) {
            return UrgencyPolicy.NONE;
        }
        Map<Area, String> areaMash = new EnumMap<>(Area.class);
        if (u.areaMash() != null) {
            u.areaMash().forEach((area, mash) -> areaMash.put(Area.valueOf(area), mash));
        }
        return new UrgencyPolicy(java.time.ZoneId.of(u.zone()), enums(java.time.DayOfWeek.class, u.workingDays()),
                java.time.LocalTime.parse(u.dayStarts()),
                u.holidays() == null ? Set.of() : new HashSet<>(u.holidays().stream().map(LocalDate::parse).toList()),
                Duration.parse(u.immediateWithin()),
                u.rules() == null ? List.of() : u.rules().stream().map(r -> new UrgencyPolicy.Rule(
                        UrgencyPolicy.Condition.valueOf(r.when()), Urgency.valueOf(r.urgency()))).toList(),
                u.escalateTo() == null ? List.of() : u.escalateTo().stream().map(UrgencyPolicy.Step::valueOf).toList(),
                u.dutyInboxes() == null ? Map.of() : u.dutyInboxes(), areaMash);
    }

    private static void checkAlertRules(PartnershipFile f, List<PartnershipFile.ParticipantEntry> participants,
                                        Map<String, Integer> participantIndex, List<FieldError> problems) {
        List<PartnershipFile.AlertRuleEntry> rules = f.alertRules() == null ? List.of() : f.alertRules();
        Map<String, Integer> ruleIndex = new HashMap<>();
        Set<String> kindNames = names(LinkKind.class);
        for (int i = 0; i < rules.size(); i++) {
            PartnershipFile.AlertRuleEntry r = rules.get(i);
            if (r == null) {
                continue;
            }
            String at = "alertRules[" + i + "]";
            if (r.id() != null) {
                Integer first = ruleIndex.putIfAbsent(r.id(), i);
                if (first != null) {
                    problems.add(new FieldError(at + ".id",
                            "duplicate id: alertRules[" + first + "] has the same id; give each rule its own"));
                }
            }
            List<String> kinds = r.kinds() == null ? List.of() : r.kinds();
            Set<String> seenKinds = new HashSet<>();
            boolean subjects = false;
            boolean contexts = false;
            for (int k = 0; k < kinds.size(); k++) {
                String kind = kinds.get(k);
                if (kind == null || !kindNames.contains(kind)) {
                    continue; // reported by the validator
                }
                if (!seenKinds.add(kind)) {
                    problems.add(new FieldError(at + ".kinds[" + k + "]", "repeats an earlier kind; name each kind once"));
                }
                if (LinkKind.valueOf(kind).subject()) {
                    subjects = true;
                } else {
                    contexts = true;
                }
            }
            if (subjects && contexts) {
                problems.add(new FieldError(at + ".kinds", "a rule links either subjects ("
                        + kindsWhere(true) + ") or contexts (" + kindsWhere(false)
                        + "); split it into two rules"));
            }
            List<List<String>> requireEach = r.requireEach() == null ? List.of() : r.requireEach();
            if (r.requireEach() != null && requireEach.isEmpty()) {
                problems.add(new FieldError(at + ".requireEach",
                        "must not be empty; leave it out for a rule that requires no particular categories"));
            }
            for (int e = 0; e < requireEach.size(); e++) {
                List<String> required = requireEach.get(e);
                if (required == null) {
                    continue;
                }
                Set<String> seen = new HashSet<>();
                for (int c = 0; c < required.size(); c++) {
                    if (required.get(c) != null && !seen.add(required.get(c))) {
                        problems.add(new FieldError(at + ".requireEach[" + e + "][" + c + "]",
                                "repeats an earlier category of this list; name each category once"));
                    }
                }
            }
            if (r.notifyList() == null || r.notifyList().isEmpty()) {
                problems.add(new FieldError(at + ".notify",
                        "is required: list the recipients to alert (participant ids with the RECIPIENT role)"));
            }
            List<String> notify = r.notifyList() == null ? List.of() : r.notifyList();
            Set<String> notified = new HashSet<>();
            for (int n = 0; n < notify.size(); n++) {
                String id = notify.get(n);
                if (id == null) {
                    continue;
                }
                String np = at + ".notify[" + n + "]";
                Integer idx = participantIndex.get(id);
                if (idx == null) {
                    problems.add(new FieldError(np,
                            "names no participant of the partnership; give the id of a participant with the RECIPIENT role"));
                } else {
                    PartnershipFile.ParticipantEntry recipient = participants.get(idx);
                    if (recipient.roles() == null || !recipient.roles().contains("RECIPIENT")) {
                        problems.add(new FieldError(np,
                                "names a participant without the RECIPIENT role; only recipients are alerted"));
                    }
                }
                if (!notified.add(id)) {
                    problems.add(new FieldError(np, "repeats an earlier recipient; name each recipient once"));
                }
            }
            List<String> counts = r.countsBySector() == null ? List.of() : r.countsBySector();
            Set<String> told = new HashSet<>();
            for (int n = 0; n < counts.size(); n++) {
                String id = counts.get(n);
                if (id == null) {
                    continue;
                }
                String cp = at + ".countsBySector[" + n + "]";
                if (!notified.contains(id)) {
                    problems.add(new FieldError(cp, "is not in notify: only a recipient the rule alerts may be told"
                            + " counts by sector; add it to notify or remove it here"));
                }
                if (!told.add(id)) {
                    problems.add(new FieldError(cp, "repeats an earlier recipient; name each recipient once"));
                }
            }
        }
    }

    private static String kindsWhere(boolean subject) {
        return String.join(", ", java.util.Arrays.stream(LinkKind.values()).filter(k -> k.subject() == subject)
                .map(Enum::name).toList());
    }

    private static void checkAgreements(PartnershipFile f, List<PartnershipFile.ParticipantEntry> participants,
                                        Map<String, Integer> participantIndex, List<FieldError> problems) {
        List<PartnershipFile.AgreementEntry> agreements = f.agreements() == null ? List.of() : f.agreements();
        Map<String, Integer> versionIndex = new HashMap<>();
        Map<Integer, String> precedenceOwner = new HashMap<>();
        Map<String, Integer> precedenceOfId = new HashMap<>();
        for (int i = 0; i < agreements.size(); i++) {
            PartnershipFile.AgreementEntry a = agreements.get(i);
            if (a == null) {
                continue;
            }
            String at = "agreements[" + i + "]";
            if (a.id() != null && a.version() != null) {
                Integer first = versionIndex.putIfAbsent(a.id() + "#" + a.version(), i);
                if (first != null) {
                    problems.add(new FieldError(at + ".version",
                            "duplicate agreement version: agreements[" + first + "] has the same id and version"));
                }
            }
            if (a.id() != null && a.precedence() != null) {
                String owner = precedenceOwner.putIfAbsent(a.precedence(), a.id());
                if (owner != null && !owner.equals(a.id())) {
                    problems.add(new FieldError(at + ".precedence",
                            "another agreement has the same precedence; each agreement needs its own place in the order"));
                }
                Integer earlier = precedenceOfId.putIfAbsent(a.id(), a.precedence());
                if (earlier != null && !earlier.equals(a.precedence())) {
                    problems.add(new FieldError(at + ".precedence",
                            "every version of one agreement must have the same precedence"));
                }
            }
            LocalDate from = IsoDate.Validator.parse(a.validFrom());
            LocalDate to = IsoDate.Validator.parse(a.validTo());
            if (from != null && to != null && to.isBefore(from)) {
                problems.add(new FieldError(at + ".validTo", "the validity window ends before it starts"));
            }
            if (from != null && to != null && !to.isBefore(from) && a.id() != null) {
                for (int j = 0; j < i; j++) {
                    PartnershipFile.AgreementEntry b = agreements.get(j);
                    if (b == null || !a.id().equals(b.id()) || java.util.Objects.equals(a.version(), b.version())) {
                        continue;
                    }
                    LocalDate bFrom = IsoDate.Validator.parse(b.validFrom());
                    LocalDate bTo = IsoDate.Validator.parse(b.validTo());
                    if (bFrom != null && bTo != null && !bTo.isBefore(bFrom)
                            && !from.isAfter(bTo) && !bFrom.isAfter(to)) {
                        problems.add(new FieldError(at + ".validFrom", "validity overlaps that of version "
                                + b.version() + " of the same agreement (agreements[" + j + "])"));
                    }
                }
            }
            List<PartnershipFile.ClauseEntry> clauses = a.clauses() == null ? List.of() : a.clauses();
            Set<String> named = new HashSet<>();
            for (int c = 0; c < clauses.size(); c++) {
                PartnershipFile.ClauseEntry clause = clauses.get(c);
                if (clause == null) {
                    continue;
                }
                String cat = at + ".clauses[" + c + "]";
                checkClause(clause, cat, participants, participantIndex, named, problems);
            }
        }
    }

    private static void checkClause(PartnershipFile.ClauseEntry clause, String at,
                                    List<PartnershipFile.ParticipantEntry> participants,
                                    Map<String, Integer> participantIndex, Set<String> named,
                                    List<FieldError> problems) {
        PartnershipFile.ParticipantEntry recipient = null;
        if (clause.recipient() != null) {
            Integer idx = participantIndex.get(clause.recipient());
            if (idx == null) {
                problems.add(new FieldError(at + ".recipient", "names no participant of the partnership"));
            } else {
                recipient = participants.get(idx);
                if (recipient.roles() == null || !recipient.roles().contains("RECIPIENT")) {
                    problems.add(new FieldError(at + ".recipient", "names a participant without the RECIPIENT role"));
                }
            }
            if (!named.add(clause.recipient())) {
                problems.add(new FieldError(at + ".recipient",
                        "the agreement already has a clause for this recipient; merge them"));
            }
        }
        if (clause.areas() != null && !clause.areas().isEmpty()) {
            List<String> areas = clause.areas();
            Set<String> areaNames = names(Area.class);
            if (areas.equals(List.of("ANY"))) {
                // every area
            } else if (areas.equals(List.of("SERVED"))) {
                if (recipient != null && (recipient.serves() == null || recipient.serves().isEmpty())) {
                    problems.add(new FieldError(at + ".areas",
                            "SERVED needs a recipient that serves areas; give the participant a serves list"));
                }
            } else if (!areaNames.containsAll(areas) || areas.size() != new HashSet<>(areas).size()) {
                problems.add(new FieldError(at + ".areas",
                        "must be ANY, SERVED (the areas the recipient serves) or a list of distinct areas of "
                                + String.join(", ", areaNames)));
            }
        }
        List<PartnershipFile.AgeEntry> ages = clause.ages() == null ? List.of() : clause.ages();
        for (int i = 0; i < ages.size(); i++) {
            PartnershipFile.AgeEntry age = ages.get(i);
            if (age != null && age.from() != null && age.to() != null && age.to() < age.from()) {
                problems.add(new FieldError(at + ".ages[" + i + "].to", "must not be below from"));
            }
            if (age != null && age.areas() != null && age.areas().isEmpty()) {
                problems.add(new FieldError(at + ".ages[" + i + "].areas",
                        "must not be empty; leave it out for a range that applies in every area"));
            }
        }
    }

    private static void checkContextsRule(List<String> rule, String at, List<FieldError> problems) {
        if (rule.isEmpty() || rule.equals(List.of("FULL")) || rule.equals(List.of("WITHHELD"))) {
            return;
        }
        Set<String> types = names(ContextType.class);
        if (!types.containsAll(rule) || rule.size() != new HashSet<>(rule).size()) {
            problems.add(new FieldError(at, "must be FULL, WITHHELD or a list of distinct context types to keep, of "
                    + String.join(", ", types)));
        }
    }

    private static <E extends Enum<E>> Set<String> names(Class<E> type) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (E e : type.getEnumConstants()) {
            out.add(e.name());
        }
        return out;
    }

    // ---------------------------------------------------------------- building

    private static Partnership build(PartnershipFile f, String source, String digest) {
        List<Participant> participants = new ArrayList<>();
        for (PartnershipFile.ParticipantEntry p : f.participants()) {
            participants.add(new Participant(p.id(), p.organisation(),
                    p.sector() == null ? null : Sector.valueOf(p.sector()),
                    enums(Role.class, p.roles()),
                    enums(Area.class, p.submitAreas()),
                    Boolean.TRUE.equals(p.suspended()),
                    enums(Area.class, p.serves()),
                    p.packageFormat() == null ? null : PackageFormat.fromYaml(p.packageFormat()).orElseThrow(),
                    Boolean.TRUE.equals(p.allowRsaPkcs1v15())));
        }
        List<Agreement> agreements = new ArrayList<>();
        for (PartnershipFile.AgreementEntry a : f.agreements()) {
            List<Clause> clauses = new ArrayList<>();
            for (PartnershipFile.ClauseEntry c : a.clauses()) {
                clauses.add(new Clause(c.recipient(), areaRule(c.areas()),
                        allOrSome(Category.class, c.categories()),
                        allOrSome(Purpose.class, c.purposes()),
                        c.ages().stream().map(g -> new AgeRange(g.from(), g.to(), enums(Area.class, g.areas()))).toList(),
                        allOrSome(Classification.class, c.classifications()),
                        c.condition() == null ? null : new FurtherCondition(c.condition().lookedAfterPlacedBy().trim())));
            }
            agreements.add(new Agreement(a.id(), a.version(), a.precedence(), AgreementStatus.valueOf(a.status()),
                    LocalDate.parse(a.validFrom()), LocalDate.parse(a.validTo()), a.title(), clauses));
        }
        Map<Sector, RedactionProfile> profiles = new EnumMap<>(Sector.class);
        Map<String, PartnershipFile.ProfileEntry> entries = new LinkedHashMap<>(f.redactionProfiles());
        entries.forEach((sector, p) -> profiles.put(Sector.valueOf(sector), profile(p)));
        List<AlertRule> alertRules = new ArrayList<>();
        if (f.alertRules() != null) {
            for (PartnershipFile.AlertRuleEntry r : f.alertRules()) {
                alertRules.add(alertRule(r));
            }
        }
        return new Partnership(f.name(), source, digest, participants, agreements, profiles,
                enums(Sector.class, f.conditionalHandlingSectors()), alertRules, urgency(f.urgency()));
    }

    private static AlertRule alertRule(PartnershipFile.AlertRuleEntry r) {
        List<Set<Category>> requireEach = r.requireEach() == null ? List.of()
                : r.requireEach().stream().map(c -> enums(Category.class, c)).toList();
        return new AlertRule(r.id(), r.description().trim(), enums(LinkKind.class, r.kinds()),
                AlertRule.Distinct.valueOf(r.distinct()), r.atLeast(), Duration.ofDays(r.withinDays()),
                r.categories() == null ? EnumSet.allOf(Category.class) : allOrSome(Category.class, r.categories()),
                requireEach, r.notifyList(),
                r.countsBySector() == null ? Set.of() : new java.util.LinkedHashSet<>(r.countsBySector()));
    }

    private static RedactionProfile profile(PartnershipFile.ProfileEntry p) {
        RedactionProfile.ContextRule rule;
        Set<ContextType> kept = EnumSet.noneOf(ContextType.class);
        if (p.contexts().equals(List.of("FULL"))) {
            rule = RedactionProfile.ContextRule.FULL;
        } else if (p.contexts().equals(List.of("WITHHELD"))) {
            rule = RedactionProfile.ContextRule.WITHHELD;
        } else {
            rule = RedactionProfile.ContextRule.ONLY;
            kept = enums(ContextType.class, p.contexts());
        }
        Function<String, RedactionProfile.GroupRule> group = RedactionProfile.GroupRule::valueOf;
        return new RedactionProfile(RedactionProfile.IdentityRule.valueOf(p.identity()), group.apply(p.health()),
                RedactionProfile.SourceRule.valueOf(p.source()), RedactionProfile.NarrativeRule.valueOf(p.narrative()),
                rule, kept, group.apply(p.care()), group.apply(p.episode()), group.apply(p.attachments()));
    }

    private static AreaRule areaRule(List<String> areas) {
        if (areas.equals(List.of("ANY"))) {
            return AreaRule.any();
        }
        if (areas.equals(List.of("SERVED"))) {
            return AreaRule.served();
        }
        return AreaRule.listed(enums(Area.class, areas));
    }

    private static <E extends Enum<E>> Set<E> allOrSome(Class<E> type, List<String> values) {
        if (values.equals(List.of("ALL"))) {
            return EnumSet.allOf(type);
        }
        return enums(type, values);
    }

    private static <E extends Enum<E>> Set<E> enums(Class<E> type, List<String> values) {
        Set<E> out = EnumSet.noneOf(type);
        if (values != null) {
            values.forEach(v -> out.add(Enum.valueOf(type, v)));
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
