package org.safeguarding.hub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The load benchmark's knobs, {@code --name value} each; {@link #USAGE} lists them with their defaults. */
final class LoadOptions {
    static final String USAGE = """
            LoadBenchmark: a hub in its own JVM under load over mutual TLS; end to end measured on the recipients' queues;
            the crypto-only floor in the same run. Options (defaults in brackets):
              --submissions N        submissions per closed-loop phase [400]
              --connections C,...    one closed-loop phase per value [8]
              --rates R,...          one open-loop phase per rate, per second; "0.5x" is half the best closed-loop
                                     end-to-end rate of this run [0.5x]
              --rate-seconds S       length of each open-loop phase [20]
              --warmup N             warm-up submissions (closed loop, --warmup-connections), reported, not compared [150]
              --warmup-connections C [4]
              --max-in-flight N      open loop: at most N requests out at once (later ones leave late) [256]
              --floor-threads T      crypto floor threads [2]
              --floor-seconds S      crypto floor measurement, after --floor-warmup-seconds [10]
              --floor-warmup-seconds S [5]
              --floor WHEN           before | after | both | none (before: before the hub starts; after: once the
                                     hub stopped; the ratio uses the higher) [both]
              --client-threads T     HTTP client threads [2]
              --max-attempts N       attempts per submission (503s and I/O errors retried) [50]
              --max-retry-after S    cap on a 503's Retry-After wait [5]
              --phase-timeout S      nothing new is sent after this many seconds of a phase [300]
              --drain-timeout S      waiting for the last packages of a phase, at most [300]
              --stall-timeout S      ...or until no package arrived for this long [30]
              --sample FILE          scenario submission sealed by --partner [C06-police-trafficking-placed-child.json]
              --partner ID           [lancs-police]
              --recipients A,B,...   the recipients the sample is routed to (their queues are consumed)
                                     [police-fib,mash-lancs,placing-manchester]
              --hub-classpath CP     the hub's runtime (e.g. routes/target/hub.jar of any build) [this JVM's class path]
              --hub-jvm-opts "..."   options for the hub's JVM, space-separated [none]
              --hub-yaml "..."       YAML merged into the generated hub.yaml (e.g. "http:\\n  maxConcurrentSubmissions: 64") []
              --nodes N              0: one hub with its embedded broker and H2 stores; N: N hub nodes on a broker
                                     live/backup pair and PostgreSQL (HUB_TEST_POSTGRES_URL, _USER, _PASSWORD), the
                                     submissions spread round robin over the nodes [0]
              --label TEXT           printed with the results (e.g. the commit) []
              --keep-data true       keep the hub's data directory (journal, audit database, log) [false]
            """;

    private final Map<String, String> values = new LinkedHashMap<>();

    LoadOptions(String[] args) {
        values.put("submissions", "400");
        values.put("connections", "8");
        values.put("rates", "0.5x");
        values.put("rate-seconds", "20");
        values.put("warmup", "150");
        values.put("warmup-connections", "4");
        values.put("max-in-flight", "256");
        values.put("floor-threads", "2");
        values.put("floor-seconds", "10");
        values.put("floor-warmup-seconds", "5");
        values.put("floor", "both");
        values.put("client-threads", "2");
        values.put("max-attempts", "50");
        values.put("max-retry-after", "5");
        values.put("phase-timeout", "300");
        values.put("drain-timeout", "300");
        values.put("stall-timeout", "30");
        values.put("sample", "C06-police-trafficking-placed-child.json");
        values.put("partner", "lancs-police");
        values.put("recipients", "police-fib,mash-lancs,placing-manchester");
        values.put("hub-classpath", System.getProperty("java.class.path"));
        values.put("hub-jvm-opts", "");
        values.put("hub-yaml", "");
        values.put("nodes", "0");
        values.put("label", "");
        values.put("keep-data", "false");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (!a.startsWith("--") || !values.containsKey(a.substring(2)) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + a);
            }
            values.put(a.substring(2), args[++i]);
        }
    }

    /** Refuses values no phase could use, before anything starts. */
    LoadOptions checked() {
        if (!List.of("before", "after", "both", "none").contains(text("floor"))) {
            throw new IllegalArgumentException("--floor must be before, after, both or none");
        }
        for (String c : list("connections")) {
            if (Integer.parseInt(c) < 1) {
                throw new IllegalArgumentException("--connections values must be at least 1");
            }
        }
        for (String r : list("rates")) {
            double v = Double.parseDouble(r.endsWith("x") ? r.substring(0, r.length() - 1) : r);
            if (!(v > 0)) {
                throw new IllegalArgumentException("--rates values must be positive");
            }
        }
        return this;
    }

    String text(String name) {
        return values.get(name).replace("\\n", "\n");
    }

    int integer(String name) {
        int v = Integer.parseInt(values.get(name).trim());
        if (v < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return v;
    }

    Duration seconds(String name) {
        return Duration.ofMillis((long) (Double.parseDouble(values.get(name).trim()) * 1000));
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.get(name).trim());
    }

    List<String> list(String name) {
        List<String> out = new ArrayList<>();
        for (String s : values.get(name).split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    List<String> words(String name) {
        return Arrays.stream(values.get(name).trim().split("\\s+")).filter(s -> !s.isBlank()).toList();
    }

    /** Every setting but the hub's class path, for the record printed with the results. */
    String describe() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> {
            if (!k.equals("hub-classpath")) {
                b.append("--").append(k).append(' ').append(v.isEmpty() ? "''" : v.contains(" ") ? "'" + v + "'" : v)
                        .append(' ');
            }
        });
        return b.toString().trim();
    }
}
