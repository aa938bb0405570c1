package org.safeguarding.hub.desk;

import static org.safeguarding.hub.http.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The desk's pages, as HTML: the list of what is kept (alerts, recalls and notices, packages), one document read as a
 * person reads it (its codes in {@link Words}, what was withheld and why), and search results. Plain HTML that links
 * one stylesheet; no script, no inline style; every value from a package is escaped ({@code Html.escape}), and an id
 * goes into a link only when it is one.
 */
final class DeskPage {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final String recipient;
    private final String csrf;

    DeskPage(String recipient, String csrf) {
        this.recipient = recipient;
        this.csrf = csrf;
    }

    /** The desk's front page: the last fetch, the search form, then alerts, notices and packages, newest first. */
    String index(List<StoredPackage> all, DeskFetcher.Status status) {
        StringBuilder b = start("Officer's desk");
        b.append("<header><h1>Officer's desk: ").append(escape(recipient)).append("</h1>");
        b.append("<p class=\"status\">").append(statusLine(status)).append("</p></header>");
        b.append(searchForm(""));
        List<StoredPackage> newest = new ArrayList<>(all);
        java.util.Collections.reverse(newest);
        List<StoredPackage> alerts = newest.stream().filter(p -> p.kind().equals("alert")).toList();
        List<StoredPackage> notices = newest.stream()
                .filter(p -> !p.carriesSubmission() && !p.kind().equals("alert")).toList();
        List<StoredPackage> packages = newest.stream().filter(StoredPackage::carriesSubmission).toList();
        b.append("<section><h2>Alerts (").append(alerts.size()).append(")</h2>");
        if (alerts.isEmpty()) {
            b.append("<p>No alerts.</p>");
        }
        Set<String> held = ids(all);
        for (StoredPackage a : alerts) {
            b.append(alertSummary(a, held));
        }
        b.append("</section><section><h2>Packages (").append(packages.size()).append(")</h2>");
        b.append(packageTable(packages));
        b.append("</section><section><h2>Recalls and notices (").append(notices.size()).append(")</h2>");
        if (notices.isEmpty()) {
            b.append("<p>None.</p>");
        }
        b.append("<ul class=\"notices\">");
        for (StoredPackage n : notices) {
            b.append("<li>").append(link(n.packageId(), noticeTitle(n))).append(" <span class=\"when\">")
                    .append(escape(n.receivedAt().toString())).append("</span></li>");
        }
        b.append("</ul></section>");
        return end(b);
    }

    /** One document in full; {@code all} gives the alerts that link it and what else is held. */
    String document(StoredPackage p, List<StoredPackage> all) {
        StringBuilder b = start(p.carriesSubmission() ? "Package" : noticeTitle(p));
        b.append("<nav><a href=\"/\">All packages</a></nav>");
        switch (p.kind()) {
            case "alert" -> b.append(alert(p, ids(all)));
            case "recall" -> b.append(recall(p));
            case "escalation" -> b.append(escalation(p));
            default -> b.append(p.carriesSubmission() ? routed(p, all)
                    : "<h1>A document of kind " + escape(p.kind()) + "</h1><p>The desk does not know how to show it.</p>");
        }
        b.append("<form method=\"post\" action=\"/read\">").append(csrfField())
                .append("<input type=\"hidden\" name=\"id\" value=\"").append(escape(p.packageId())).append("\">");
        if (p.read()) {
            b.append("<p class=\"read\">Marked read.</p>");
        } else {
            b.append("<button type=\"submit\">Mark as read</button>");
        }
        b.append("</form>");
        return end(b);
    }

    /** What a search found; the query is shown back only here, escaped, and kept nowhere. */
    String results(String query, List<StoredPackage> found) {
        StringBuilder b = start("Search");
        b.append("<nav><a href=\"/\">All packages</a></nav><h1>Search</h1>").append(searchForm(query));
        b.append("<p>").append(found.size()).append(found.size() == 1 ? " document contains " : " documents contain ")
                .append("every word of <q>").append(escape(query)).append("</q>.</p>");
        List<StoredPackage> packages = found.stream().filter(StoredPackage::carriesSubmission).toList();
        if (!packages.isEmpty()) {
            b.append(packageTable(packages));
        }
        b.append("<ul class=\"notices\">");
        for (StoredPackage n : found) {
            if (!n.carriesSubmission()) {
                b.append("<li>").append(link(n.packageId(), noticeTitle(n))).append("</li>");
            }
        }
        b.append("</ul>");
        return end(b);
    }

