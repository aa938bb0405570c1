package org.safeguarding.hub.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * The load benchmark (a program, not a test): a hub in a JVM of its own (durable broker journal, default H2 audit
 * store, CORE/TLS on) on the reference partnership with the EC P-256 test PKI; pre-sealed copies of one scenario
 * submission (C06 from lancs-police: three packages) sent over mutual TLS with kept-alive connections, closed-loop with
 * C connections and open-loop at fixed rates; end to end measured by consuming the recipients' queues over CORE/TLS;
 * and in the same run the crypto-only floor ({@link CryptoFloor}) while the hub is idle. Prints, per phase, intake/s,
 * end-to-end/s, POST-to-202 and POST-to-last-package p50/p95/p99, the 503 count, the floor and the ratio.
 * <p>
 * Run it with {@code integration-tests/bench-load.sh} (see integration-tests/README.md); {@code --help} lists the
 * knobs. Loopback only; every loop is bounded in count and time.
 */
public final class LoadBenchmark {
    private final LoadOptions o;
    private final List<PhaseResult> results = new ArrayList<>();
    /** Submissions accepted in the run, warm-up included. */
    private long acceptedInRun;

    private LoadBenchmark(LoadOptions o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        LoadOptions o;
        try {
            o = new LoadOptions(args).checked();
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("LoadBenchmark: " + e.getMessage());
            }
            System.err.print(LoadOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        int code = 0;
        try {
            new LoadBenchmark(o).run();
        } catch (Exception | AssertionError e) {
            System.err.println("LoadBenchmark failed: " + e);
            e.printStackTrace();
            code = 1;
        }
        // a client library's lingering thread must not keep the run alive
        System.exit(code);
    }

    private void run() throws Exception {
        System.out.println("LoadBenchmark " + Instant.now() + (o.text("label").isEmpty() ? "" : " [" + o.text("label") + "]"));
        System.out.println("  settings: " + o.describe());
        System.out.println("  machine: " + Runtime.getRuntime().availableProcessors() + " cores, loadavg "
                + loadAverage() + ", Java " + System.getProperty("java.version"));
        List<String> recipients = o.list("recipients");
        TestPki pki = TestPki.ec();
        Identity hubIdentity = pki.identity("hub");
        SealedSubmissions sealing = new SealedSubmissions(o.text("sample"), pki.identity(o.text("partner")),
                hubIdentity.certificate());
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(pki.caPem(), pki.crl()));
        List<X509Certificate> recipientCerts = recipients.stream().map(r -> pki.identity(r).certificate()).toList();
        List<byte[]> floorBodies = sealing.seal("floor", 200, recipients.size()).bodies;
        String when = o.text("floor");

        CryptoFloor.Result before = null;
        if (when.equals("before") || when.equals("both")) {
            before = floor(floorBodies, hubIdentity, trust, recipientCerts, "before the hub starts");
        }
        double floorSoFar = before == null ? 0 : before.perSecond();

        Path root = Files.createTempDirectory("hub-load-bench-");
        HubUnderLoad hub = null;
        try {
            int nodes = o.integer("nodes");
            hub = nodes <= 0
                    ? HubProcess.start(root, pki, o.text("hub-classpath"), o.words("hub-jvm-opts"), o.text("hub-yaml"),
                    Duration.ofSeconds(120))
                    : HubCluster.start(root, pki, o.text("hub-classpath"), o.words("hub-jvm-opts"), o.text("hub-yaml"),
                    nodes, Duration.ofSeconds(120));
            System.out.println("  hub: " + hub.describe() + ", data " + root);
            Path trustStore = TlsFiles.caTrustStore(pki.caPem(), root.resolve("bench-ca-trust.p12"));
            try (PackageCollector collector = new PackageCollector(pki, hub.consumerServers(), hub.consumerOptions(),
                    trustStore, recipients);
                 IntakeDriver driver = new IntakeDriver(
                         TlsFiles.clientContext(pki.p12(o.text("partner")), pki.caPem()),
                         hub.bases(), o.integer("client-threads"),
                         Math.max(1, o.integer("max-attempts")), o.seconds("max-retry-after"))) {
                int expected = recipients.size();
                if (o.integer("warmup") > 0) {
                    PhaseResult w = closedPhase("warm-up", sealing, o.integer("warmup"), expected,
                            Math.max(1, o.integer("warmup-connections")), hub, collector, driver, floorSoFar);
                    if (w.delivered() == 0 || w.delivered() < w.accepted()) {
                        throw new IllegalStateException("of " + w.accepted() + " accepted warm-up submissions only "
                                + w.delivered() + " reached all of " + recipients + " (does the sample route to them?)\n"
                                + hub.tail());
                    }
                    checkRecipients(driver, w, recipients);
                }
                double bestClosed = 0;
                for (String c : o.list("connections")) {
                    PhaseResult r = closedPhase("closed-" + c, sealing, o.integer("submissions"), expected,
                            Integer.parseInt(c), hub, collector, driver, floorSoFar);
                    results.add(r);
                    bestClosed = Math.max(bestClosed, r.endToEndPerSecond());
                }
                for (String rate : o.list("rates")) {
                    double perSecond = rate.endsWith("x") ? Double.parseDouble(rate.substring(0, rate.length() - 1))
                            * bestClosed : Double.parseDouble(rate);
                    if (perSecond <= 0) {
                        System.out.println("== open-" + rate + ": skipped (no closed-loop rate to scale)");
                        continue;
                    }
                    results.add(openPhase("open-" + rate, sealing, perSecond, expected, hub, collector, driver,
                            floorSoFar));
                }
                System.out.println("  packages received " + collector.received.sum() + ", of no submission of this run "
                        + collector.unknown.sum());
            }
            if (!hub.alive()) {
                throw new IllegalStateException("the hub died during the run:\n" + hub.tail());
            }
            System.out.println("  data on disk while running: " + diskUse(root.resolve("data")));
            hub.close();
            System.out.println("  data on disk after the hub stopped: " + diskUse(root.resolve("data")));
            System.out.println("  submissions accepted in the run, warm-up included: " + acceptedInRun);
        } finally {
            if (hub != null) {
                hub.close();
            }
            if (!o.flag("keep-data")) {
                deleteTree(root);
            }
        }

        CryptoFloor.Result after = null;
        if (when.equals("after") || when.equals("both")) {
            after = floor(floorBodies, hubIdentity, trust, recipientCerts, "after the load, hub stopped");
        }
        double floor = Math.max(before == null ? 0 : before.perSecond(), after == null ? 0 : after.perSecond());
        System.out.println();
        System.out.println("SUMMARY" + (o.text("label").isEmpty() ? "" : " [" + o.text("label") + "]") + ": "
                + (floor == 0 ? "no crypto-only floor measured" : String.format(Locale.ROOT,
                "crypto-only floor %.1f/s (%s%s%s, %d threads; the ratio uses the higher)",
                floor, before == null ? "" : String.format(Locale.ROOT, "before %.1f", before.perSecond()),
                before != null && after != null ? ", " : "",
                after == null ? "" : String.format(Locale.ROOT, "after %.1f", after.perSecond()),
                o.integer("floor-threads"))));
        System.out.println(String.format(Locale.ROOT, "  %-12s %-14s %9s %9s %7s %22s %28s %6s %9s %6s",
                "phase", "load", "intake/s", "e2e/s", "ratio", "POST-202 p50/p95/p99", "POST-last-pkg p50/p95/p99", "503",
                "hub cores", "of JIT"));
        double best = 0;
        for (PhaseResult r : results) {
            boolean closed = r.name().startsWith("closed-");
            best = closed ? Math.max(best, r.endToEndPerSecond()) : best;
            System.out.println(String.format(Locale.ROOT, "  %-12s %-14s %9.1f %9.1f %7s %22s %28s %6d %9.2f %6.2f%s",
                    r.name(), r.load(), r.intakePerSecond(), r.endToEndPerSecond(),
                    // an open loop's end-to-end rate is its offered rate: no measure of capacity
                    closed && floor > 0 ? String.format(Locale.ROOT, "%.1f%%", 100 * r.endToEndPerSecond() / floor) : "-",
                    String.format(Locale.ROOT, "%.0f/%.0f/%.0f ms", r.toAccepted().ms(50), r.toAccepted().ms(95),
                            r.toAccepted().ms(99)),
                    String.format(Locale.ROOT, "%.0f/%.0f/%.0f ms", r.toLastPackage().ms(50), r.toLastPackage().ms(95),
                            r.toLastPackage().ms(99)), r.busy(), r.hubCores(), r.hubJitCores(),
                    r.drained() ? "" : " NOT DRAINED"));
        }
        if (best > 0 && floor > 0) {
            System.out.println(String.format(Locale.ROOT,
                    "  best closed-loop end to end %.1f/s = %.1f%% of the crypto-only floor %.1f/s", best,
                    100 * best / floor, floor));
        }
        for (PhaseResult r : results) {
            System.out.println(r.resultLine(floor));
        }
        System.out.println("  loadavg at the end " + loadAverage());
    }

