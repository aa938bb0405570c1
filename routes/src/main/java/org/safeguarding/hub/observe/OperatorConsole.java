package org.safeguarding.hub.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.safeguarding.hub.http.ManagementServer;

/**
 * The operator's page on the management port: the health of each component, each queue's depth and oldest message,
 * every certificate, CRL and agreement date the hub watches, and intake's answers by code since the start (a partner's
 * mistake told apart from the hub's). Server-rendered HTML with one stylesheet from the jar: no script, nothing fetched
 * from elsewhere, every value escaped. It shows what the metrics and the health document show, never content,
 * receipts or people.
 */
public final class OperatorConsole implements ManagementServer.Console {
    /** How often the page reloads itself, in seconds. */
    static final int REFRESH_SECONDS = 15;
    private static final String STYLESHEET = resource("console.css");

    private final Supplier<Map<String, Boolean>> health;
    private final Supplier<Map<String, String>> warnings;
    private final ExpiryWatch expiry;
    private final MeterRegistry registry;
    private final Clock clock;

    public OperatorConsole(Supplier<Map<String, Boolean>> health, Supplier<Map<String, String>> warnings,
                           ExpiryWatch expiry, MeterRegistry registry, Clock clock) {
        this.health = health;
        this.warnings = warnings;
        this.expiry = expiry;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String stylesheet() {
        return STYLESHEET;
    }

    @Override
    public String page() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Boolean> components = health.get();
        Map<String, String> attention = warnings.get();
        boolean up = components.values().stream().allMatch(Boolean::booleanValue);
        String status = !up ? "DOWN" : attention.containsValue("WARNING") ? "WARNING" : "UP";
        StringBuilder h = new StringBuilder(8 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">\n")
                .append("<title>Hub operator console: ").append(status).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/console/console.css\">\n</head>\n<body>\n")
                .append("<header>\n<h1>Hub operator console</h1>\n<p>As of <time datetime=\"").append(now).append("\">")
                .append(now).append("</time>; the page reloads every ").append(REFRESH_SECONDS)
                .append(" seconds. Metadata only: no intelligence, receipts or people.</p>\n</header>\n<main>\n");

        h.append("<section aria-labelledby=\"health\">\n<h2 id=\"health\">Health: <span class=\"state ")
                .append(status.toLowerCase(java.util.Locale.ROOT)).append("\">").append(status).append("</span></h2>\n");
        List<String[]> rows = new ArrayList<>();
        components.forEach((k, v) -> rows.add(new String[] {k, v ? "UP" : "DOWN"}));
        attention.forEach((k, v) -> rows.add(new String[] {k, v}));
        table(h, "Each component as /observe/health reports it", new String[] {"Component", "State"}, rows, 1);
        h.append("</section>\n");

        h.append("<section aria-labelledby=\"queues\">\n<h2 id=\"queues\">Queues</h2>\n");
        table(h, "Messages waiting on each queue, and how long the oldest has waited",
                new String[] {"Queue", "Depth", "Oldest waiting"}, queues(), -1);
        h.append("<p>Intake backlog ").append(esc(whole(gauge("hub.intake.backlog"))))
                .append(" of at most ").append(esc(whole(gauge("hub.intake.backlog.bound"))))
                .append("; the audit writer's last record waited ").append(esc(seconds(gauge("hub.audit.writer.lag"))))
                .append(".</p>\n</section>\n");

        h.append("<section aria-labelledby=\"expiry\">\n<h2 id=\"expiry\">Certificates, CRLs and agreements</h2>\n");
        table(h, "Every date the hub watches, soonest first; within " + expiry.warnAhead().toDays()
                        + " days or past is a warning",
                new String[] {"What", "Of", "Until", "Days left"}, expiries(now), 3);
        h.append("</section>\n");