    /** A refusal: why in a few words, and nothing of what the desk holds. */
    static String refused(int status, String reason) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Officer's desk</title></head>"
                + "<body><h1>" + status + "</h1><p>" + escape(reason) + ". Open the desk with the address it printed"
                + " when it started.</p></body></html>";
    }

    private String routed(StoredPackage p, List<StoredPackage> all) {
        JsonNode pkg = p.json();
        JsonNode s = pkg.path("submission");
        StringBuilder b = new StringBuilder();
        b.append("<article><h1>").append(escape(categories(s.path("categories")))).append(" in ")
                .append(escape(Words.area(s.path("area").asText()))).append("</h1>");
        if (pkg.path("kind").asText().equals("update")) {
            b.append("<p class=\"update\">Correction, revision ").append(escape(pkg.path("revision").asText()))
                    .append(": ").append(escape(Words.correctionReason(pkg.path("correctionReason").asText())))
                    .append("; changed: ").append(escape(join(pkg.path("changedGroups")).toLowerCase(java.util.Locale.ROOT)))
                    .append(". It replaces ").append(idList(pkg.path("supersedes"), ids(all))).append(".</p>");
        }
        b.append("<dl class=\"facts\">");
        fact(b, "From", pkg.path("source").path("partnerId").asText() + sector(pkg.path("source").path("sector")));
        fact(b, "Submitted", s.path("submittedAt").asText());
        fact(b, "Routed to you", pkg.path("routedAt").asText());
        fact(b, "Agreement", pkg.path("agreement").path("id").asText() + " version "
                + pkg.path("agreement").path("version").asText());
        fact(b, "Purpose", Words.purpose(s.path("purpose").asText()));
        fact(b, "Classification", Words.classification(s.path("classification").asText()));
        if (pkg.has("urgency")) {
            fact(b, "Urgency", pkg.path("urgency").asText() + ": acknowledge by " + pkg.path("acknowledgeBy").asText());
        }
        fact(b, "Package", p.packageId());
        fact(b, "Submission", pkg.path("submissionId").asText());
        b.append("</dl>");

        b.append("<section><h2>Handling</h2><p class=\"handling\">")
                .append(escape(Words.handling(s.path("handling").path("code").asText()))).append("</p>");
        if (s.path("handling").has("conditions")) {
            b.append("<p class=\"conditions\">Conditions: ").append(escape(s.path("handling").path("conditions").asText()))
                    .append("</p>");
        }
        if (s.has("grading")) {
            b.append("<p>Grading: source ").append(escape(Words.sourceGrade(s.path("grading").path("source").asText())))
                    .append("; intelligence ")
                    .append(escape(Words.intelligenceGrade(s.path("grading").path("intelligence").asText())))
                    .append(".</p>");
        }
        b.append("</section>");

        b.append("<section><h2>Withheld from your copy</h2>");
        JsonNode redactions = pkg.path("redactions");
        if (redactions.isEmpty()) {
            b.append("<p>Nothing was withheld.</p>");
        } else {
            b.append("<p>The hub withheld these parts from your copy under agreement ")
                    .append(escape(pkg.path("agreement").path("id").asText()))
                    .append(": your sector's redaction profile does not receive them. Ask the submitting partner if"
                            + " you need them.</p><ul class=\"withheld\">");
            for (JsonNode r : redactions) {
                b.append("<li>").append(escape(Words.withheld(r.asText()))).append(" <code>").append(escape(r.asText()))
                        .append("</code></li>");
            }
            b.append("</ul>");
        }
        b.append("</section>");

        if (s.has("source")) {
            b.append("<section><h2>Source</h2><dl>");
            fact(b, "Officer", s.path("source").path("officerRef").asText());
            fact(b, "Source type", s.path("source").path("sourceType").asText());
            fact(b, "Details", s.path("source").path("sourceDetails").asText());
            b.append("</dl></section>");
        }

        b.append("<section><h2>Subjects</h2>");
        int n = 0;
        for (JsonNode subject : s.path("subjects")) {
            b.append(subject(++n, subject));
        }
        b.append("</section>");

        if (s.has("contexts")) {
            b.append("<section><h2>Contexts</h2><ul class=\"contexts\">");
            for (JsonNode c : s.path("contexts")) {
                b.append("<li><strong>").append(escape(Words.context(c.path("type").asText()))).append("</strong>");
                for (String[] f : new String[][] {{"description", ""}, {"postcode", "postcode "},
                        {"vrm", "vehicle "}, {"platform", "on "}, {"handle", "handle "}}) {
                    if (c.has(f[0])) {
                        b.append("; ").append(escape(f[1] + c.path(f[0]).asText()));
                    }
                }
                b.append("</li>");
            }
            b.append("</ul></section>");
        }
        if (s.has("narrative")) {
            b.append("<section><h2>Narrative</h2><p class=\"narrative\">").append(escape(s.path("narrative").asText()))
                    .append("</p></section>");
        }
        if (s.has("missingEpisode")) {
            JsonNode m = s.path("missingEpisode");
            b.append("<section><h2>Missing episode</h2><dl>");
            fact(b, "From", m.path("from").asText());
            fact(b, "To", m.path("to").asText());
            fact(b, "Returned to", m.path("returnedTo").asText());
            fact(b, "Found at", m.path("locationFound").asText());
            b.append("</dl></section>");
        }
        if (s.has("attachments")) {
            b.append("<section><h2>Attachments</h2><p>Kept encrypted with the package; the desk does not hand them"
                    + " out.</p><ul>");
            for (JsonNode a : s.path("attachments")) {
                b.append("<li>").append(escape(a.path("name").asText())).append(" (")
                        .append(escape(a.path("mediaType").asText())).append(", ").append(size(a.path("content")))
                        .append(")</li>");
            }
            b.append("</ul></section>");
        }

        List<StoredPackage> linking = all.stream().filter(a -> a.kind().equals("alert")
                && containsPackage(a.json().path("yourPackages"), p.packageId())).toList();
        if (!linking.isEmpty()) {
            b.append("<section><h2>Alerts that link this package</h2><ul>");
            for (StoredPackage a : linking) {
                b.append("<li>").append(link(a.packageId(), noticeTitle(a))).append("</li>");
            }
            b.append("</ul></section>");
        }
        return b.append("</article>").toString();
    }

    private static String subject(int n, JsonNode subject) {
        StringBuilder b = new StringBuilder("<div class=\"subject\"><h3>Subject ").append(n).append(": ")
                .append(escape(Words.role(subject.path("role").asText())));
        if (subject.has("age")) {
            b.append(", age ").append(escape(subject.path("age").asText()));
        } else if (subject.has("ageYears")) {
            b.append(", age ").append(escape(subject.path("ageYears").asText()));
        }
        b.append("</h3><dl>");
        fact(b, "Reference", subject.path("ref").asText());
        JsonNode id = subject.path("identity");
        if (id.has("pseudonym")) {
            fact(b, "Pseudonym", id.path("pseudonym").asText() + " (the same person keeps it in your packages)");
        }
        for (String[] f : new String[][] {{"name", "Name"}, {"dateOfBirth", "Date of birth"},
                {"nhsNumber", "NHS number"}, {"upn", "Unique Pupil Number"}, {"address", "Address"},
                {"postcode", "Postcode"}}) {
            if (id.has(f[0])) {
                fact(b, f[1], id.path(f[0]).asText());
            }
        }
        if (subject.has("lookedAfter")) {
            JsonNode la = subject.path("lookedAfter");
            fact(b, "Looked after", la.path("isLookedAfter").asBoolean() ? "yes" + (la.has("placingAuthority")
                    ? ", placed by " + la.path("placingAuthority").asText() : "") : "no");
        }
        if (subject.has("health")) {
            JsonNode h = subject.path("health");
            for (String[] f : new String[][] {{"summary", "Health"}, {"mentalHealth", "Mental health"},
                    {"substanceMisuse", "Substance misuse"}, {"sexualHealth", "Sexual health"},
                    {"injuries", "Injuries"}}) {
                if (h.has(f[0])) {
                    fact(b, f[1], h.path(f[0]).asText());
                }
            }
        }
        return b.append("</dl></div>").toString();
    }

    private String alert(StoredPackage a, Set<String> held) {
        JsonNode j = a.json();
        StringBuilder b = new StringBuilder("<article><h1>Alert: ")
                .append(escape(j.path("rule").path("description").asText(j.path("rule").path("id").asText())))
                .append("</h1><dl class=\"facts\">");
        fact(b, "Linked by", Words.linkKind(j.path("linkKind").asText()));
        if (j.has("value")) {
            fact(b, "Value", j.path("value").asText());
        }
        fact(b, "Raised", j.path("raisedAt").asText());
        fact(b, "Revision", j.path("revision").asText());
        fact(b, "Rule", j.path("rule").path("id").asText());
        if (j.has("countsBySector")) {
            List<String> counts = new ArrayList<>();
            j.path("countsBySector").fields().forEachRemaining(e ->
                    counts.add(Words.sector(e.getKey()) + ": " + e.getValue().asText()));
            fact(b, "Submissions by sector", String.join("; ", counts));
        }
        b.append("</dl><p>").append(escape(j.path("furtherInformation").asText())).append("</p>");
        b.append("<h2>Your linked packages</h2>").append(linkedPackages(j.path("yourPackages"), held));
        return b.append("</article>").toString();
    }

    private String alertSummary(StoredPackage a, Set<String> held) {
        JsonNode j = a.json();
        return "<div class=\"alert\"><h3>" + link(a.packageId(), j.path("rule").path("description")
                .asText(j.path("rule").path("id").asText())) + "</h3><p>" + escape(Words.linkKind(j.path("linkKind")
                .asText())) + (j.has("value") ? ": " + escape(j.path("value").asText()) : "") + "</p>"
                + linkedPackages(j.path("yourPackages"), held) + "</div>";
    }

    private static String linkedPackages(JsonNode yours, Set<String> held) {
        StringBuilder b = new StringBuilder("<ul class=\"linked\">");
        for (JsonNode y : yours) {
            String id = y.path("packageId").asText();
            String text = "from " + y.path("partnerId").asText() + ", received " + y.path("receivedAt").asText();
            b.append("<li>").append(held.contains(id) ? link(id, text)
                    : escape(text) + " (not held here: recalled, past the retention, or not yet fetched)").append("</li>");
        }
        return b.append("</ul>").toString();
    }

    private static String recall(StoredPackage r) {
        JsonNode j = r.json();
        StringBuilder b = new StringBuilder("<article><h1>Recall</h1><p>The submitting partner recalled ")
                .append(j.path("recalls").size() == 1 ? "a package" : j.path("recalls").size() + " packages")
                .append(" because ").append(escape(Words.recallReason(j.path("reason").asText())))
                .append(". The desk has destroyed its copies.</p><dl class=\"facts\">");
        fact(b, "Recalled", j.path("recalledAt").asText());
        fact(b, "Submission", j.path("submissionId").asText());
        fact(b, "Packages", join(j.path("recalls")));
        fact(b, "What to do", j.path("action").asText());
        return b.append("</dl></article>").toString();
    }

    private static String escalation(StoredPackage e) {
        JsonNode j = e.json();
        StringBuilder b = new StringBuilder("<article><h1>Escalation</h1><dl class=\"facts\">");
        fact(b, "Not acknowledged by", j.path("unacknowledgedBy").asText());
        fact(b, "Urgency", j.path("urgency").asText() + ", deadline " + j.path("deadline").asText());
        fact(b, "Level", j.path("level").asText());
        fact(b, "Submission", j.path("submissionId").asText());
        fact(b, "What to do", j.path("action").asText());
        return b.append("</dl></article>").toString();
    }

    private static String packageTable(List<StoredPackage> packages) {
        if (packages.isEmpty()) {
            return "<p>No packages.</p>";
        }
        StringBuilder b = new StringBuilder("<table><thead><tr><th scope=\"col\">Received</th><th scope=\"col\">"
                + "About</th><th scope=\"col\">From</th><th scope=\"col\">Subjects</th><th scope=\"col\">Handling</th>"
                + "<th scope=\"col\"></th></tr></thead><tbody>");
        for (StoredPackage p : packages) {
            JsonNode s = p.json().path("submission");
            List<String> subjects = new ArrayList<>();
            for (JsonNode subject : s.path("subjects")) {
                subjects.add(Words.role(subject.path("role").asText())
                        + (subject.has("age") ? ", " + subject.path("age").asText() : ""));
            }
            b.append("<tr class=\"").append(p.read() ? "read" : "unread").append("\"><td>")
                    .append(escape(p.receivedAt().toString())).append("</td><td>")
                    .append(link(p.packageId(), categories(s.path("categories")) + " in "
                            + Words.area(s.path("area").asText()))).append("</td><td>")
                    .append(escape(p.json().path("source").path("partnerId").asText())).append("</td><td>")
                    .append(escape(String.join("; ", subjects))).append("</td><td>")
                    .append(escape(s.path("handling").path("code").asText())).append("</td><td>")
                    .append(p.read() ? "read" : "<strong>unread</strong>").append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    private String searchForm(String query) {
        return "<form class=\"search\" method=\"post\" action=\"/search\">" + csrfField()
                + "<label for=\"q\">Search what the desk holds</label> <input id=\"q\" name=\"q\" type=\"search\""
                + " maxlength=\"" + DeskSearch.MAX_QUERY + "\" autocomplete=\"off\" value=\"" + escape(query) + "\">"
                + " <button type=\"submit\">Search</button></form>";
    }

    private String csrfField() {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">";
    }

    private static String statusLine(DeskFetcher.Status status) {
        if (status.at() == null) {
            return "Not fetched from the hub yet.";
        }
        return escape("Last fetched from the hub at " + status.at() + (status.problem().isEmpty()
                ? ": " + status.kept() + " new." : ": it failed (" + status.problem() + "); the next poll tries again."));
    }

    private static String noticeTitle(StoredPackage p) {
        JsonNode j = p.json();
        return switch (p.kind()) {
            case "recall" -> "Recall: " + Words.recallReason(j.path("reason").asText());
            case "alert" -> "Alert: " + j.path("rule").path("description").asText(j.path("rule").path("id").asText());
            case "escalation" -> "Escalation: " + j.path("unacknowledgedBy").asText() + " has not acknowledged an "
                    + j.path("urgency").asText() + " package";
            default -> p.kind();
        };
    }

    private static String link(String id, String text) {
        if (!ID.matcher(id).matches()) {
            return escape(text);
        }
        return "<a href=\"/package/" + id + "\">" + escape(text.isBlank() ? id : text) + "</a>";
    }

    private static String idList(JsonNode ids, Set<String> held) {
        List<String> out = new ArrayList<>();
        for (JsonNode id : ids) {
            out.add(held.contains(id.asText()) ? link(id.asText(), id.asText()) : escape(id.asText()));
        }
        return String.join(", ", out);
    }

    private static void fact(StringBuilder b, String name, String value) {
        if (value != null && !value.isBlank()) {
            b.append("<dt>").append(escape(name)).append("</dt><dd>").append(escape(value)).append("</dd>");
        }
    }

    private static String categories(JsonNode categories) {
        List<String> words = new ArrayList<>();
        categories.forEach(c -> words.add(Words.category(c.asText())));
        String all = String.join(", ", words);
        return all.isEmpty() ? "Package" : Character.toUpperCase(all.charAt(0)) + all.substring(1);
    }

    private static String sector(JsonNode sector) {
        return sector.isTextual() ? " (" + Words.sector(sector.asText()) + ")" : "";
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return String.join(", ", out);
    }

    private static String size(JsonNode base64) {
        String s = base64.asText();
        long bytes = s.length() * 3L / 4;
        try {
            bytes = Base64.getMimeDecoder().decode(s).length;
        } catch (IllegalArgumentException e) {
            // an estimate then
        }
        return bytes < 10_000 ? bytes + " bytes" : (bytes / 1024) + " KiB";
    }

    private static boolean containsPackage(JsonNode yours, String id) {
        for (JsonNode y : yours) {
            if (id.equals(y.path("packageId").asText())) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> ids(List<StoredPackage> all) {
        return all.stream().map(StoredPackage::packageId).collect(java.util.stream.Collectors.toSet());
    }

    private StringBuilder start(String title) {
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append(" - ").append(escape(recipient))
                .append("</title><link rel=\"stylesheet\" href=\"/desk.css\"></head><body>");
    }

    private static String end(StringBuilder b) {
        return b.append("<footer><p>Kept on this machine only, encrypted; this page is for you alone. Close the"
                + " browser tab when you leave.</p></footer></body></html>").toString();
    }

    static boolean isId(String s) {
        return s != null && ID.matcher(s).matches();
    }
}
