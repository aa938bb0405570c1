package org.safeguarding.hub.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.safeguarding.hub.http.Html;

/**
 * One HTML page of the hub's consoles, built as text: the head with the one stylesheet from the jar, a header, the
 * sections, tables with captions and header cells. No script and no inline style, so the pages run under a
 * Content-Security-Policy of {@code default-src 'none'; style-src 'self'}; every value is escaped.
 */
public final class HtmlPage {
    /** The consoles' stylesheet, from the jar. */
    public static final String STYLESHEET = resource("console.css");

    private final StringBuilder h = new StringBuilder(8 * 1024);

    /** A page titled {@code title}; {@code refreshSeconds} above 0 makes it reload itself. */
    public HtmlPage(String title, int refreshSeconds) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        if (refreshSeconds > 0) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">\n");
        }
        h.append("<title>").append(esc(title)).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/console/console.css\">\n</head>\n<body>\n");
    }

    /** Text, escaped. */
    public HtmlPage text(String s) {
        h.append(esc(s));
        return this;
    }

    /** Markup written as given: only for tags this code writes, never for a value. */
    public HtmlPage raw(String markup) {
        h.append(markup);
        return this;
    }

    /** {@code <tag>text</tag>} with the text escaped. */
    public HtmlPage element(String tag, String text) {
        h.append('<').append(tag).append('>').append(esc(text)).append("</").append(tag).append(">\n");
        return this;
    }

    /** A link; {@code href} is escaped as an attribute (the caller builds it from checked or encoded parts). */
    public HtmlPage link(String href, String text) {
        h.append("<a href=\"").append(esc(href)).append("\">").append(esc(text)).append("</a>");
        return this;
    }

    /**
     * A table with a caption and column headers, the first cell of each row a row header; {@code flagged}: the
     * column whose DOWN or WARNING value marks the row (-1: none). Cells are text; see {@link Cell} for a link.
     */
    public HtmlPage table(String caption, String[] head, List<? extends Object[]> rows, int flagged) {
        h.append("<table>\n<caption>").append(esc(caption)).append("</caption>\n<thead><tr>");
        for (String c : head) {
            h.append("<th scope=\"col\">").append(esc(c)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        if (rows.isEmpty()) {
            h.append("<tr><td colspan=\"").append(head.length).append("\">none</td></tr>\n");
        }
        for (Object[] r : rows) {
            String v = flagged >= 0 ? String.valueOf(r[flagged]) : "";
            String cls = v.startsWith("DOWN") ? " class=\"down\"" : v.startsWith("WARNING") ? " class=\"warning\"" : "";
            h.append("<tr").append(cls).append("><th scope=\"row\">");
            cell(r[0]);
            h.append("</th>");
            for (int i = 1; i < r.length; i++) {
                h.append("<td>");
                cell(r[i]);
                h.append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        return this;
    }

    private void cell(Object o) {
        if (o instanceof Cell c) {
            if (c.href() == null) {
                h.append(esc(c.text()));
            } else {
                link(c.href(), c.text());
            }
        } else {
            h.append(esc(o == null ? "" : o.toString()));
        }
    }

    /** A table cell that links (when {@code href} is not null). */
    public record Cell(String text, String href) {
    }

    /** The finished page. */
    public String html() {
        return h + "</body>\n</html>\n";
    }

    public static String esc(String s) {
        return Html.escape(s);
    }

    private static String resource(String name) {
        try (InputStream in = HtmlPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