    /** The hub's own account of where the first warm-up submission went must be exactly the queues consumed. */
    private void checkRecipients(IntakeDriver driver, PhaseResult warmup, List<String> recipients) throws Exception {
        var status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(driver.status(warmup.firstId()));
        java.util.Set<String> went = new java.util.TreeSet<>();
        status.path("recipients").forEach(r -> went.add(r.path("recipient").asText()));
        if (!went.equals(new java.util.TreeSet<>(recipients))) {
            throw new IllegalStateException("the sample goes to " + went + ", not to the consumed " + recipients
                    + ": set --recipients");
        }
        System.out.println("  the hub routes the sample to " + went + ", the queues consumed");
    }

    private CryptoFloor.Result floor(List<byte[]> bodies, Identity hub, TrustValidator trust, List<X509Certificate> certs,
                                     String when) throws InterruptedException {
        CryptoFloor.Result r = CryptoFloor.measure(bodies, hub, trust, certs, Math.max(1, o.integer("floor-threads")),
                o.seconds("floor-warmup-seconds"), o.seconds("floor-seconds"));
        System.out.println(String.format(Locale.ROOT,
                "== crypto-only floor (%s): %.1f submissions/s (%d in %.1f s on %d threads: open+verify+validate, "
                        + "then sign+encrypt for %d recipients); loadavg %s",
                when, r.perSecond(), r.submissions(), r.seconds(), r.threads(), certs.size(), loadAverage()));
        return r;
    }

