package org.safeguarding.hub.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.desk.PackageFixtures.c01;
import static org.safeguarding.hub.desk.PackageFixtures.id;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The desk's pages: a package read in words (handling, grading, roles, what was withheld and why), alerts with the
 * packages they link, and every hostile value a package could carry escaped, so that the only tags and attributes in
 * a page are the desk's own.
 */
class DeskPageTest {
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final DeskFetcher.Status FETCHED = new DeskFetcher.Status(NOW, 1, "");
    static final Set<String> TAGS = Set.of("!DOCTYPE", "html", "head", "meta", "title", "link", "body", "header", "h1",
            "h2", "h3", "p", "form", "input", "label", "button", "section", "div", "ul", "li", "a", "span", "table",
            "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd", "nav", "article", "strong", "code", "q", "footer");
    static final List<String> HOSTILE = List.of("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "' onmouseover='alert(1)", "</textarea><svg onload=alert(1)>", "&lt;already&gt;", "javascript:alert(1)",
            "<a href=\"http://evil.com\">x</a>", "<style>body{display:none}</style>", "<!-- x -->", "\u202egnp.exe");

    final DeskPage page = new DeskPage("police-fib", "csrf-token");

    @Test
    void aPackageReadsInWords() {
        String id = id();
        String html = page.document(new StoredPackage(id, c01(id, NOW), NOW, false), List.of());

        assertThat(html)
                .contains("<h1>Child criminal exploitation in Blackpool</h1>")
                .contains("P: lawful sharing permitted")
                .contains("source 2: untested source; intelligence B: known indirectly to the source, corroborated")
                .contains("OFFICIAL-SENSITIVE: need-to-know only")
                .contains("Subject 1: child at risk, age 15").contains("Subject 2: person of concern, age 24")
                .contains("<dt>Name</dt><dd>Jamie Example</dd>").contains("<dt>NHS number</dt><dd>9990000018</dd>")
                .contains("<strong>vehicle</strong>; Grey hatchback; vehicle PN19 XYZ")
                .contains("<li>health details of subject 1 <code>subjects[0].health</code></li>")
                .contains("under agreement CS-CORE: your sector's redaction profile does not receive them")
                .contains("<dt>Details</dt><dd>Handled source S-117</dd>")
                .contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-token\">")
                .contains("<button type=\"submit\">Mark as read</button>")
                .doesNotContain("<script").doesNotContain("style=");
    }

    @Test
    void conditionsOfHandlingCodeCAreShownWithTheCode() {
        String id = id();
        ObjectNode pkg = c01(id, NOW);
        ((ObjectNode) pkg.path("submission").path("handling")).put("code", "C").put("conditions",
                "Not to be disclosed to the family");

        String html = page.document(new StoredPackage(id, pkg, NOW, false), List.of());

        assertThat(html).contains("C: lawful sharing permitted only under the conditions below")
                .contains("Conditions: Not to be disclosed to the family");
    }

    @Test
    void theFrontPageShowsAnAlertWithThePackageItLinks() {
        String pkg = id();
        String gone = id();
        String alert = id();
        ObjectNode a = PackageFixtures.alert(alert, NOW, pkg);
        ((ArrayNode) a.path("yourPackages")).addObject().put("packageId", gone).put("partnerId", "lancs-police")
                .put("receivedAt", NOW.toString());
        List<StoredPackage> all = List.of(new StoredPackage(pkg, c01(pkg, NOW), NOW, false),
                new StoredPackage(alert, a, NOW, false));

        String html = page.index(all, FETCHED);

        assertThat(html).contains("<h2>Alerts (1)</h2>").contains("A vehicle named by two partners")
                .contains("the same vehicle: PN19 XYZ")
                .contains("<a href=\"/package/" + pkg + "\">from lancs-police, received " + NOW + "</a>")
                .contains("(not held here: recalled, past the retention, or not yet fetched)")
                .doesNotContain("href=\"/package/" + gone + "\"")
                .contains("<h2>Packages (1)</h2>").contains("<strong>unread</strong>")
                .contains("<form class=\"search\" method=\"post\" action=\"/search\">");
        assertThat(page.document(all.get(0), all)).contains("Alerts that link this package")
                .contains("href=\"/package/" + alert + "\"");
    }

    @Test
    void aRecallSaysWhyAndThatTheCopiesAreDestroyed() {
        String r = id();
        String html = page.document(new StoredPackage(r, PackageFixtures.recall(r, NOW, id()), NOW, false), List.of());

        assertThat(html).contains("recalled a package because it was sent in error")
                .contains("The desk has destroyed its copies.");
    }

    @Test
    void everyHostileValueIsEscapedOnEveryPage() {
        for (String hostile : HOSTILE) {
            String pkg = id();
            String alert = id();
            ObjectNode p = (ObjectNode) poison(c01(pkg, NOW), hostile);
            p.put("packageId", pkg);
            ((ArrayNode) p.path("redactions")).add(hostile);
            ObjectNode a = (ObjectNode) poison(PackageFixtures.alert(alert, NOW, pkg), hostile);
            a.put("packageId", alert);
            a.putObject("countsBySector").put(hostile, 2);
            ((ArrayNode) a.path("yourPackages")).addObject().put("packageId", hostile).put("partnerId", hostile);
            String r = id();
            ObjectNode recall = (ObjectNode) poison(PackageFixtures.recall(r, NOW, pkg), hostile);
            recall.put("packageId", r);
            List<StoredPackage> all = List.of(new StoredPackage(pkg, p, NOW, false),
                    new StoredPackage(alert, a, NOW, false), new StoredPackage(r, recall, NOW, true));

            for (String html : List.of(page.index(all, new DeskFetcher.Status(NOW, 0, hostile)),
                    page.document(all.get(0), all), page.document(all.get(1), all), page.document(all.get(2), all),
                    page.results(hostile, all), DeskPage.refused(401, hostile))) {
                assertOnlyOwnMarkup(html, hostile);
            }
        }
    }

    /** Every text value in {@code node} (ids aside, which the tests set again) becomes {@code hostile}. */
    private static JsonNode poison(JsonNode node, String hostile) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) () -> o.deepCopy().fields()) {
                o.set(f.getKey(), f.getValue().isTextual() ? TextNode.valueOf(hostile) : poison(f.getValue(), hostile));
            }
            return o;
        }
        if (node.isArray()) {
            ArrayNode a = (ArrayNode) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, a.get(i).isTextual() ? TextNode.valueOf(hostile) : poison(a.get(i), hostile));
            }
        }
        return node;
    }

    private static void assertOnlyOwnMarkup(String html, String hostile) {
        Matcher tag = Pattern.compile("<(/?)([^\\s>/]+)([^>]*)>").matcher(html);
        while (tag.find()) {
            assertThat(TAGS).as("tag <%s> with %s", tag.group(2), hostile).contains(tag.group(2));
            String attributes = tag.group(3).replaceAll("\"[^\"]*\"", "\"\"");
            assertThat(attributes).as("attributes of <%s> with %s", tag.group(2), hostile)
                    .doesNotContainPattern("(?i)\\son\\w+\\s*=").doesNotContain("'").doesNotContain("style")
                    .doesNotContainPattern("(?i)(href|src|action)\\s*=\\s*[^\"\\s]");
            Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(tag.group(3));
            while (href.find()) {
                assertThat(href.group(1)).as("a link with %s", hostile)
                        .matches("/|/desk\\.css|/package/[0-9a-f-]{36}");
            }
        }
        if (!hostile.startsWith("&") && (hostile.contains("<") || hostile.contains("\""))) {
            assertThat(html).as("shown escaped").contains(org.safeguarding.hub.http.Html.escape(hostile));
        }
        assertThat(html).doesNotContain(hostile.contains("<") ? hostile : "\u0000never");
    }
}
