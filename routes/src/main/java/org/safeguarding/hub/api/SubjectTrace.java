package org.safeguarding.hub.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.links.LinkNormaliser;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.partnership.LinkKind;
import org.safeguarding.hub.registry.RegistryChange;

/**
 * "Who received what about this child?": an IG lead gives a child's identifiers (in the request body only: never
 * stored, never echoed back, never logged), a case or subject-access reference and a reason (both audited, with who
 * asked), and gets every submission about that child the link store still holds: who sent it and when, each
 * recipient's decision under which agreement and clause, what was withheld, which package went where and whether it
 * was acknowledged or expired, and which alerts it joined; with "no records before DATE" for what retention removed.
 * Matched by link token under every linking key still kept (NHS number, UPN, and name with date of birth), so a
 * rotated key's links are still found. Rate limited per caller.
 */
public final class SubjectTrace {
    /** Why an IG lead may ask: each is a lawful basis the partnership's IG framework names. */
    public enum Reason {
        SUBJECT_ACCESS_REQUEST, IG_REVIEW, SAFEGUARDING_PRACTICE_REVIEW, LEGAL_PROCEEDINGS
    }

    static final int MAX_BODY = 16 * 1024;
    static final int MAX_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Pattern CASE_REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9/_.-]{2,63}");
    private static final Set<String> TOP = Set.of("child", "caseReference", "reason");
    private static final Set<String> CHILD = Set.of("nhsNumber", "upn", "name", "dateOfBirth");
    static final List<String> CSV_COLUMNS = List.of("submissionId", "partnerId", "sector", "area", "categories",
            "handlingCode", "receivedAt", "matchedBy", "recipient", "decision", "agreementId", "agreementVersion",
            "reasonCode", "withheld", "packageId", "packageState", "stateAt", "alerts");

    private final LinkStore store;
    private final LinkingKey keys;
    private final AuditRecorder audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retention;
    private final Map<String, Deque<Instant>> asked = new ConcurrentHashMap<>();

    public SubjectTrace(LinkStore store, LinkingKey keys, AuditRecorder audit, ObjectMapper json, Clock clock,
                        Duration retention) {
        this.store = store;
        this.keys = keys;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
    }

    /** What was asked: identifiers (kept only for this call), the case reference and the reason. */
    record Question(Map<LinkKind, String> normalised, String caseReference, Reason reason) {
        @Override
        public String toString() {
            return "Question[" + normalised.keySet() + ", " + caseReference + ", " + reason + "]"; // never the values
        }
    }

    /** The trace as JSON ({@code format} json or absent) or CSV, for an IG lead {@code caller}. */
    public ApiResponse trace(String caller, byte[] body, String format) {
        boolean csv = format != null && format.equalsIgnoreCase("csv");
        if (format != null && !csv && !format.equalsIgnoreCase("json")) {
            throw new HubException(ErrorCode.BAD_REQUEST, "format must be json or csv.");
        }
        Question q = parse(body);
        admit(caller);
        Answer answer = answer(q);
        audit.subjectTraced(caller, q.caseReference(), q.reason().name(), answer.submissions().size());
        if (csv) {
            return new ApiResponse(200, "text/csv; charset=utf-8", csv(answer).getBytes(StandardCharsets.UTF_8),
                    Map.of("Content-Disposition", "attachment; filename=\"subject-trace.csv\""));
        }
        try {
            return ApiResponse.json(200, json.writeValueAsBytes(json(answer)));
        } catch (IOException e) {
            throw new IllegalStateException("the subject trace could not be written", e);
        }
    }

    /** Reads and checks the question; a refusal names the field and never repeats a value. */
    Question parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new HubException(ErrorCode.BAD_REQUEST, "Send the child's identifiers, a caseReference and a reason"
                    + " as a JSON object in the request body.");
        }
        if (body.length > MAX_BODY) {
            throw new HubException(ErrorCode.BAD_REQUEST, "The request body is larger than " + MAX_BODY + " bytes.");
        }
        JsonNode root;
        try {
            // one JSON value and nothing after it: a second object (or any trailing text) is refused, not ignored
            root = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (IOException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, "The request body is not JSON.");
        }
        if (root == null || !root.isObject()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "The request body must be a JSON object.");
        }
        List<FieldError> errors = new ArrayList<>();
        unknownKeys(root, TOP, "", errors);
        JsonNode child = root.get("child");
        Map<LinkKind, String> normalised = new LinkedHashMap<>();
        if (child == null || !child.isObject()) {
            errors.add(new FieldError("child", "must be an object with nhsNumber, upn, or name and dateOfBirth"));
        } else {
            unknownKeys(child, CHILD, "child.", errors);
            text(child, "child.", "nhsNumber", errors).ifPresent(v -> LinkNormaliser.nhsNumber(v).ifPresentOrElse(
                    n -> normalised.put(LinkKind.NHS_NUMBER, n),
                    () -> errors.add(new FieldError("child.nhsNumber", "must be 10 digits with a valid check digit"))));
            text(child, "child.", "upn", errors).ifPresent(v -> LinkNormaliser.upn(v).ifPresentOrElse(
                    n -> normalised.put(LinkKind.UPN, n),
                    () -> errors.add(new FieldError("child.upn", "must be a check letter and 12 digits"))));
            Optional<String> name = text(child, "child.", "name", errors);
            Optional<String> dob = text(child, "child.", "dateOfBirth", errors);
            if (name.isPresent() != dob.isPresent()) {
                errors.add(new FieldError(name.isPresent() ? "child.dateOfBirth" : "child.name",
                        "name and dateOfBirth are asked together (a name alone never links)"));
            } else if (name.isPresent()) {
                LinkNormaliser.nameDob(name.get(), dob.get()).ifPresentOrElse(
                        n -> normalised.put(LinkKind.NAME_DOB, n),
                        () -> errors.add(new FieldError("child.name", "must be a full name (at least two words) with"
                                + " dateOfBirth as YYYY-MM-DD")));
            }
            if (errors.isEmpty() && normalised.isEmpty()) {
                errors.add(new FieldError("child", "give at least one of nhsNumber, upn, or name with dateOfBirth"));
            }
        }
        String caseReference = text(root, "", "caseReference", errors).orElse(null);
        if (caseReference == null) {
            errors.add(new FieldError("caseReference", "is required: the case or subject-access reference"));
        } else if (!CASE_REFERENCE.matcher(caseReference).matches()) {
            errors.add(new FieldError("caseReference", "must be 3-64 letters, digits, '/', '_', '.' or '-'"));
        } else if (holdsIdentifier(caseReference, normalised)) {
            // the case reference is audited as given: it must not carry the child's identifiers into the trail
            errors.add(new FieldError("caseReference", "must not contain the child's identifiers"));
        }
        Reason reason = null;
        Optional<String> r = text(root, "", "reason", errors);
        if (r.isEmpty()) {
            errors.add(new FieldError("reason", "is required: one of " + List.of(Reason.values())));
        } else {
            try {
                reason = Reason.valueOf(r.get());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("reason", "must be one of " + List.of(Reason.values())));
            }
        }
        if (!errors.isEmpty()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "The subject trace request is not valid: see errors.",
                    errors);
        }
        return new Question(normalised, caseReference, reason);
    }

    private static void unknownKeys(JsonNode n, Set<String> known, String prefix, List<FieldError> errors) {
        int i = 0;
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); i++) {
            if (!known.contains(it.next())) {
                errors.add(new FieldError(prefix + "(unknown field " + (i + 1) + ")", "is not a field of this request;"
                        + " the fields are " + known.stream().sorted().toList()));
            }
        }
    }

    /**
     * True when the case reference, its letters and digits only, holds the NHS number, the UPN, the date of birth's
     * digits or the name's letters (as normalised for linking).
     */
    static boolean holdsIdentifier(String caseReference, Map<LinkKind, String> normalised) {
        String ref = caseReference.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
        List<String> parts = new ArrayList<>();
        Optional.ofNullable(normalised.get(LinkKind.NHS_NUMBER)).ifPresent(parts::add);
        Optional.ofNullable(normalised.get(LinkKind.UPN)).ifPresent(parts::add);
        String nameDob = normalised.get(LinkKind.NAME_DOB);
        if (nameDob != null) {
            int bar = nameDob.lastIndexOf('|');
            parts.add(nameDob.substring(bar + 1).replace("-", ""));
            parts.add(nameDob.substring(0, bar));
        }
        for (String p : parts) {
            String v = p.replaceAll("[^\\p{L}\\p{N}]", "").toUpperCase(Locale.ROOT);
            if (!v.isEmpty() && ref.contains(v)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> text(JsonNode n, String prefix, String field, List<FieldError> errors) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(new FieldError(prefix + field, "must be a non-empty string"));
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    /** At most {@link #MAX_PER_WINDOW} traces per caller in any {@link #WINDOW}; past it 429 with Retry-After. */
    private void admit(String caller) {
        Instant now = clock.instant();
        Deque<Instant> times = asked.computeIfAbsent(caller, c -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
                times.removeFirst();
            }
            if (times.size() >= MAX_PER_WINDOW) {
                throw new HubException(ErrorCode.TOO_MANY_REQUESTS, "At most " + MAX_PER_WINDOW
                        + " subject traces a minute may be asked by one IG lead.");
            }
            times.addLast(now);
        }
    }

    /** One submission about the child, with every recipient's part in it. */
    record Found(LinkStore.LinkedSubmission submission, Set<LinkKind> matchedBy, List<Recipient> recipients,
                 List<LinkStore.AlertState> alerts) {
    }

    /** One recipient's decision and package for a submission. */
    record Recipient(String recipient, String decision, String agreementId, Integer agreementVersion,
                     String reasonCode, List<String> withheld, String packageId, String packageState,
                     Instant stateAt) {
    }

    record Answer(List<Found> submissions, Instant heldFrom, Instant retentionCutoff) {
    }

    Answer answer(Question q) {
        Map<String, LinkKind> tokens = new LinkedHashMap<>();
        q.normalised().forEach((kind, value) -> keys.tokens(kind, value).forEach(t -> tokens.put(t, kind)));
        Map<String, List<LinkStore.LinkedSubmission>> byToken = store.linkedByToken(tokens.keySet(), Instant.EPOCH);
        Map<RegistryChange.Member, LinkStore.LinkedSubmission> submissions = new LinkedHashMap<>();
        Map<RegistryChange.Member, Set<LinkKind>> matched = new LinkedHashMap<>();
        byToken.forEach((token, list) -> list.forEach(s -> {
            submissions.putIfAbsent(s.member(), s);
            matched.computeIfAbsent(s.member(), m -> new LinkedHashSet<>()).add(tokens.get(token));
        }));
        List<Found> found = new ArrayList<>();
        submissions.values().stream()
                .sorted(java.util.Comparator.comparing(LinkStore.LinkedSubmission::receivedAt))
                .forEach(s -> found.add(new Found(s, matched.get(s.member()), recipients(s),
                        store.alertsOf(s.partnerId(), s.submissionId()))));
        return new Answer(found, store.oldestHeld().orElse(null), clock.instant().minus(retention));
    }

    /**
     * Each recipient's decision, redaction, package and its end, from the trail. A submission id is the sender's
     * own, unique only with its partner: the routing events taken are those keyed by this submission's receipt
     * ({@code receiptId:decision:recipient} and so on), so that another partner's submission of the same id never
     * lends this one its decisions; an acknowledgement or expiry counts only for the very package delivered.
     */
    private List<Recipient> recipients(LinkStore.LinkedSubmission s) {
        Map<String, String[]> decided = new LinkedHashMap<>();
        Map<String, Object[]> packages = new LinkedHashMap<>();
        String ofReceipt = s.receiptId() + ":";
        Long after = null;
        while (true) {
            List<AuditEvent> page = audit.trail().find(new AuditQuery(s.submissionId(), null, null, null, null, after,
                    AuditQuery.MAX_LIMIT));
            for (AuditEvent e : page) {
                String who = e.participant();
                boolean routing = e.key() != null && e.key().startsWith(ofReceipt);
                if (e.type() == AuditEventType.DECISION && who != null && routing) {
                    decided.put(who, new String[] {e.decision(), e.agreementId(),
                            e.agreementVersion() == null ? null : e.agreementVersion().toString(), e.reasonCode(),
                            String.join(";", e.withheldPaths())});
                } else if (e.type() == AuditEventType.REDACTED && who != null && routing && decided.containsKey(who)) {
                    decided.get(who)[4] = String.join(";", e.withheldPaths());
                } else if (e.type() == AuditEventType.PACKAGE_DELIVERED && who != null && routing) {
                    packages.put(who, new Object[] {e.packageId(), "DELIVERED", e.time()});
                } else if ((e.type() == AuditEventType.PACKAGE_ACKNOWLEDGED || e.type() == AuditEventType.PACKAGE_EXPIRED)
                        && who != null && packages.containsKey(who) && e.packageId() != null
                        && e.packageId().equals(packages.get(who)[0])) {
                    packages.put(who, new Object[] {e.packageId(), e.type() == AuditEventType.PACKAGE_ACKNOWLEDGED
                            ? "ACKNOWLEDGED" : "EXPIRED", e.time()});
                }
            }
            if (page.size() < AuditQuery.MAX_LIMIT) {
                break;
            }
            after = page.get(page.size() - 1).sequence();
        }
        List<Recipient> list = new ArrayList<>();
        decided.forEach((who, d) -> {
            Object[] p = packages.get(who);
            list.add(new Recipient(who, d[0], d[1], d[2] == null ? null : Integer.valueOf(d[2]), d[3],
                    d[4] == null || d[4].isEmpty() ? List.of() : List.of(d[4].split(";")),
                    p == null ? null : (String) p[0], p == null ? null : (String) p[1],
                    p == null ? null : (Instant) p[2]));
        });
        return list;
    }

    private ObjectNode json(Answer a) {
        ObjectNode root = json.createObjectNode();
        root.put("submissionCount", a.submissions().size());
        root.put("recordsHeldFrom", a.heldFrom() == null ? null : a.heldFrom().toString());
        root.put("retentionCutoff", a.retentionCutoff().toString());
        root.put("notice", notice(a));
        ArrayNode list = root.putArray("submissions");
        for (Found f : a.submissions()) {
            LinkStore.LinkedSubmission s = f.submission();
            ObjectNode n = facts(list.addObject(), s);
            ArrayNode by = n.putArray("matchedBy");
            f.matchedBy().forEach(k -> by.add(k.name()));
            ArrayNode recipients = n.putArray("recipients");
            for (Recipient r : f.recipients()) {
                ObjectNode rn = recipients.addObject();
                rn.put("recipient", r.recipient());
                rn.put("decision", r.decision());
                rn.put("agreementId", r.agreementId());
                rn.put("agreementVersion", r.agreementVersion());
                rn.put("reasonCode", r.reasonCode());
                ArrayNode w = rn.putArray("withheld");
                r.withheld().forEach(w::add);
                rn.put("packageId", r.packageId());
                rn.put("packageState", r.packageState());
                rn.put("stateAt", r.stateAt() == null ? null : r.stateAt().toString());
            }
            ArrayNode alerts = n.putArray("alerts");
            for (LinkStore.AlertState al : f.alerts()) {
                alerts.addObject().put("alertId", al.alertId()).put("ruleId", al.ruleId())
                        .put("revision", al.revision());
            }
        }
        return root;
    }

    /** A linked submission's facts as both IG lead answers give them: ids, sector, area, categories, code, time. */
    static ObjectNode facts(ObjectNode n, LinkStore.LinkedSubmission s) {
        n.put("submissionId", s.submissionId());
        n.put("partnerId", s.partnerId());
        n.put("sector", s.sector());
        n.put("area", s.area());
        ArrayNode cats = n.putArray("categories");
        s.categories().forEach(cats::add);
        n.put("handlingCode", s.handlingCode());
        n.put("receivedAt", s.receivedAt().toString());
        return n;
    }

    /** What retention has removed, said plainly. */
    static String notice(Answer a) {
        Instant from = a.heldFrom() == null || a.heldFrom().isAfter(a.retentionCutoff()) ? a.retentionCutoff()
                : a.heldFrom();
        return "no records before " + from.toString().substring(0, 10) + ": links are kept for the links' retention"
                + " and older submissions cannot be found by the child's identifiers";
    }

    String csv(Answer a) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(notice(a)).append("\r\n");
        sb.append(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (Found f : a.submissions()) {
            LinkStore.LinkedSubmission s = f.submission();
            String alerts = String.join(";", f.alerts().stream().map(LinkStore.AlertState::alertId).toList());
            List<Recipient> rs = f.recipients().isEmpty()
                    ? List.of(new Recipient(null, null, null, null, null, List.of(), null, null, null))
                    : f.recipients();
            for (Recipient r : rs) {
                List<String> v = new ArrayList<>(List.of(s.submissionId(), s.partnerId(), s.sector(),
                        nz(s.area()), String.join(";", s.categories()), s.handlingCode(), s.receivedAt().toString(),
                        String.join(";", f.matchedBy().stream().map(Enum::name).toList()), nz(r.recipient()),
                        nz(r.decision()), nz(r.agreementId()),
                        r.agreementVersion() == null ? "" : r.agreementVersion().toString(), nz(r.reasonCode()),
                        String.join(";", r.withheld()), nz(r.packageId()), nz(r.packageState()),
                        r.stateAt() == null ? "" : r.stateAt().toString(), alerts));
                sb.append(String.join(",", v.stream().map(AuditCsv::escape).toList())).append("\r\n");
            }
        }
        return sb.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