        h.append("<section aria-labelledby=\"answers\">\n<h2 id=\"answers\">Intake answers since the start</h2>\n");
        table(h, "Submissions answered, by outcome; a partner's mistake is not the hub's failure",
                new String[] {"Outcome", "Whose", "Count"}, answers(), -1);
        h.append("</section>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private List<String[]> queues() {
        Map<String, String[]> byQueue = new TreeMap<>();
        for (Gauge g : registry.find("hub.queue.depth").gauges()) {
            String q = g.getId().getTag("queue");
            byQueue.computeIfAbsent(q, k -> new String[] {k, "", ""})[1] = whole(g.value());
        }
        for (Gauge g : registry.find("hub.queue.oldest.age").gauges()) {
            String q = g.getId().getTag("queue");
            byQueue.computeIfAbsent(q, k -> new String[] {k, "", ""})[2] = seconds(g.value());
        }
        List<String[]> rows = new ArrayList<>(byQueue.values());
        rows.forEach(r -> {
            if ("0".equals(r[1])) {
                r[2] = "none waiting"; // the broker's age of an empty queue is 0, not a wait
            }
        });
        return rows;
    }

    private List<String[]> expiries(Instant now) {
        List<String[]> rows = new ArrayList<>();
        for (ExpiryWatch.Dated d : expiry.dates()) {
            String what = switch (d.kind()) {
                case HUB_CERTIFICATE -> "hub certificate";
                case PARTICIPANT_CERTIFICATE -> "certificate";
                case CRL -> "CRL (next update)";
                case AGREEMENT -> "agreement";
            };
            if (d.at() == null) {
                rows.add(new String[] {what, d.subject(), "none is current", "WARNING"});
                continue;
            }
            long days = Duration.between(now, d.at()).toDays();
            boolean warn = Duration.between(now, d.at()).compareTo(expiry.warnAhead()) <= 0;
            rows.add(new String[] {what, d.subject(), d.at().toString(), (warn ? "WARNING " : "") + days});
        }
        return rows;
    }

    private List<String[]> answers() {
        List<String[]> rows = new ArrayList<>();
        List<Counter> counters = new ArrayList<>(registry.find("hub.intake.answers").counters());
        counters.sort(Comparator.comparing((Counter c) -> -c.count()).thenComparing(c -> c.getId().getTag("outcome")));
        for (Counter c : counters) {
            String by = c.getId().getTag("by");
            rows.add(new String[] {c.getId().getTag("outcome"),
                    "partner".equals(by) ? "the partner's" : "hub".equals(by) ? "the hub's" : "", whole(c.count())});
        }
        return rows;
    }

    private double gauge(String name) {
        Gauge g = registry.find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    /**
     * A table with a caption and column headers; {@code flagged}: the column whose DOWN or WARNING value marks the
     * row (-1: none).
     */
    private static void table(StringBuilder h, String caption, String[] head, List<String[]> rows, int flagged) {
        h.append("<table>\n<caption>").append(esc(caption)).append("</caption>\n<thead><tr>");
        for (String c : head) {
            h.append("<th scope=\"col\">").append(esc(c)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        if (rows.isEmpty()) {
            h.append("<tr><td colspan=\"").append(head.length).append("\">none</td></tr>\n");
        }
        for (String[] r : rows) {
            String v = flagged >= 0 ? r[flagged] : "";
            String cls = v.startsWith("DOWN") ? " class=\"down\"" : v.startsWith("WARNING") ? " class=\"warning\"" : "";
            h.append("<tr").append(cls).append("><th scope=\"row\">").append(esc(r[0])).append("</th>");
            for (int i = 1; i < r.length; i++) {
                h.append("<td>").append(esc(r[i])).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static String whole(double v) {
        return Double.isNaN(v) ? "unknown" : Long.toString(Math.round(v));
    }

    private static String seconds(double v) {
        if (Double.isNaN(v)) {
            return "unknown";
        }
        return v < 1 ? "under a second" : Math.round(v) + " s";
    }

    private static String esc(String s) {
        return org.safeguarding.hub.http.Html.escape(s);
    }

    private static String resource(String name) {
        try (InputStream in = OperatorConsole.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
