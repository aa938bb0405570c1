package org.safeguarding.hub.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.http.Caller;
import org.safeguarding.hub.http.HubApi;
import org.safeguarding.hub.partnership.Role;

/**
 * The people's console on the HTTPS listener: pages for the IG lead (the audit trail searched, one submission's
 * story, the chain's verification), the board (the flow report as charts) and a recipient's officers (the inbox, with
 * each sealed package to download). Each page is drawn from the HTTPS API's own answer to the same person, so who may
 * see what, what is audited and how small numbers are suppressed are the API's, never decided twice. Metadata only:
 * the hub holds no content to show. Server-rendered, no script, GET only.
 */
public final class PeopleConsole {
    /**
     * The pages' headers: nothing but the stylesheet loads, forms go back to the hub, no framing, nothing cached (the
     * listener adds {@code Cache-Control: no-store} and {@code nosniff} to every answer).
     */
    public static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none';"
                    + " form-action 'self'; frame-ancestors 'none'",
            // same-origin, not no-referrer: with no-referrer a browser sends a form as from "Origin: null", and the
            // hub could not tell its own page from any other (the pages' addresses carry metadata only)
            "Referrer-Policy", "same-origin",
            "X-Frame-Options", "DENY");
    static final String HTML = "text/html; charset=utf-8";
    static final int AUDIT_PAGE = 50;
    static final int INBOX_PAGE = 50;
    /** The most events one submission's story shows (the API's largest page). */
    static final int STORY_EVENTS = 1000;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ObjectMapper json;
    private final Clock clock;
    private final FormTokens tokens = new FormTokens();
    private final java.util.function.Supplier<org.safeguarding.hub.partnership.Partnership> partnership;

    /** @param partnership the partnership in force now (the agreements page lists its agreements) */
    public PeopleConsole(ObjectMapper json, Clock clock,
                         java.util.function.Supplier<org.safeguarding.hub.partnership.Partnership> partnership) {
        this.json = json;
        this.clock = clock;
        this.partnership = partnership;
    }

    /**
     * The page {@code page} (a path under {@code /console}) for {@code caller}, whose participant holds {@code roles};
     * {@code api} answers the operations the page shows. A refusal is a page too, with the API's status and words.
     */
    public ApiResponse page(HubApi api, Caller caller, Set<Role> roles, String page, Map<String, String> query) {
        if ("console.css".equals(page)) {
            return new ApiResponse(200, "text/css; charset=utf-8", HtmlPage.STYLESHEET.getBytes(StandardCharsets.UTF_8),
                    HEADERS);
        }
        try {
            String html = switch (page) {
                case "" -> start(caller, roles);
                case "audit" -> audit(api, caller, roles, query);
                case "verify" -> verify(api, caller, roles);
                case "flows" -> flows(api, caller, roles, query);
                case "inbox" -> inbox(api, caller, roles, query);
                case "subjects" -> subjectForm(caller, roles, List.of());
                case "agreements" -> agreements(caller, roles);
                case "attention" -> attention(api, caller, roles);
                case "whatif" -> whatIfForm(caller, roles, List.of(), "");
                default -> {
                    if (page.startsWith("submissions/")) {
                        yield story(api, caller, roles, page.substring("submissions/".length()));
                    }
                    if (page.startsWith("alerts/")) {
                        yield alert(api, caller, roles, page.substring("alerts/".length()));
                    }
                    throw new HubException(ErrorCode.NOT_FOUND, "There is no such page.");
                }
            };
            return new ApiResponse(200, HTML, html.getBytes(StandardCharsets.UTF_8), HEADERS);
        } catch (HubException e) {
            return refusal(caller, roles, e);
        }
    }

    /**
     * A form sent back: only {@code subjects} takes one. Refused unless it comes from the hub's own page: its
     * {@code Origin} (or, without one, {@code Sec-Fetch-Site}) says so, and it carries the caller's form token.
     */
    public ApiResponse form(HubApi api, Caller caller, Set<Role> roles, String page, Map<String, String> headers,
                            byte[] body) {
        try {
            if (!"subjects".equals(page) && !"whatif".equals(page)) {
                throw new HubException(ErrorCode.NOT_FOUND, "There is no such form.");
            }
            need(roles, Role.IG_LEAD, "subjects".equals(page) ? "trace a subject"
                    : "put a draft partnership to the past decisions");
            SameOrigin.require(headers);
            Map<String, String> form = FormBody.parse(body, headers.get("Content-Type"),
                    "subjects".equals(page) ? SUBJECT_FIELDS : WHAT_IF_FIELDS);
            if (!tokens.matches(caller, form.get("csrf"))) {
                throw new HubException(ErrorCode.FORBIDDEN, "The form has expired or did not come from this hub's page:"
                        + " open the page again and send it from there.");
            }
            if ("whatif".equals(page)) {
                try {
                    return ok(whatIf(api, caller, roles, form));
                } catch (HubException e) {
                    if (e.code() != ErrorCode.BAD_REQUEST) {
                        throw e;
                    }
                    // the draft again (the IG lead's own file, no intelligence), with what to mend
                    List<org.safeguarding.hub.error.FieldError> errors = e.errors().isEmpty()
                            ? List.of(new org.safeguarding.hub.error.FieldError("draft", e.getMessage())) : e.errors();
                    ApiResponse r = ok(whatIfForm(caller, roles, errors, form.getOrDefault("draft", "")));
                    return new ApiResponse(400, r.contentType(), r.body(), r.headers());
                }
            }
            return ok(subjectTrace(api, caller, roles, form));
        } catch (HubException e) {
            if (e.code() == ErrorCode.BAD_REQUEST && !e.errors().isEmpty() && "subjects".equals(page)) {
                // the form again, saying what to mend (the messages never repeat a value), none of it filled in
                ApiResponse r = ok(subjectForm(caller, roles, e.errors()));
                return new ApiResponse(400, r.contentType(), r.body(), r.headers());
            }
            return refusal(caller, roles, e);
        }
    }

    static final List<String> WHAT_IF_FIELDS = List.of("draft", "weeks", "csrf");

    private String whatIfForm(Caller caller, Set<Role> roles, List<org.safeguarding.hub.error.FieldError> errors,
                              String draft) {
        need(roles, Role.IG_LEAD, "put a draft partnership to the past decisions");
        HtmlPage h = frame("What if", caller, roles);
        h.element("h1", "What if this draft were in force?");
        h.element("p", "Paste a draft of the partnership file. The hub checks it as it would its own, then puts it to"
                + " the decisions of the weeks you choose: which recipients would gain or lose which submissions, and"
                + " which fields. It changes nothing. Where a draft's condition needs a fact the hub did not keep (an"
                + " exact age inside an age band), that decision is counted as cannot evaluate, never guessed.");
        errorList(h, "Not evaluated", errors);
        h.raw("<form method=\"post\" action=\"/console/whatif\" class=\"search\" autocomplete=\"off\">\n")
                .raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(tokens.of(caller)).raw("\">\n")
                .raw("<label for=\"draft\">Draft partnership file (YAML)</label><textarea id=\"draft\" name=\"draft\""
                        + " rows=\"18\" spellcheck=\"false\" required>").text(draft).raw("</textarea>\n")
                .raw("<label for=\"weeks\">Weeks of decisions</label><input id=\"weeks\" name=\"weeks\""
                        + " type=\"number\" min=\"1\" max=\"52\" value=\"12\">\n")
                .raw("<button type=\"submit\">Evaluate</button>\n</form>\n");
        return h.raw("</main>\n").html();
    }

    private String whatIf(HubApi api, Caller caller, Set<Role> roles, Map<String, String> form) {
        Map<String, String> q = new LinkedHashMap<>();
        String weeks = form.get("weeks");
        if (weeks != null && !weeks.isBlank()) {
            q.put("weeks", weeks.strip());
        }
        JsonNode r = read(api.whatIf(caller, form.getOrDefault("draft", "").getBytes(StandardCharsets.UTF_8), q));
        HtmlPage h = frame("What if", caller, roles);
        int put = r.path("submissions").asInt();
        h.element("h1", "What if: " + put + (put == 1 ? " submission" : " submissions") + " put to the draft");
        h.element("p", "Decisions from " + r.path("from").asText() + " to " + r.path("to").asText()
                + (r.path("limitedByRetention").asBoolean() ? " (no further back: the facts are kept no longer)" : "")
                + ". Draft digest " + r.path("draftDigest").asText() + ". Nothing was changed.");
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode c : r.path("recipients")) {
            rows.add(new Object[] {c.path("recipient").asText(), c.path("gains").asText(), c.path("losses").asText(),
                    c.path("unchanged").asText(), c.path("cannotEvaluate").asText(),
                    fields(c.path("fieldsGained")), fields(c.path("fieldsLost"))});
        }
        h.table("Each recipient under the draft: submissions it would gain or lose, and fields it would see or no"
                        + " longer see (by how many submissions)", new String[] {"Recipient", "Gains", "Losses",
                        "Unchanged", "Cannot evaluate", "Fields gained", "Fields lost"}, rows, -1);
        List<Object[]> unsettled = new ArrayList<>();
        for (JsonNode u : r.path("cannotEvaluate")) {
            unsettled.add(new Object[] {submissionCell(u), u.path("partnerId").asText(), u.path("recipient").asText(),
                    u.path("why").asText()});
        }
        h.raw("<section aria-labelledby=\"unsettled\">\n<h2 id=\"unsettled\">Cannot evaluate</h2>\n");
        h.table("Decisions the kept facts cannot settle (the first " + 50 + ")", new String[] {"Submission", "Partner",
                "Recipient", "Why"}, unsettled, -1);
        return h.raw("</section>\n</main>\n").html();
    }

    private static String fields(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        counts.fields().forEachRemaining(e -> parts.add(e.getKey() + " (" + e.getValue().asText() + ")"));
        return String.join(", ", parts);
    }

    static final List<String> SUBJECT_FIELDS = List.of("nhsNumber", "upn", "name", "dateOfBirth", "caseReference",
            "reason", "csrf");

    private static ApiResponse ok(String html) {
        return new ApiResponse(200, HTML, html.getBytes(StandardCharsets.UTF_8), HEADERS);
    }

    private String subjectForm(Caller caller, Set<Role> roles, List<org.safeguarding.hub.error.FieldError> errors) {
        need(roles, Role.IG_LEAD, "trace a subject");
        HtmlPage h = frame("Subject trace", caller, roles);
        h.element("h1", "Who received what about this child?");
        h.element("p", "Give one identifier of the child (an NHS number, a UPN, or a name with a date of birth), the"
                + " case or subject-access reference and the reason. They are sent in the body of the request, never in"
                + " its address, and are neither kept nor shown back; the reference and the reason are audited with"
                + " your name.");
        errorList(h, "Not traced", errors);
        h.raw("<form method=\"post\" action=\"/console/subjects\" class=\"search\" autocomplete=\"off\">\n")
                .raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(tokens.of(caller)).raw("\">\n");
        secret(h, "nhsNumber", "NHS number");
        secret(h, "upn", "UPN");
        secret(h, "name", "Name");
        secret(h, "dateOfBirth", "Date of birth (YYYY-MM-DD)");
        secret(h, "caseReference", "Case reference");
        h.raw("<label for=\"reason\">Reason</label><select id=\"reason\" name=\"reason\" required>");
        for (org.safeguarding.hub.api.SubjectTrace.Reason r : org.safeguarding.hub.api.SubjectTrace.Reason.values()) {
            h.raw("<option value=\"" + r.name() + "\">").text(r.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ')).raw("</option>");
        }
        h.raw("</select>\n<button type=\"submit\">Trace</button>\n</form>\n");
        return h.raw("</main>\n").html();
    }

    /** What a form sent back must mend, field by field (the messages never repeat a value); nothing when none. */
    private static void errorList(HtmlPage h, String title, List<org.safeguarding.hub.error.FieldError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        h.raw("<div class=\"errors\" role=\"alert\"><h2>").text(title).raw("</h2><ul>\n");
        for (var e : errors) {
            h.raw("<li>").text((e.path().isEmpty() ? "" : e.path() + ": ") + e.message()).raw("</li>\n");
        }
        h.raw("</ul></div>\n");
    }

    private static void secret(HtmlPage h, String name, String label) {
        h.raw("<label for=\"" + name + "\">").text(label).raw("</label><input id=\"" + name + "\" name=\"" + name
                + "\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\">\n");
    }

    private String subjectTrace(HubApi api, Caller caller, Set<Role> roles, Map<String, String> form) {
        com.fasterxml.jackson.databind.node.ObjectNode q = json.createObjectNode();
        com.fasterxml.jackson.databind.node.ObjectNode child = q.putObject("child");
        for (String f : List.of("nhsNumber", "upn", "name", "dateOfBirth")) {
            String v = form.get(f);
            if (v != null && !v.isBlank()) {
                child.put(f, v.strip());
            }
        }
        q.put("caseReference", form.getOrDefault("caseReference", "").strip());
        q.put("reason", form.getOrDefault("reason", "").strip());
        JsonNode a;
        try {
            a = read(api.subjectTrace(caller, json.writeValueAsBytes(q), Map.of("format", "json")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HtmlPage h = frame("Subject trace", caller, roles);
        int found = a.path("submissionCount").asInt();
        h.element("h1", "Subject trace: " + found + (found == 1 ? " submission" : " submissions"));
        String notice = a.path("notice").asText("");
        h.element("p", "For case " + form.getOrDefault("caseReference", "").strip() + ". "
                + (notice.isEmpty() ? "" : Character.toUpperCase(notice.charAt(0)) + notice.substring(1) + "."));
        for (JsonNode sub : a.path("submissions")) {
            String id = sub.path("submissionId").asText();
            List<String> cats = new ArrayList<>();
            sub.path("categories").forEach(c -> cats.add(c.asText()));
            h.raw("<section>\n<h2>");
            if (UUID.matcher(id).matches()) {
                h.link("/console/submissions/" + id, "Submission " + id);
            } else {
                h.text("Submission " + id);
            }
            h.raw("</h2>\n").element("p", "From " + sub.path("partnerId").asText() + " (" + sub.path("sector").asText()
                    + ", " + sub.path("area").asText() + "), " + String.join(", ", cats) + ", handling "
                    + sub.path("handlingCode").asText() + ", received " + sub.path("receivedAt").asText() + ".");
            List<Object[]> rows = new ArrayList<>();
            for (JsonNode r : sub.path("recipients")) {
                List<String> w = new ArrayList<>();
                r.path("withheld").forEach(x -> w.add(x.asText()));
                rows.add(new Object[] {r.path("recipient").asText(), r.path("decision").asText(""),
                        r.path("agreementId").asText("") + (r.path("agreementVersion").isNumber() ? " v"
                                + r.path("agreementVersion").asInt() : ""), r.path("reasonCode").asText(""),
                        String.join(", ", w), r.path("packageId").asText(""), r.path("packageState").asText("")
                        + (r.path("stateAt").isTextual() ? " " + r.path("stateAt").asText() : "")});
            }
            h.table("Each recipient: decision, agreement, clause, what was withheld, and the package",
                    new String[] {"Recipient", "Decision", "Agreement", "Clause or reason", "Withheld", "Package",
                            "State"}, rows, -1);
            h.raw("</section>\n");
        }
        return h.raw("</main>\n").html();
    }

    private ApiResponse refusal(Caller caller, Set<Role> roles, HubException e) {
        HtmlPage h = frame("Not shown", caller, roles);
        h.element("h1", e.code().httpStatus() == 403 ? "Not for you" : "Not shown")
                .element("p", e.getMessage() == null ? e.code().name() : e.getMessage())
                .raw("<p>").link("/console", "Back to the start").raw("</p>\n</main>\n");
        ApiResponse r = new ApiResponse(e.code().httpStatus(), HTML, h.html().getBytes(StandardCharsets.UTF_8), HEADERS);
        return e.code() == ErrorCode.UNAVAILABLE ? r.withHeader("Retry-After", "5") : r;
    }

    /** The page's head, its header naming who is signed in, and the links the caller's roles give. */
    private HtmlPage frame(String title, Caller caller, Set<Role> roles) {
        HtmlPage h = new HtmlPage(title + " · Safeguarding hub", 0);
        h.raw("<header>\n<p class=\"who\">Signed in as <strong>").text(caller.isPerson() ? caller.person()
                        : "the system of " + caller.participantId())
                .raw("</strong>").text(caller.isPerson() ? " for " + caller.participantId() : "")
                .text(roles.isEmpty() ? "" : " (" + roleWords(roles) + ")").raw("</p>\n<nav aria-label=\"Console\"><ul>")
                .raw("<li>").link("/console", "Start").raw("</li>");
        if (roles.contains(Role.IG_LEAD)) {
            h.raw("<li>").link("/console/audit", "Audit trail").raw("</li><li>").link("/console/verify", "Verification")
                    .raw("</li><li>").link("/console/subjects", "Subject trace").raw("</li><li>")
                    .link("/console/attention", "Needs attention").raw("</li><li>")
                    .link("/console/agreements", "Agreements").raw("</li><li>")
                    .link("/console/whatif", "What if").raw("</li>");
        }
        if (roles.contains(Role.IG_LEAD) || roles.contains(Role.BOARD)) {
            h.raw("<li>").link("/console/flows", "Flow report").raw("</li>");
        }
        if (roles.contains(Role.RECIPIENT)) {
            h.raw("<li>").link("/console/inbox", "Inbox").raw("</li>");
        }
        return h.raw("</ul></nav>\n</header>\n<main>\n");
    }

    private static String roleWords(Set<Role> roles) {
        List<String> words = new ArrayList<>();
        for (Role r : roles) {
            words.add(switch (r) {
                case IG_LEAD -> "information governance lead";
                case BOARD -> "board";
                case RECIPIENT -> "recipient";
                case PARTNER -> "partner";
                case HUB -> "hub";
            });
        }
        return String.join(", ", words);
    }

    private String start(Caller caller, Set<Role> roles) {
        HtmlPage h = frame("Start", caller, roles);
        h.element("h1", "Safeguarding hub console");
        h.element("p", "The hub shows metadata only: who shared what kind of intelligence with whom, under which "
                + "agreement, and what happened to it. It holds no intelligence to show, and opens no package here.");
        List<String[]> offers = new ArrayList<>();
        if (roles.contains(Role.IG_LEAD)) {
            offers.add(new String[] {"/console/audit", "Audit trail",
                    "search the trail by submission, participant, event type and time; open a submission's story"});
            offers.add(new String[] {"/console/verify", "Verification", "check the chain of every audit event"});
            offers.add(new String[] {"/console/subjects", "Subject trace",
                    "who received what about a child, for a case or a subject-access request"});
            offers.add(new String[] {"/console/attention", "Needs attention",
                    "submissions quarantined or dead-lettered, with their reasons, and alerts raised, last 30 days"});
            offers.add(new String[] {"/console/agreements", "Agreements",
                    "the data-sharing agreements, their versions, validity and recipients"});
            offers.add(new String[] {"/console/whatif", "What if",
                    "a draft partnership file put to the decisions of the last weeks: who would gain or lose what"});
        }
        if (roles.contains(Role.IG_LEAD) || roles.contains(Role.BOARD)) {
            offers.add(new String[] {"/console/flows", "Flow report", roles.contains(Role.IG_LEAD)
                    ? "what was shared and what was not, by area, category, month, agreement and recipient"
                    : "the last ended month's flows as charts, small numbers suppressed; printable"});
        }
        if (roles.contains(Role.RECIPIENT)) {
            offers.add(new String[] {"/console/inbox", "Inbox",
                    "the packages waiting for " + caller.participantId() + ", each to download sealed"});
        }
        if (offers.isEmpty()) {
            h.element("p", "The console has no page for " + caller.participantId() + "'s role. Operators use the "
                    + "operator console on the hub's management port.");
        } else {
            h.raw("<ul class=\"offers\">\n");
            for (String[] o : offers) {
                h.raw("<li>").link(o[0], o[1]).text(": " + o[2]).raw("</li>\n");
            }
            h.raw("</ul>\n");
        }
        return h.raw("</main>\n").html();
    }

    private static void need(Set<Role> roles, Role role, String what) {
        if (!roles.contains(role)) {
            throw new HubException(ErrorCode.FORBIDDEN, "Only a participant with the " + role.name() + " role may "
                    + what + ".");
        }
    }

    private String audit(HubApi api, Caller caller, Set<Role> roles, Map<String, String> query) {
        need(roles, Role.IG_LEAD, "read the audit trail");
        Map<String, String> q = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                q.put(k, v.strip());
            }
        });
        Map<String, String> asked = new LinkedHashMap<>(q);
        asked.put("limit", Integer.toString(AUDIT_PAGE));
        JsonNode page = read(api.auditEvents(caller, asked));
        HtmlPage h = frame("Audit trail", caller, roles);
        h.element("h1", "Audit trail");
        h.raw("<form method=\"get\" action=\"/console/audit\" class=\"search\" autocomplete=\"off\">\n");
        input(h, "submissionId", "Submission id", q);
        input(h, "participant", "Participant", q);
        h.raw("<label for=\"type\">Event type</label><select id=\"type\" name=\"type\"><option value=\"\">any</option>");
        for (AuditEventType t : AuditEventType.values()) {
            h.raw("<option value=\"" + t.name() + "\"" + (t.name().equals(q.get("type")) ? " selected" : "") + ">")
                    .text(t.name()).raw("</option>");
        }
        h.raw("</select>\n");
        input(h, "from", "From (day or instant)", q);
        input(h, "to", "To (day or instant)", q);
        h.raw("<button type=\"submit\">Search</button>\n</form>\n");
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode e : page.path("events")) {
            rows.add(new Object[] {e.path("sequence").asText(), e.path("time").asText(), e.path("type").asText(),
                    e.path("actor").asText(""), e.path("participant").asText(""), submissionCell(e),
                    e.path("packageId").asText(""), agreement(e), decision(e), String.join(", ", paths(e))});
        }
        h.table("Events oldest first, " + AUDIT_PAGE + " to a page", new String[] {"#", "Time", "Event", "By",
                "Participant", "Submission", "Package", "Agreement", "Decision", "Withheld"}, rows, -1);
        Map<String, String> export = new LinkedHashMap<>(q);
        export.remove("after");
        Map<String, String> csv = new LinkedHashMap<>(Map.of("format", "csv"));
        csv.putAll(export);
        Map<String, String> jsonl = new LinkedHashMap<>(Map.of("format", "jsonl"));
        jsonl.putAll(export);
        h.raw("<p>Export these events: ").link("/api/v1/audit/export?" + encode(csv), "CSV").raw(", ")
                .link("/api/v1/audit/export?" + encode(jsonl), "JSON Lines").raw(" (every page; audited).</p>\n");
        if (!page.path("next").isNull() && !page.path("next").isMissingNode()) {
            Map<String, String> next = new LinkedHashMap<>(q);
            next.put("after", page.path("next").asText());
            h.raw("<p>").link("/console/audit?" + encode(next), "Next page").raw("</p>\n");
        }
        return h.raw("</main>\n").html();
    }

    private static void input(HtmlPage h, String name, String label, Map<String, String> q) {
        h.raw("<label for=\"" + name + "\">").text(label).raw("</label><input id=\"" + name + "\" name=\"" + name
                + "\" type=\"text\" spellcheck=\"false\" value=\"").text(q.getOrDefault(name, "")).raw("\">\n");
    }

    private static Object submissionCell(JsonNode e) {
        String id = e.path("submissionId").asText("");
        return UUID.matcher(id).matches() ? new HtmlPage.Cell(id, "/console/submissions/" + id) : id;
    }

    private static String agreement(JsonNode e) {
        String a = e.path("agreementId").asText("");
        return a.isEmpty() ? "" : a + (e.path("agreementVersion").isNumber() ? " v" + e.path("agreementVersion").asInt()
                : "");
    }

    private static String decision(JsonNode e) {
        String d = e.path("decision").asText("");
        String r = e.path("reasonCode").asText("");
        return r.isEmpty() ? d : d.isEmpty() ? r : d + " (" + r + ")";
    }

    private static List<String> paths(JsonNode e) {
        List<String> p = new ArrayList<>();
        e.path("withheldPaths").forEach(n -> p.add(n.asText()));
        return p;
    }

    private String story(HubApi api, Caller caller, Set<Role> roles, String submissionId) {
        need(roles, Role.IG_LEAD, "read a submission's story");
        if (!UUID.matcher(submissionId).matches()) {
            throw new HubException(ErrorCode.NOT_FOUND, "A submission id is a UUID.");
        }
        JsonNode page = read(api.auditEvents(caller, Map.of("submissionId", submissionId,
                "limit", Integer.toString(STORY_EVENTS))));
        List<JsonNode> events = new ArrayList<>();
        page.path("events").forEach(events::add);
        if (events.isEmpty()) {
            throw new HubException(ErrorCode.NOT_FOUND, "The audit trail holds no event of that submission.");
        }
        HtmlPage h = frame("Submission " + submissionId, caller, roles);
        h.element("h1", "Submission " + submissionId);
        JsonNode first = events.get(0);
        h.element("p", "From " + partner(events) + ", first seen " + first.path("time").asText() + ". "
                + events.size() + " events"
                + (events.size() == STORY_EVENTS ? " (the first " + STORY_EVENTS + "; the audit trail page has the rest)"
                : "") + ".");

        List<Object[]> decisions = new ArrayList<>();
        Map<String, String[]> deliveries = new LinkedHashMap<>();
        for (JsonNode e : events) {
            String type = e.path("type").asText();
            if ("DECISION".equals(type)) {
                decisions.add(new Object[] {e.path("participant").asText(""), e.path("decision").asText(""),
                        agreement(e), e.path("reasonCode").asText(""), why(e), String.join(", ", paths(e))});
            }
            String pkg = e.path("packageId").asText("");
            if (!pkg.isEmpty()) {
                String[] d = deliveries.computeIfAbsent(pkg, k -> new String[] {k, "", "", "", ""});
                switch (type) {
                    case "PACKAGE_DELIVERED" -> {
                        d[1] = e.path("participant").asText("");
                        d[2] = e.path("time").asText();
                    }
                    case "PACKAGE_ACKNOWLEDGED" -> d[3] = "acknowledged " + e.path("time").asText();
                    case "PACKAGE_EXPIRED" -> d[3] = "expired unread " + e.path("time").asText();
                    case "PACKAGE_FETCHED" -> d[4] = "fetched " + e.path("time").asText() + " by "
                            + e.path("actor").asText("");
                    default -> {
                    }
                }
            }
        }
        h.raw("<section aria-labelledby=\"decisions\">\n<h2 id=\"decisions\">Decisions</h2>\n");
        h.table("Each recipient considered: the decision, the agreement and clause it rests on, why, and what was"
                        + " withheld", new String[] {"Recipient", "Decision", "Agreement", "Clause or reason", "Why",
                        "Withheld"}, decisions, -1);
        h.raw("</section>\n<section aria-labelledby=\"deliveries\">\n<h2 id=\"deliveries\">Packages</h2>\n");
        h.table("Each package delivered, and what became of it", new String[] {"Package", "Recipient", "Delivered",
                "Outcome", "Last fetched"}, new ArrayList<>(deliveries.values()), -1);
        h.raw("</section>\n<section aria-labelledby=\"timeline\">\n<h2 id=\"timeline\">Every event</h2>\n");
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode e : events) {
            rows.add(new Object[] {e.path("sequence").asText(), e.path("time").asText(), e.path("type").asText(),
                    e.path("actor").asText(""), e.path("participant").asText(""), e.path("packageId").asText(""),
                    decision(e)});
        }
        h.table("Oldest first", new String[] {"#", "Time", "Event", "By", "Participant", "Package", "Decision"}, rows,
                -1);
        return h.raw("</section>\n</main>\n").html();
    }

    /** A decision explained in words: what the agreement's clause for that recipient allowed, or did not. */
    static String why(JsonNode decision) {
        String agreement = agreement(decision);
        String under = agreement.isEmpty() ? "" : " under " + agreement;
        if ("SHARED".equals(decision.path("decision").asText())) {
            return "The clause for this recipient" + under + " covers the area, categories, purpose, ages,"
                    + " classification and handling; its sector's profile withheld what is listed.";
        }
        return switch (decision.path("reasonCode").asText("")) {
            case "AGREEMENT_EXPIRED" -> "Only an agreement that is expired, suspended or not yet valid names this"
                    + " recipient.";
            case "NO_AGREEMENT" -> "No agreement names this recipient.";
            case "OUT_OF_AREA" -> "The clause" + under + " does not cover the submission's area.";
            case "CATEGORY_NOT_COVERED" -> "The clause" + under + " covers none of the submission's categories.";
            case "PURPOSE_NOT_PERMITTED" -> "The clause" + under + " does not permit the submission's purpose.";
            case "OUT_OF_AGE_SCOPE" -> "No child at risk in the submission is of an age the clause" + under
                    + " covers.";
            case "CONDITION_NOT_MET" -> "The further condition of the clause" + under + " (such as a placing"
                    + " authority) is not met.";
            case "CLASSIFICATION" -> "The clause" + under + " does not allow the submission's classification.";
            case "HANDLING_CONDITIONS" -> "Handling code C, and this recipient's sector may not receive conditional"
                    + " material.";
            case "RECIPIENT_SUSPENDED" -> "The recipient is suspended in the partnership: it receives nothing.";
            default -> "";
        };
    }

    /** The submitting partner: who the hub accepted it from, or whose submission it opened. */
    private static String partner(List<JsonNode> events) {
        for (JsonNode e : events) {
            switch (e.path("type").asText()) {
                case "SUBMISSION_ACCEPTED", "SUBMISSION_DUPLICATE", "SUBMISSION_REJECTED" -> {
                    return e.path("actor").asText("");
                }
                case "SUBMISSION_OPENED", "SUBMISSION_ROUTED" -> {
                    return e.path("participant").asText("");
                }
                default -> {
                }
            }
        }
        return "an unknown partner";
    }

    /** How far back the attention page looks. */
    static final java.time.Duration ATTENTION_WINDOW = java.time.Duration.ofDays(30);

    private String attention(HubApi api, Caller caller, Set<Role> roles) {
        need(roles, Role.IG_LEAD, "read the audit trail");
        String from = clock.instant().minus(ATTENTION_WINDOW).truncatedTo(ChronoUnit.SECONDS).toString();
        HtmlPage h = frame("Needs attention", caller, roles);
        h.element("h1", "Needs attention");
        h.element("p", "Since " + from + ", oldest first (at most " + STORY_EVENTS + " of each).");
        JsonNode quarantined = read(api.auditEvents(caller, Map.of("type", "SUBMISSION_QUARANTINED", "from", from,
                "limit", Integer.toString(STORY_EVENTS))));
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode e : quarantined.path("events")) {
            boolean dead = e.path("key").asText("").endsWith(":dead-letter");
            rows.add(new Object[] {e.path("time").asText(), dead ? "dead-lettered " + e.path("detail").asText("")
                    : "quarantined", e.path("participant").asText(""), submissionCell(e),
                    e.path("packageId").asText(""), e.path("reasonCode").asText("")});
        }
        h.raw("<section aria-labelledby=\"quarantine\">\n<h2 id=\"quarantine\">Quarantined and dead-lettered</h2>\n");
        h.table("What the hub could not route or deliver, and why", new String[] {"Time", "What", "Partner",
                "Submission", "Package", "Reason"}, rows, -1);
        h.raw("</section>\n");
        JsonNode alerts = read(api.auditEvents(caller, Map.of("type", "ALERT_RAISED", "from", from,
                "limit", Integer.toString(STORY_EVENTS))));
        List<Object[]> raised = new ArrayList<>();
        Pattern alertId = Pattern.compile("alert=([A-Za-z0-9._:-]+)");
        for (JsonNode e : alerts.path("events")) {
            java.util.regex.Matcher m = alertId.matcher(e.path("detail").asText(""));
            String id = m.find() ? m.group(1) : "";
            raised.add(new Object[] {e.path("time").asText(), id.isEmpty() ? "" : new HtmlPage.Cell(id,
                    "/console/alerts/" + id), e.path("decision").asText(""), e.path("participant").asText(""),
                    submissionCell(e)});
        }
        h.raw("<section aria-labelledby=\"alerts\">\n<h2 id=\"alerts\">Alerts raised</h2>\n");
        h.table("Contextual alerts raised or grown, and the submission that triggered each", new String[] {"Time",
                "Alert", "Raised or updated", "Partner", "Submission"}, raised, -1);
        return h.raw("</section>\n</main>\n").html();
    }

    private String alert(HubApi api, Caller caller, Set<Role> roles, String alertId) {
        need(roles, Role.IG_LEAD, "look up an alert");
        JsonNode a = read(api.alert(caller, alertId));
        HtmlPage h = frame("Alert " + alertId, caller, roles);
        h.element("h1", "Alert " + a.path("alertId").asText());
        h.element("p", "Rule " + a.path("ruleId").asText() + ", revision " + a.path("revision").asText()
                + ", linked by " + a.path("linkKind").asText() + "; raised " + a.path("raisedAt").asText()
                + ", last updated " + a.path("updatedAt").asText() + ".");
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode sub : a.path("submissions")) {
            List<String> cats = new ArrayList<>();
            sub.path("categories").forEach(c -> cats.add(c.asText()));
            List<String> shared = new ArrayList<>();
            sub.path("sharedWith").forEach(c -> shared.add(c.asText()));
            rows.add(new Object[] {submissionCell(sub), sub.path("partnerId").asText(), sub.path("sector").asText(),
                    sub.path("area").asText(), String.join(", ", cats), sub.path("receivedAt").asText(),
                    String.join(", ", shared)});
        }
        h.table("The submissions the alert links, never the identifier that links them", new String[] {"Submission",
                "Partner", "Sector", "Area", "Categories", "Received", "Shared with"}, rows, -1);
        return h.raw("</main>\n").html();
    }

    private String agreements(Caller caller, Set<Role> roles) {
        need(roles, Role.IG_LEAD, "read the agreements");
        org.safeguarding.hub.partnership.Partnership p = partnership.get();
        java.time.Instant now = clock.instant();
        HtmlPage h = frame("Agreements", caller, roles);
        h.element("h1", "Data-sharing agreements");
        h.element("p", "The partnership file in force: " + p.name() + ", digest " + p.digest() + ". Agreements in"
                + " their order of precedence; a recipient reached by several is served under the first in force.");
        List<Object[]> rows = new ArrayList<>();
        List<org.safeguarding.hub.partnership.Agreement> all = new ArrayList<>(p.agreements());
        all.sort(org.safeguarding.hub.partnership.Partnership.PRECEDENCE);
        for (org.safeguarding.hub.partnership.Agreement a : all) {
            List<String> recipients = new ArrayList<>();
            a.clauses().forEach(c -> recipients.add(c.recipientId()));
            rows.add(new Object[] {a.id() + " v" + a.version(), a.title(), a.status().name(),
                    a.validFrom() + " to " + a.validTo(), a.inForceAt(now) ? "in force" : "WARNING not in force",
                    String.join(", ", recipients)});
        }
        h.table("Each agreement's version, status, validity (UTC days, both included) and the recipients its clauses "
                + "name", new String[] {"Agreement", "Title", "Status", "Valid", "Today", "Recipients"}, rows, 4);
        return h.raw("</main>\n").html();
    }

    private String verify(HubApi api, Caller caller, Set<Role> roles) {
        need(roles, Role.IG_LEAD, "verify the audit trail");
        JsonNode v = read(api.auditVerify(caller));
        HtmlPage h = frame("Verification", caller, roles);
        h.element("h1", "Verification of the audit trail");
        boolean ok = v.path("ok").asBoolean(false);
        h.raw("<p class=\"verdict\"><span class=\"state " + (ok ? "up" : "down") + "\">" + (ok ? "VERIFIED" : "BROKEN")
                + "</span> ").text(ok ? "All " + v.path("events").asText() + " events chain and match their hashes."
                        : "The chain breaks at event " + v.path("firstBadEvent").asText("?") + ": "
                        + v.path("reason").asText("")).raw("</p>\n");
        h.element("p", "Head of the chain: " + v.path("head").asText("none") + ". Checked at "
                + clock.instant().truncatedTo(ChronoUnit.SECONDS) + ".");
        return h.raw("</main>\n").html();
    }

    private String flows(HubApi api, Caller caller, Set<Role> roles, Map<String, String> query) {
        if (!roles.contains(Role.IG_LEAD) && !roles.contains(Role.BOARD)) {
            throw new HubException(ErrorCode.FORBIDDEN,
                    "Only a participant with the IG_LEAD or BOARD role may read the flow reports.");
        }
        Map<String, String> q = new LinkedHashMap<>();
        String period = query.get("period");
        if (period != null && !period.isBlank()) {
            q.put("period", period.strip());
        }
        JsonNode r = read(api.flowReport(caller, q));
        HtmlPage h = frame("Flow report", caller, roles);
        String named = r.path("period").asText("");
        h.element("h1", "Flow report" + (named.isEmpty() ? "" : " for " + named));
        h.element("p", "From " + r.path("from").asText("the start of the trail") + " to " + r.path("to").asText()
                + "; made " + r.path("generatedAt").asText() + "."
                + (r.path("smallNumbers").isTextual() ? " Disclosure control: " + r.path("smallNumbers").asText()
                + "." : ""));
        h.raw("<form method=\"get\" action=\"/console/flows\" class=\"search\">\n");
        input(h, "period", "Period (a month as 2026-03, or a quarter as 2026-Q1)", q);
        h.raw("<button type=\"submit\">Show</button>\n</form>\n");
        JsonNode total = r.path("total");
        h.element("p", "Shared: " + total.path("shared").asText() + "; not shared: " + total.path("notShared").asText()
                + ".");
        chart(h, "byArea", "By area", r.path("byArea"), "area", "Area");
        chart(h, "byCategory", "By category", r.path("byCategory"), "category", "Category");
        chart(h, "byMonth", "By month", r.path("byMonth"), "month", "Month");
        List<Object[]> flows = new ArrayList<>();
        long most = most(r.path("flows"));
        for (JsonNode f : r.path("flows")) {
            flows.add(new Object[] {f.path("agreement").asText("") + (f.path("agreementVersion").isNumber()
                    ? " v" + f.path("agreementVersion").asInt() : ""), f.path("partner").asText(""),
                    f.path("recipient").asText(""), new Bar(f.path("shared"), most), f.path("notShared").asText()});
        }
        h.raw("<section aria-labelledby=\"flows\">\n<h2 id=\"flows\">By agreement and recipient</h2>\n");
        barTable(h, "Submissions shared and not shared under each agreement, from each partner to each recipient",
                new String[] {"Agreement", "Partner", "Recipient", "Shared", "Not shared"}, flows);
        h.raw("</section>\n");
        JsonNode ack = r.path("acknowledgementByUrgency");
        List<Object[]> times = new ArrayList<>();
        ack.fields().forEachRemaining(e -> times.add(new Object[] {e.getKey(),
                minutes(e.getValue().path("medianMinutes")), minutes(e.getValue().path("p90Minutes"))}));
        h.raw("<section aria-labelledby=\"timeliness\">\n<h2 id=\"timeliness\">Timeliness</h2>\n");
        h.table("From receipt to the recipient's acknowledgement, by urgency", new String[] {"Urgency", "Median",
                "90th percentile"}, times, -1);
        h.element("p", "Unacknowledged after " + r.path("unacknowledged").path("after").asText() + ": "
                + total(r.path("unacknowledged").path("byRecipient")) + ". To print this report for the annual "
                + "assurance, use the browser's Print: the page prints without its navigation.");
        return h.raw("</section>\n</main>\n").html();
    }

    private static String total(JsonNode byRecipient) {
        List<String> parts = new ArrayList<>();
        byRecipient.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String minutes(JsonNode n) {
        return n.isNumber() ? n.asLong() + " min" : n.isTextual() ? n.asText() : "not shown";
    }

    private static long most(JsonNode rows) {
        long most = 0;
        for (JsonNode n : rows) {
            if (n.path("shared").isNumber()) {
                most = Math.max(most, n.path("shared").asLong());
            }
        }
        return most;
    }

    /** A count drawn as a bar against the largest of its chart; a suppressed cell is its words, never a bar. */
    private record Bar(JsonNode value, long max) {
    }

    private static void chart(HtmlPage h, String id, String title, JsonNode rows, String field, String column) {
        long most = most(rows);
        List<Object[]> r = new ArrayList<>();
        for (JsonNode n : rows) {
            r.add(new Object[] {n.path(field).asText(""), new Bar(n.path("shared"), most), n.path("notShared").asText()});
        }
        h.raw("<section aria-labelledby=\"" + id + "\">\n<h2 id=\"" + id + "\">").text(title).raw("</h2>\n");
        barTable(h, "Submissions shared and not shared, " + title.toLowerCase(java.util.Locale.ROOT),
                new String[] {column, "Shared", "Not shared"}, r);
        h.raw("</section>\n");
    }

    private static void barTable(HtmlPage h, String caption, String[] head, List<Object[]> rows) {
        h.raw("<table class=\"chart\">\n<caption>").text(caption).raw("</caption>\n<thead><tr>");
        for (String c : head) {
            h.raw("<th scope=\"col\">").text(c).raw("</th>");
        }
        h.raw("</tr></thead>\n<tbody>\n");
        if (rows.isEmpty()) {
            h.raw("<tr><td colspan=\"" + head.length + "\">none</td></tr>\n");
        }
        for (Object[] row : rows) {
            h.raw("<tr><th scope=\"row\">").text(String.valueOf(row[0])).raw("</th>");
            for (int i = 1; i < row.length; i++) {
                h.raw("<td>");
                if (row[i] instanceof Bar b) {
                    if (b.value().isNumber()) {
                        long v = b.value().asLong();
                        h.raw("<meter min=\"0\" max=\"" + Math.max(1, b.max()) + "\" value=\"" + v + "\"></meter> ")
                                .text(Long.toString(v));
                    } else {
                        h.text(b.value().asText("") + (b.value().isTextual() ? " (suppressed)" : ""));
                    }
                } else {
                    h.text(String.valueOf(row[i]));
                }
                h.raw("</td>");
            }
            h.raw("</tr>\n");
        }
        h.raw("</tbody>\n</table>\n");
    }

    private String inbox(HubApi api, Caller caller, Set<Role> roles, Map<String, String> query) {
        need(roles, Role.RECIPIENT, "list an inbox");
        Map<String, String> q = new LinkedHashMap<>();
        q.put("limit", Integer.toString(INBOX_PAGE));
        if (query.get("after") != null && !query.get("after").isBlank()) {
            q.put("after", query.get("after").strip());
        }
        ApiResponse answer = api.inbox(caller, q);
        JsonNode list = read(answer);
        HtmlPage h = frame("Inbox", caller, roles);
        h.element("h1", "Inbox of " + caller.participantId());
        String pending = answer.headers().getOrDefault("Inbox-Pending", "?");
        h.element("p", ("1".equals(pending) ? "1 package waits" : pending + " packages wait") + ". Each downloads sealed "
                + "to " + caller.participantId() + "'s own key: the hub never opens it, and it opens only on "
                + caller.participantId() + "'s desk.");
        List<Object[]> rows = new ArrayList<>();
        String last = null;
        for (JsonNode p : list) {
            String id = p.path("packageId").asText();
            last = id;
            List<String> cats = new ArrayList<>();
            p.path("categories").forEach(c -> cats.add(c.asText()));
            String kind = p.path("kind").asText("");
            rows.add(new Object[] {new HtmlPage.Cell(id, UUID.matcher(id).matches() ? "/api/v1/inbox/" + id : null),
                    p.path("routedAt").asText(), String.join(", ", cats), p.path("area").asText(""),
                    "alert".equals(kind) ? "ALERT: a contextual alert" : kind, p.path("urgency").asText(""),
                    p.path("size").asText() + " bytes"});
        }
        h.table("Pending packages, oldest first; a package's link downloads it sealed",
                new String[] {"Package", "Routed at", "Categories", "Area", "Kind", "Urgency", "Size"}, rows, -1);
        if (answer.headers().containsKey("Link") && last != null) {
            h.raw("<p>").link("/console/inbox?" + encode(Map.of("after", last)), "Next page").raw("</p>\n");
        }
        return h.raw("</main>\n").html();
    }

    private JsonNode read(ApiResponse r) {
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(Map<String, String> q) {
        List<String> parts = new ArrayList<>();
        q.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", parts);
    }
}
