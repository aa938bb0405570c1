package org.safeguarding.hub.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What one load phase measured, from its ledger and the driver's counts. */
/** @param firstId a submission of the phase that reached all its recipients (null if none did) */
record PhaseResult(String firstId, String name, String load, int submissions, long accepted, long delivered, long busy, long ioErrors,
                   long failed, Map<String, Long> refused, long late, double intakePerSecond, double endToEndPerSecond,
                   Percentiles toAccepted, Percentiles toLastPackage, long backlogAtIntakeEnd, double hubCores,
                   double hubJitCores, double generatorCores, String loadAverage, long extraPackages, boolean drained,
                   long connectionsOpened) {

    /** Throughput over [first send, last 202] and [first send, last package]; latencies from the first attempt. */
    static PhaseResult of(String name, String load, Ledger l, IntakeDriver.Counts c, long backlogAtIntakeEnd,
                          double hubCores, double hubJitCores, double generatorCores, String loadAverage, boolean drained,
                          long connectionsOpened) {
        int n = l.size();
        long first = Long.MAX_VALUE;
        long lastAccepted = Long.MIN_VALUE;
        long lastDelivered = Long.MIN_VALUE;
        long[] toAccepted = new long[l.acceptedCount()];
        long[] toLast = new long[l.deliveredCount()];
        int a = 0;
        int d = 0;
        String firstDelivered = null;
        for (int i = 0; i < n; i++) {
            long s = l.start.get(i);
            if (s == 0) {
                continue;
            }
            first = Math.min(first, s);
            long acc = l.accepted.get(i);
            if (acc == 0) {
                continue;
            }
            lastAccepted = Math.max(lastAccepted, acc);
            toAccepted[a++] = acc - s;
            long last = l.lastPackage.get(i);
            if (last != 0) {
                lastDelivered = Math.max(lastDelivered, last);
                firstDelivered = firstDelivered == null ? l.ids.get(i) : firstDelivered;
                toLast[d++] = last - s;
            }
        }
        double intake = a == 0 ? 0 : a / ((lastAccepted - first) / 1e9);
        double e2e = d == 0 ? 0 : d / ((lastDelivered - first) / 1e9);
        Map<String, Long> refused = new TreeMap<>();
        c.refused.forEach((k, v) -> refused.put(k, v.sum()));
        return new PhaseResult(firstDelivered, name, load, n, a, d, c.busy.sum(), c.ioErrors.sum(), c.failed.sum(), refused,
                c.late.sum(), intake, e2e, new Percentiles(java.util.Arrays.copyOf(toAccepted, a)),
                new Percentiles(java.util.Arrays.copyOf(toLast, d)), backlogAtIntakeEnd, hubCores, hubJitCores,
                generatorCores, loadAverage, l.extraPackages.sum(), drained, connectionsOpened);
    }

    String report(double floor) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "== %s (%s): %d submissions%n", name, load, submissions));
        b.append(String.format(Locale.ROOT,
                "   accepted %d, delivered to all recipients %d%s; 503 answers %d; TLS connections opened %d;"
                        + " I/O errors %d; gave up %d%s%s%n",
                accepted, delivered, drained ? "" : " (NOT DRAINED)", busy, connectionsOpened, ioErrors, failed,
                refused.isEmpty() ? "" : "; refused " + refused, late == 0 ? "" : "; sent late (in-flight cap) " + late));
        b.append(String.format(Locale.ROOT, "   intake %.1f/s   end-to-end %.1f/s   %s%n", intakePerSecond,
                endToEndPerSecond, floor > 0 ? String.format(Locale.ROOT, "%.1f%% of the floor so far",
                        100 * endToEndPerSecond / floor) : "(ratio to the floor in the summary)"));
        b.append("   POST-to-202           ").append(toAccepted.summary()).append('\n');
        b.append("   POST-to-last-package  ").append(toLastPackage.summary()).append('\n');
        b.append(String.format(Locale.ROOT,
                "   routing backlog when intake ended %d; hub CPU %.2f cores (JIT compiler %.2f), load generator %.2f cores;"
                        + " loadavg %s%s%n",
                backlogAtIntakeEnd, hubCores, hubJitCores, generatorCores, loadAverage,
                extraPackages == 0 ? "" : "; packages beyond the expected " + extraPackages));
        return b.toString();
    }

    /** One greppable line. */
    String resultLine(double floor) {
        return String.format(Locale.ROOT,
                "RESULT phase=%s load=%s n=%d accepted=%d delivered=%d intake/s=%.1f e2e/s=%.1f floor/s=%.1f ratio=%.3f"
                        + " 202.p50=%.1f 202.p95=%.1f 202.p99=%.1f last.p50=%.1f last.p95=%.1f last.p99=%.1f"
                        + " 503=%d connections=%d hubCores=%.2f hubJitCores=%.2f genCores=%.2f",
                name, load.replace(' ', '_'), submissions, accepted, delivered, intakePerSecond, endToEndPerSecond, floor,
                floor > 0 ? endToEndPerSecond / floor : Double.NaN, toAccepted.ms(50), toAccepted.ms(95),
                toAccepted.ms(99), toLastPackage.ms(50), toLastPackage.ms(95), toLastPackage.ms(99), busy, connectionsOpened, hubCores,
                hubJitCores, generatorCores);
    }
}
