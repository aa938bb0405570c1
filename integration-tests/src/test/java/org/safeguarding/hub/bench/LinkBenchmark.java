package org.safeguarding.hub.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.safeguarding.hub.alerts.AlertEvaluator;
import org.safeguarding.hub.alerts.InFlightLinks;
import org.safeguarding.hub.alerts.SubmissionLinks;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.links.DerivedLink;
import org.safeguarding.hub.links.LinkDeriver;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.partnership.LinkKind;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.RegistryDatabase;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * Link derivation and alert evaluation per routed submission, with an empty link store and after {@code links} links
 * (issue: "link derivation and alert evaluation cost per submission, fresh and after 1 million links"):
 * <ul>
 *   <li>{@code derive}: {@link LinkDeriver#derive} of C01 (6 links: NHS number, two names with dates of birth,
 *       location postcode, vehicle, online handle), a different vrm each op;</li>
 *   <li>{@code linkAndEvaluate}: {@link SubmissionLinks#link} of C01 from lancs-police with a random vrm and NHS
 *       number (in no stored submission: the common case), which derives the tokens and evaluates the reference
 *       partnership's 3 alert rules against the link store (the hub's registry H2 file, opened as the hub opens it) and
 *       the links in flight; nothing fires;</li>
 *   <li>{@code linkAndEvaluateLinked}: the same with a vrm that 3 stored submissions from two other sectors (HEALTH,
 *       EDUCATION) gave within the last 5 days, so CONTEXT-2-SECTORS fires and an alert (revision 1, with notices for
 *       its recipients) is raised each op; no package is sealed.</li>
 * </ul>
 * Each op removes its in-flight registration, as the routing step does once applied; nothing is written to the store
 * during the measurement, so every op sees the same store. The store is filled in the trial's setup with
 * {@code links} random tokens, 6 to a submission, from the six partners, received over the 90 days before the fixed
 * receipt time, by batched JDBC inserts into the link store's tables (a commit every 10,000 links); the fill time and
 * the registry file size are printed. The first trial that fills a store keeps a copy of its file in
 * {@code -Dlinkbench.cache=DIR} (default {@code <java.io.tmpdir>/link-bench-cache}); later trials (other benchmarks,
 * later runs) start from a fresh copy of it instead of filling again (the fill is deterministic: same seeds, same
 * key). Delete that directory when done. One thread. Run it as integration-tests/README.md says; {@code mvn verify} does
 * not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LinkBenchmark {
    @Param({"0", "1000000"})
    public int links;

    private static final int VARIANTS = 1024;
    private static final int LINKED_VRMS = 100;
    private static final int COMMIT_EVERY = 10_000;
    /** The fixed receipt time of every measured submission (a minute after C01's submittedAt). */
    private static final Instant RECEIVED = Instant.parse("2026-11-27T09:31:00Z");
    private static final Set<String> SHARED_WITH = Set.of("police-fib", "mash-bpl");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The partners of the reference partnership and the areas each may submit for. */
    private static final String[][] PARTNERS = {
        {"lancs-police", "BWD", "BPL", "LANCS"}, {"nhs-lsc", "BWD", "BPL", "LANCS"}, {"bwd-education", "BWD"},
        {"bpl-education", "BPL"}, {"lancs-vcs", "BWD", "BPL", "LANCS"}, {"bpl-csc", "BPL"}};
    private static final String[] CATEGORIES = {"CSE", "CCE", "TRAFFICKING", "MODERN_SLAVERY", "MISSING"};
    private static final String[] RECIPIENTS = {"police-fib", "mash-bwd", "mash-bpl", "mash-lancs",
        "health-safeguarding", "education-bwd", "education-bpl", "vcs-missing"};
    /** C01's link kinds, in the order it gives them. */
    private static final LinkKind[] KINDS = {LinkKind.NHS_NUMBER, LinkKind.NAME_DOB, LinkKind.NAME_DOB,
        LinkKind.LOCATION_POSTCODE, LinkKind.VEHICLE, LinkKind.ONLINE_HANDLE};

    private Path dir;
    private RegistryDatabase db;
    private Partnership partnership;
    private Participant partner;
    private LinkDeriver deriver;
    private SubmissionLinks submissionLinks;
    private ObjectNode[] deriveVariants;
    private ValidSubmission[] unlinked;
    private ValidSubmission[] linked;
    private String[] receiptIds;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        SplittableRandom random = new SplittableRandom(42);
        dir = Files.createTempDirectory("link-bench-");
        byte[][] keys = {new byte[LinkingKey.KEY_LENGTH]};
        for (int i = 0; i < keys[0].length; i++) {
            keys[0][i] = (byte) random.nextInt(256);
        }
        LinkingKey key = LinkingKey.of(List.of(keys));
        deriver = new LinkDeriver(key);
        partnership = PartnershipLoader.loadReference();
        partner = partnership.participant("lancs-police").orElseThrow();
        if (links > 0) {
            Path cache = Path.of(System.getProperty("linkbench.cache",
                    Path.of(System.getProperty("java.io.tmpdir"), "link-bench-cache").toString()));
            Path cached = cache.resolve("registry-" + links + "-v1.mv.db");
            if (Files.isRegularFile(cached)) {
                Files.copy(cached, dir.resolve("registry.mv.db"));
                System.out.printf("%nlink store: %,d links copied from %s (%,.1f MiB)%n", links, cached,
                        registrySize() / 1048576.0);
            } else {
                long t0 = System.nanoTime();
                fill(new SplittableRandom(links), key.currentKeyId());
                long millis = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("%nlink store filled: %,d links (%,d submissions) in %,d ms (%,.0f links/s), then"
                                + " compacted: registry file %,.1f MiB%n", links,
                        (links + KINDS.length - 1) / KINDS.length, millis, links * 1000.0 / Math.max(1, millis),
                        registrySize() / 1048576.0);
                Files.createDirectories(cache);
                Path tmp = cache.resolve(cached.getFileName() + ".tmp");
                Files.copy(dir.resolve("registry.mv.db"), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                System.out.printf("kept for the next trials in %s (remove it when done)%n", cached);
            }
        }
        db = RegistryDatabase.open(dir); // as the hub opens it: WRITE_DELAY 0
        new SubmissionRegistry(db.dataSource(), Clock.fixed(RECEIVED, ZoneOffset.UTC)); // makes the tables
        LinkStore store = new LinkStore(db.dataSource());
        submissionLinks = new SubmissionLinks(key, new AlertEvaluator(store, new InFlightLinks(java.time.Clock.systemUTC())), JSON);
        if (store.linkCount() != links) {
            throw new IllegalStateException("the store holds " + store.linkCount() + " links, not " + links);
        }

        ObjectNode c01 = c01();
        SubmissionValidator validator = new SubmissionValidator(partnership);
        deriveVariants = new ObjectNode[VARIANTS];
        unlinked = new ValidSubmission[VARIANTS];
        linked = new ValidSubmission[VARIANTS];
        receiptIds = new String[VARIANTS];
        String[] linkedVrms = new String[LINKED_VRMS];
        for (int i = 0; i < LINKED_VRMS; i++) {
            linkedVrms[i] = vrm(random);
        }
        for (int i = 0; i < VARIANTS; i++) {
            deriveVariants[i] = variant(c01, random, vrm(random), "9990000018");
            unlinked[i] = validator.validate(JSON.writeValueAsBytes(variant(c01, random, vrm(random),
                    nhsNumber(random))), partner);
            linked[i] = validator.validate(JSON.writeValueAsBytes(variant(c01, random, linkedVrms[i % LINKED_VRMS],
                    nhsNumber(random))), partner);
            receiptIds[i] = new UUID(random.nextLong(), random.nextLong()).toString();
        }
        storeLinkedVrms(random, key.currentKeyId(), linkedVrms, c01);
        check();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        long t0 = System.nanoTime();
        db.close(); // compacts for up to 10 s, as the hub does at its stop
        System.out.printf("%nregistry closed in %,d ms (compacted): %,.1f MiB%n",
                (System.nanoTime() - t0) / 1_000_000, registrySize() / 1048576.0);
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public List<DerivedLink> derive() {
        return deriver.derive(deriveVariants[next++ & (VARIANTS - 1)]);
    }

    @Benchmark
    public SubmissionLinks.Linking linkAndEvaluate() {
        int i = next++ & (VARIANTS - 1);
        return link(unlinked[i], receiptIds[i]);
    }

    @Benchmark
    public SubmissionLinks.Linking linkAndEvaluateLinked() {
        int i = next++ & (VARIANTS - 1);
        return link(linked[i], receiptIds[i]);
    }

    private SubmissionLinks.Linking link(ValidSubmission s, String receiptId) {
        SubmissionLinks.Linking l = submissionLinks.link(partnership, partner, s, receiptId, RECEIVED, SHARED_WITH, RECEIVED);
        l.outcome().registration().remove();
        return l;
    }

    /**
     * The store's background: random tokens of C01's kinds, 6 to a submission, over the last 90 days. Written before
     * the registry is opened as the hub opens it, through a connection of H2's default write delay, then compacted
     * ({@code SHUTDOWN COMPACT}): with {@code WRITE_DELAY 0} every commit is a chunk that H2 keeps 45 s, and inserting
     * random tokens in 10,000-link commits that way grew the file past 8.9 GB within two minutes.
     */
    private void fill(SplittableRandom random, String keyId) throws SQLException {
        long window = Duration.ofDays(90).toMillis();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        byte[] h = new byte[32];
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE;RETENTION_TIME=0;CACHE_SIZE=524288";
        try (Connection c = DriverManager.getConnection(url, "hub", "")) {
            JdbcDataSource tables = new JdbcDataSource();
            tables.setURL(url);
            tables.setUser("hub");
            tables.setPassword("");
            new SubmissionRegistry(tables, Clock.fixed(RECEIVED, ZoneOffset.UTC)); // makes the tables
            fill(c, random, keyId, window, b64, h);
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            }
        }
    }

    private void fill(Connection c, SplittableRandom random, String keyId, long window, Base64.Encoder b64, byte[] h)
            throws SQLException {
        try (
             PreparedStatement sub = c.prepareStatement("INSERT INTO linked_submission (partner_id, submission_id,"
                     + " receipt_id, sector, area, categories, handling_code, received_at, shared_with)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement link = c.prepareStatement("INSERT INTO link (token, kind, key_id, partner_id,"
                     + " submission_id, received_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            String partnerId = null;
            String submissionId = null;
            Timestamp at = null;
            for (int n = 0; n < links; n++) {
                int k = n % KINDS.length;
                if (k == 0) {
                    String[] p = PARTNERS[random.nextInt(PARTNERS.length)];
                    partnerId = p[0];
                    submissionId = new UUID(random.nextLong(), random.nextLong()).toString();
                    at = Timestamp.from(RECEIVED.minusMillis(1 + random.nextLong(window)));
                    sub.setString(1, partnerId);
                    sub.setString(2, submissionId);
                    sub.setString(3, new UUID(random.nextLong(), random.nextLong()).toString());
                    sub.setString(4, sectorOf(partnerId));
                    sub.setString(5, p[1 + random.nextInt(p.length - 1)]);
                    sub.setString(6, CATEGORIES[random.nextInt(CATEGORIES.length)]
                            + (random.nextInt(3) == 0 ? "," + CATEGORIES[random.nextInt(CATEGORIES.length)] : ""));
                    sub.setString(7, random.nextInt(4) == 0 ? "C" : "P");
                    sub.setTimestamp(8, at);
                    String r1 = RECIPIENTS[random.nextInt(RECIPIENTS.length)];
                    String r2 = RECIPIENTS[random.nextInt(RECIPIENTS.length)];
                    sub.setString(9, r1.equals(r2) ? r1 : r1 + "," + r2);
                    sub.addBatch();
                }
                for (int i = 0; i < h.length; i++) {
                    h[i] = (byte) random.nextInt(256);
                }
                link.setString(1, b64.encodeToString(h));
                link.setString(2, KINDS[k].name());
                link.setString(3, keyId);
                link.setString(4, partnerId);
                link.setString(5, submissionId);
                link.setTimestamp(6, at);
                link.addBatch();
                if ((n + 1) % COMMIT_EVERY == 0 || n + 1 == links) {
                    sub.executeBatch();
                    link.executeBatch();
                    c.commit();
                    if ((n + 1) % 200_000 == 0) {
                        System.out.printf("%n  %,d links, registry file %,.1f MiB", n + 1, registrySize() / 1048576.0);
                    }
                }
            }
            c.setAutoCommit(true);
        }
    }

    /**
     * For each linked vrm, 3 submissions that gave its VEHICLE token (and 5 random tokens of C01's other kinds):
     * two from nhs-lsc (HEALTH) and one from bpl-education (EDUCATION), within 5 days before the receipt time, shared
     * with police-fib and mash-bpl, applied as the hub applies a routing step's links.
     */
    private void storeLinkedVrms(SplittableRandom random, String keyId, String[] vrms, ObjectNode c01)
            throws SQLException {
        String[][] from = {{"nhs-lsc", "HEALTH", "BPL"}, {"bpl-education", "EDUCATION", "BPL"},
            {"nhs-lsc", "HEALTH", "BWD"}};
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        byte[] h = new byte[32];
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (String vrm : vrms) {
                String vehicle = deriver.derive(variant(c01, random, vrm, "9990000018")).stream()
                        .filter(l -> l.kind() == LinkKind.VEHICLE).findFirst().orElseThrow().token();
                for (int j = 0; j < from.length; j++) {
                    List<RegistryChange.Token> tokens = new ArrayList<>();
                    for (LinkKind kind : KINDS) {
                        if (kind == LinkKind.VEHICLE) {
                            tokens.add(new RegistryChange.Token(kind.name(), keyId, vehicle));
                        } else {
                            for (int i = 0; i < h.length; i++) {
                                h[i] = (byte) random.nextInt(256);
                            }
                            tokens.add(new RegistryChange.Token(kind.name(), keyId, b64.encodeToString(h)));
                        }
                    }
                    LinkStore.apply(c, new RegistryChange.Linked(from[j][0],
                            new UUID(random.nextLong(), random.nextLong()).toString(),
                            new UUID(random.nextLong(), random.nextLong()).toString(), from[j][1], from[j][2],
                            List.of(j == 1 ? "MISSING" : "CCE"), "P", RECEIVED.minus(Duration.ofHours(12L + 36L * j)),
                            List.copyOf(SHARED_WITH), tokens));
                }
            }
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** What each benchmark measures is what it claims: 6 links; nothing fires unlinked; an alert is raised linked. */
    private void check() {
        if (deriver.derive(deriveVariants[0]).size() != KINDS.length) {
            throw new IllegalStateException("C01 should give " + KINDS.length + " links");
        }
        SubmissionLinks.Linking u = link(unlinked[0], receiptIds[0]);
        if (u.change().tokens().size() != KINDS.length || !u.outcome().raised().isEmpty()) {
            throw new IllegalStateException("an unlinked C01 raised " + u.outcome().raised().size() + " alerts");
        }
        SubmissionLinks.Linking l = link(linked[0], receiptIds[0]);
        if (l.outcome().raised().isEmpty() || l.outcome().raised().get(0).notices().isEmpty()) {
            throw new IllegalStateException("a linked C01 raised no alert with notices");
        }
        System.out.printf("%nlinked C01 raises %s, notices to %s%n",
                l.outcome().raised().stream().map(r -> r.rule().id() + " rev " + r.alert().revision()
                        + " over " + r.alert().members().size() + " submissions").toList(),
                l.outcome().raised().get(0).notices().stream().map(AlertEvaluator.Notice::recipient).toList());
    }

    private static ObjectNode c01() throws IOException {
        try (InputStream in = LinkBenchmark.class.getResourceAsStream(
                "/scenario/submissions/C01-police-cce-blackpool.json")) {
            if (in == null) {
                throw new IllegalStateException("C01 is not on the class path");
            }
            return (ObjectNode) JSON.readTree(in);
        }
    }

    /** C01 with a fresh submissionId, this vrm on its VEHICLE context and this NHS number on its child. */
    private static ObjectNode variant(ObjectNode c01, SplittableRandom random, String vrm, String nhsNumber) {
        ObjectNode v = c01.deepCopy();
        v.put("submissionId", new UUID(random.nextLong(), random.nextLong()).toString());
        ((ObjectNode) v.get("subjects").get(0).get("identity")).put("nhsNumber", nhsNumber);
        for (var context : v.get("contexts")) {
            if ("VEHICLE".equals(context.path("type").asText())) {
                ((ObjectNode) context).put("vrm", vrm);
            }
        }
        return v;
    }

    /** A current-style registration mark: two letters, two digits, space, three letters. */
    private static String vrm(SplittableRandom random) {
        StringBuilder b = new StringBuilder(8);
        for (int i = 0; i < 7; i++) {
            if (i == 4) {
                b.append(' ');
            }
            b.append(i == 2 || i == 3 ? (char) ('0' + random.nextInt(10)) : (char) ('A' + random.nextInt(26)));
        }
        return b.toString();
    }

    /** A random NHS number with a valid modulus-11 check digit. */
    private static String nhsNumber(SplittableRandom random) {
        while (true) {
            StringBuilder b = new StringBuilder(10);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                int d = random.nextInt(10);
                b.append(d);
                sum += d * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                return b.append(check).toString();
            }
        }
    }

    private String sectorOf(String partnerId) {
        return AlertEvaluator.sectorOf(partnership.participant(partnerId).orElseThrow());
    }

    private long registrySize() {
        try {
            return Files.size(dir.resolve("registry.mv.db"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