    private PhaseResult closedPhase(String name, SealedSubmissions sealing, int count, int expected, int connections,
                                    HubUnderLoad hub, PackageCollector collector, IntakeDriver driver, double floor)
            throws Exception {
        Ledger l = sealing.seal(name, count, expected);
        collector.watch(l);
        return measured(name, connections + " connections", l, hub, driver, () -> driver.closedLoop(l, connections,
                o.seconds("phase-timeout")), floor);
    }

    private PhaseResult openPhase(String name, SealedSubmissions sealing, double rate, int expected, HubUnderLoad hub,
                                  PackageCollector collector, IntakeDriver driver, double floor) throws Exception {
        int count = (int) Math.max(1, Math.round(rate * o.seconds("rate-seconds").toMillis() / 1000.0));
        Ledger l = sealing.seal(name, count, expected);
        collector.watch(l);
        return measured(name, String.format(Locale.ROOT, "%.1f/s", rate), l, hub, driver, () -> driver.openLoop(l, rate,
                Math.max(1, o.integer("max-in-flight")), o.seconds("phase-timeout")), floor);
    }

    private interface Drive {
        IntakeDriver.Counts run() throws Exception;
    }

    private PhaseResult measured(String name, String load, Ledger l, HubUnderLoad hub, IntakeDriver driver, Drive drive,
                                 double floor) throws Exception {
        long connections0 = driver.connectionsOpened();
        long hubCpu0 = hub.cpuNanos();
        long jit0 = hub.jitCpuNanos();
        long genCpu0 = generatorCpuNanos();
        long t0 = System.nanoTime();
        IntakeDriver.Counts counts = drive.run();
        long backlog = l.acceptedCount() - l.deliveredCount();
        boolean drained = drain(l, hub);
        long wall = System.nanoTime() - t0;
        long hubCpu1 = hub.cpuNanos();
        long jit1 = hub.jitCpuNanos();
        double jitCores = jit0 < 0 || jit1 < 0 ? Double.NaN : Math.max(0, jit1 - jit0) / (double) wall;
        double hubCores = hubCpu0 < 0 || hubCpu1 < 0 ? Double.NaN : (hubCpu1 - hubCpu0) / (double) wall;
        double genCores = (generatorCpuNanos() - genCpu0) / (double) wall;
        PhaseResult r = PhaseResult.of(name, load, l, counts, backlog, hubCores, jitCores, genCores, loadAverage(), drained,
                driver.connectionsOpened() - connections0);
        acceptedInRun += r.accepted();
        System.out.print(r.report(floor));
        sendRefusedAgain(l, driver);
        return r;
    }

    /**
     * Every submission of the phase is valid, so a 4xx is the hub's mistake: each refused body is posted once more
     * after the phase (outside its figures), and how many of them are then accepted is printed.
     */
    private static void sendRefusedAgain(Ledger l, IntakeDriver driver) throws InterruptedException {
        int refused = 0;
        int acceptedAgain = 0;
        for (int i = 0; i < l.size() && refused < 100; i++) {
            int status = l.finalStatus.get(i);
            if (status >= 400 && status < 500) {
                refused++;
                acceptedAgain += driver.postAgain(l.bodies.get(i)) == 202 ? 1 : 0;
            }
        }
        if (refused > 0) {
            System.out.println("   of " + refused + " valid submissions refused with a 4xx, " + acceptedAgain
                    + " were accepted when sent again after the phase (not counted above)");
        }
    }

    /** Waits until every accepted submission of {@code l} has all its packages; bounded by the drain and stall times. */
    private boolean drain(Ledger l, HubUnderLoad hub) {
        long deadline = System.nanoTime() + o.seconds("drain-timeout").toNanos();
        long stall = o.seconds("stall-timeout").toNanos();
        long seen = -1;
        long progressAt = System.nanoTime();
        while (true) {
            if (l.deliveredCount() >= l.acceptedCount()) {
                return true;
            }
            long now = System.nanoTime();
            long arrived = l.packagesArrived();
            if (arrived != seen) {
                seen = arrived;
                progressAt = now;
            }
            if (now - deadline > 0 || now - progressAt > stall || !hub.alive()) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** MiB in each of the hub's data directories (audit, broker, registry, spool). */
    private static String diskUse(Path data) {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> dirs = Files.list(data)) {
            for (Path d : dirs.sorted().toList()) {
                long bytes;
                try (Stream<Path> files = Files.walk(d)) {
                    bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
                b.append(String.format(Locale.ROOT, "%s %.1f MiB, ", d.getFileName(), bytes / 1048576.0));
            }
        } catch (IOException e) {
            return "?";
        }
        return b.length() == 0 ? "-" : b.substring(0, b.length() - 2);
    }

    private static long generatorCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }
}
