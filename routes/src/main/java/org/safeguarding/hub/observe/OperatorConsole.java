package org.safeguarding.hub.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.safeguarding.hub.console.HtmlPage;
import org.safeguarding.hub.http.ManagementServer;

/**
 * The operator's page on the management port: the health of each component and this node's housekeeping role (leader
 * or standby), each queue's depth and oldest message,
 * every certificate, CRL and agreement date the hub watches, intake's answers by code since the start (a partner's
 * mistake told apart from the hub's), and the last day's refusals by code from the audit trail. Server-rendered HTML
 * with one stylesheet from the jar: no script, nothing fetched from elsewhere, every value escaped. It shows what the
 * metrics, the health document and counts of the trail show, never content, receipts or people.
 */
public final class OperatorConsole implements ManagementServer.Console {
    /** How often the page reloads itself, in seconds. */
    static final int REFRESH_SECONDS = 15;

    private final Supplier<Map<String, Boolean>> health;
    private final Supplier<Map<String, String>> warnings;
    private final ExpiryWatch expiry;
    private final MeterRegistry registry;
    private final Clock clock;

    public OperatorConsole(Supplier<Map<String, Boolean>> health, Supplier<Map<String, String>> warnings,
                           ExpiryWatch expiry, MeterRegistry registry, Clock clock) {
        this(health, warnings, expiry, registry, clock, null);
    }

    private final RecentRefusals refusals;

    /** @param refusals the last day's refusals by code, from the audit trail (null: not shown) */
    public OperatorConsole(Supplier<Map<String, Boolean>> health, Supplier<Map<String, String>> warnings,
                           ExpiryWatch expiry, MeterRegistry registry, Clock clock, RecentRefusals refusals) {
        this.refusals = refusals;
        this.health = health;
        this.warnings = warnings;
        this.expiry = expiry;
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String stylesheet() {
        return HtmlPage.STYLESHEET;
    }

    @Override
    public String page() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Boolean> components = health.get();
        Map<String, String> attention = warnings.get();
        boolean up = components.values().stream().allMatch(Boolean::booleanValue);
        String status = !up ? "DOWN" : attention.containsValue("WARNING") ? "WARNING" : "UP";
        HtmlPage h = new HtmlPage("Hub operator console: " + status, REFRESH_SECONDS);
        h.raw("<header>\n<h1>Hub operator console</h1>\n<p>As of <time datetime=\"").text(now.toString()).raw("\">")
                .text(now.toString()).raw("</time>; the page reloads every " + REFRESH_SECONDS
                        + " seconds. Metadata only: no intelligence, receipts or people.</p>\n</header>\n<main>\n");

        h.raw("<section aria-labelledby=\"health\">\n<h2 id=\"health\">Health: <span class=\"state "
                + status.toLowerCase(java.util.Locale.ROOT) + "\">" + status + "</span></h2>\n");
        List<String[]> rows = new ArrayList<>();
        components.forEach((k, v) -> rows.add(new String[] {k, v ? "UP" : "DOWN"}));
        attention.forEach((k, v) -> rows.add(new String[] {k, v}));
        h.table("Each component as /observe/health reports it", new String[] {"Component", "State"}, rows, 1);
        String role = attention.get("housekeeping");
        if (role != null) {
            h.element("p", "LEADER".equals(role)
                    ? "Housekeeping: this node is the leader: it runs package expiry and escalation, audit retention and"
                            + " checkpoints, and link retention for every node."
                    : "Housekeeping: this node stands by: another node runs package expiry and escalation, audit"
                            + " retention and checkpoints, and link retention; this node takes them over if that one stops.");
        }
        h.raw("</section>\n");

        h.raw("<section aria-labelledby=\"queues\">\n<h2 id=\"queues\">Queues</h2>\n");
        h.table("Messages waiting on each queue, and how long the oldest has waited",
                new String[] {"Queue", "Depth", "Oldest waiting"}, queues(), -1);
        h.raw("<p>").text("Intake backlog " + whole(gauge("hub.intake.backlog")) + " of at most "
                + whole(gauge("hub.intake.backlog.bound")) + "; the audit writer's last record waited "
                + seconds(gauge("hub.audit.writer.lag")) + ".").raw("</p>\n</section>\n");

        h.raw("<section aria-labelledby=\"expiry\">\n<h2 id=\"expiry\">Certificates, CRLs and agreements</h2>\n");
        h.table("Every date the hub watches, soonest first; within " + expiry.warnAhead().toDays()
                        + " days or past is a warning",
                new String[] {"What", "Of", "Until", "Days left"}, expiries(now), 3);
        h.raw("</section>\n");

        h.raw("<section aria-labelledby=\"answers\">\n<h2 id=\"answers\">Intake answers since the start</h2>\n");
        h.table("Submissions answered, by outcome; a partner's mistake is not the hub's failure",
                new String[] {"Outcome", "Whose", "Count"}, answers(), -1);
        h.raw("</section>\n");
        if (refusals != null) {
            long hours = refusals.window().toHours();
            h.raw("<section aria-labelledby=\"refusals\">\n<h2 id=\"refusals\">Refusals in the last " + hours
                    + " hours</h2>\n");
            java.util.Optional<Map<String, Long>> counts = refusals.get();
            if (counts.isEmpty()) {
                h.element("p", "Unknown: the audit store cannot be read now.");
            } else {
                List<String[]> byCode = new ArrayList<>();
                counts.get().forEach((code, n) -> byCode.add(new String[] {code, Long.toString(n)}));
                h.table("Refusals by code, from the audit trail (counts only)", new String[] {"Code", "Count"}, byCode,
                        -1);
            }
            h.raw("</section>\n");
        }
        h.raw("</main>\n");
        return h.html();
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

    private static String whole(double v) {
        return Double.isNaN(v) ? "unknown" : Long.toString(Math.round(v));
    }

    private static String seconds(double v) {
        if (Double.isNaN(v)) {
            return "unknown";
        }
        return v < 1 ? "under a second" : Math.round(v) + " s";
    }
}
