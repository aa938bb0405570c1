package org.safeguarding.hub.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.audit.JcaCheckpointSigner;
import org.safeguarding.hub.audit.JdbcAuditTrail;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.live.PartnershipWatcher.Outcome;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.sharing.Decision;
import org.safeguarding.hub.sharing.Pseudonymiser;
import org.safeguarding.hub.sharing.ReasonCode;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.submission.SubmissionValidator;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * The running hub's partnership follows its file: a valid edit is put in force and audited with
 * its digest, an invalid one is refused and audited without content while the running version
 * stays. A real audit trail (H2 in memory) and, for new recipients, a real embedded broker.
 */
class PartnershipWatcherTest {
    static final Instant CLOCK = Instant.parse("2026-11-27T10:00:00Z");
    static final String REFERENCE = PartnershipLoader.referencePartnershipYaml();
    static final String EDUCATION_BPL = """
              - id: education-bpl
                organisation: Blackpool education safeguarding lead
                sector: EDUCATION
                roles: [RECIPIENT]
                serves: [BPL]
            """;

    @TempDir
    Path dir;
    Path file;
    MutableClock clock = new MutableClock(CLOCK);
    JdbcAuditTrail trail;
    LivePartnership live;
    final List<String> prepared = new ArrayList<>();
    PartnershipWatcher.Preparation preparation = next -> prepared.add(next.digest());
    PartnershipWatcher watcher;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("partnership.yaml");
        Files.writeString(file, REFERENCE, StandardCharsets.UTF_8);
        live = new LivePartnership(PartnershipLoader.load(file), new Pseudonymiser(new byte[32]));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        trail = JdbcAuditTrail.open("jdbc:h2:mem:watcher-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "",
                clock, JcaCheckpointSigner.of(keys.getPrivate(), keys.getPublic()));
        watcher = new PartnershipWatcher(file, live, new AuditRecorder(trail), next -> preparation.prepare(next),
                clock);
    }

    @AfterEach
    void stop() {
        watcher.close();
        trail.close();
    }

    // ------------------------------------------------------------------ helpers

    void write(String yaml) throws IOException {
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
    }

    static String edit(String from, String to) {
        assertThat(REFERENCE).contains(from);
        return REFERENCE.replace(from, to);
    }

    static String suspendEducationBpl() {
        return edit(EDUCATION_BPL, EDUCATION_BPL + "    suspended: true\n");
    }

    /**
     * A clause naming a participant the file does not have, and a sector that does not exist (which
     * has no redaction profile either): 3 problems.
     */
    static String brokenFile() {
        return edit("      - recipient: vcs-missing\n", "      - recipient: nobody-known\n")
                .replace("    sector: VOLUNTARY\n    roles: [RECIPIENT]", "    sector: CHARITY\n    roles: [RECIPIENT]");
    }

    List<AuditEvent> events(AuditEventType type) {
        return trail.find(new AuditQuery(null, null, type, null, null, null, 1000));
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The decision for one recipient of a scenario submission, by the version in force. */
    RecipientDecision decide(String submission, String recipient) {
        LivePartnership.Version v = live.current();
        byte[] json = scenario(submission);
        String partner = SubmissionValidator.partnerIdOf(json).orElseThrow();
        ValidSubmission s = v.validator().validate(json, v.partnership().participant(partner).orElseThrow());
        return v.planner().plan(s, CLOCK).decisionFor(recipient).orElseThrow();
    }

    static byte[] scenario(String name) {
        try (InputStream in = PartnershipWatcherTest.class.getResourceAsStream("/scenario/submissions/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void anUntouchedFileChangesNothing() {
        Partnership before = live.partnership();

        assertThat(watcher.checkNow()).isEqualTo(Outcome.UNCHANGED);

        assertThat(live.partnership()).isSameAs(before);
        assertThat(events(AuditEventType.CONFIG_CHANGED)).isEmpty();
        assertThat(events(AuditEventType.CONFIG_REJECTED)).isEmpty();
        assertThat(prepared).isEmpty();
        assertThat(watcher.status().lastCheckedAt()).isEqualTo(CLOCK);
    }

    @Test
    void aValidEditTakesEffectAtOnceAndIsAuditedWithItsDigest() throws Exception {
        String old = live.partnership().digest();
        assertThat(decide("C03-education-missing-blackpool.json", "education-bpl").decision())
                .isEqualTo(Decision.SHARED);
        String edited = suspendEducationBpl();
        write(edited);
        clock.set(CLOCK.plusSeconds(30));

        assertThat(watcher.checkNow()).isEqualTo(Outcome.APPLIED);

        assertThat(live.partnership().digest()).isEqualTo(sha256(edited));
        assertThat(decide("C03-education-missing-blackpool.json", "education-bpl").reason())
                .isEqualTo(ReasonCode.RECIPIENT_SUSPENDED);
        assertThat(decide("C03-education-missing-blackpool.json", "mash-bpl").decision()).isEqualTo(Decision.SHARED);
        assertThat(prepared).containsExactly(sha256(edited));
        List<AuditEvent> changed = events(AuditEventType.CONFIG_CHANGED);
        assertThat(changed).hasSize(1);
        assertThat(changed.get(0).detail()).isEqualTo("digest=" + sha256(edited) + ",previous=" + old);
        assertThat(changed.get(0).actor()).isEqualTo("hub");
        assertThat(watcher.status().lastAppliedAt()).isEqualTo(CLOCK.plusSeconds(30));
        assertThat(watcher.status().digestInForce()).isEqualTo(sha256(edited));

        assertThat(watcher.checkNow()).as("looked at again").isEqualTo(Outcome.UNCHANGED);
        assertThat(events(AuditEventType.CONFIG_CHANGED)).hasSize(1);
    }

    @Test
    void anInvalidEditIsRefusedOnceWithoutContentAndTheRunningVersionStays() throws Exception {
        LivePartnership.Version running = live.current();
        String broken = brokenFile();
        write(broken);

        assertThat(watcher.checkNow()).isEqualTo(Outcome.REFUSED);

        assertThat(live.current()).isSameAs(running);
        assertThat(decide("C03-education-missing-blackpool.json", "vcs-missing").decision()).isEqualTo(Decision.SHARED);
        assertThat(prepared).isEmpty();
        assertThat(events(AuditEventType.CONFIG_CHANGED)).isEmpty();
        List<AuditEvent> rejected = events(AuditEventType.CONFIG_REJECTED);
        assertThat(rejected).hasSize(1);
        AuditEvent e = rejected.get(0);
        assertThat(e.reasonCode()).isEqualTo("INVALID_CONFIGURATION");
        assertThat(e.decision()).isEqualTo("REJECTED");
        assertThat(e.detail()).isEqualTo("problems=3,digest=" + sha256(broken));
        assertThat(e.detail()).doesNotContain("nobody", "CHARITY", "sector", "participants");
        assertThat(watcher.status().lastRefusedDigest()).isEqualTo(sha256(broken));

        assertThat(watcher.checkNow()).as("the same broken file again").isEqualTo(Outcome.UNCHANGED);
        assertThat(events(AuditEventType.CONFIG_REJECTED)).as("reported once").hasSize(1);

        String fixed = suspendEducationBpl();
        write(fixed);
        assertThat(watcher.checkNow()).isEqualTo(Outcome.APPLIED);
        assertThat(live.partnership().digest()).isEqualTo(sha256(fixed));
    }

    @Test
    void malformedYamlAndAMissingFileAreRefusedToo() throws Exception {
        LivePartnership.Version running = live.current();
        write(REFERENCE + "\n  : [unclosed\n");

        assertThat(watcher.checkNow()).isEqualTo(Outcome.REFUSED);

        Files.delete(file);
        assertThat(watcher.checkNow()).isEqualTo(Outcome.REFUSED);
        assertThat(watcher.checkNow()).isEqualTo(Outcome.UNCHANGED);

        assertThat(live.current()).isSameAs(running);
        assertThat(events(AuditEventType.CONFIG_REJECTED)).extracting(AuditEvent::detail)
                .containsExactly("problems=1,digest=" + sha256(REFERENCE + "\n  : [unclosed\n"), "unreadable");
    }

    @Test
    void undoingARefusedEditNeitherChangesNorAuditsAChange() throws Exception {
        LivePartnership.Version running = live.current();
        write(brokenFile());
        assertThat(watcher.checkNow()).isEqualTo(Outcome.REFUSED);

        write(REFERENCE);

        assertThat(watcher.checkNow()).isEqualTo(Outcome.UNCHANGED);
        assertThat(live.current()).isSameAs(running);
        assertThat(events(AuditEventType.CONFIG_CHANGED)).isEmpty();
        assertThat(events(AuditEventType.CONFIG_REJECTED)).hasSize(1);

        write(brokenFile());
        assertThat(watcher.checkNow()).as("broken again: reported again").isEqualTo(Outcome.REFUSED);
        assertThat(events(AuditEventType.CONFIG_REJECTED)).hasSize(2);
    }

    @Test
    void aNewRecipientGetsItsBrokerInboxBeforeTheChangeTakesEffect() throws Exception {
        try (EmbeddedBroker broker = new EmbeddedBroker(
                new HubSettings.Broker(dir.resolve("broker"), 0, 0, 2, Duration.ZERO, Duration.ZERO),
                live.partnership().recipients().stream().map(r -> r.id()).toList(), id -> true, (w, what) -> { })) {
            broker.start();
            preparation = next -> next.recipients().forEach(r -> broker.ensureInbox(r.id()));
            String added = edit("  # Others\n", """
                      - id: education-lancs
                        organisation: Lancashire education safeguarding lead
                        sector: EDUCATION
                        roles: [RECIPIENT]
                        serves: [LANCS]

                      # Others
                    """).replace("""
                          - recipient: education-bpl
                    """, """
                          - recipient: education-lancs
                            areas: SERVED
                            categories: [CSE, CCE, MISSING]
                            purposes: [SAFEGUARDING, PREVENTION]
                            ages: [ { from: 4, to: 18 } ]
                            classifications: [OFFICIAL]
                          - recipient: education-bpl
                    """);
            assertThat(broker.messageCount(QueueNames.inbox("education-lancs"))).isEqualTo(-1);
            write(added);

            assertThat(watcher.checkNow()).isEqualTo(Outcome.APPLIED);

            assertThat(broker.messageCount(QueueNames.inbox("education-lancs"))).isZero();
            assertThat(live.partnership().participant("education-lancs")).isPresent();
            assertThat(live.partnership().agreementsNaming("education-lancs")).extracting(a -> a.id())
                    .containsExactly("CS-EDU");
        }
    }

    @Test
    void whenTheHubCannotGetReadyTheChangeWaitsAndIsTriedAgain() throws Exception {
        LivePartnership.Version running = live.current();
        preparation = next -> {
            throw new IllegalStateException("broker down");
        };
        String edited = suspendEducationBpl();
        write(edited);

        assertThat(watcher.checkNow()).isEqualTo(Outcome.RETRY);
        assertThat(watcher.checkNow()).isEqualTo(Outcome.RETRY);

        assertThat(live.current()).isSameAs(running);
        assertThat(events(AuditEventType.CONFIG_REJECTED)).as("reported once")
                .singleElement().satisfies(e -> {
                    assertThat(e.reasonCode()).isEqualTo("UNAVAILABLE");
                    assertThat(e.detail()).isEqualTo("digest=" + sha256(edited));
                });
        assertThat(events(AuditEventType.CONFIG_CHANGED)).isEmpty();

        preparation = next -> prepared.add(next.digest());
        assertThat(watcher.checkNow()).isEqualTo(Outcome.APPLIED);
        assertThat(live.partnership().digest()).isEqualTo(sha256(edited));
        assertThat(events(AuditEventType.CONFIG_CHANGED)).hasSize(1);
    }

    @Test
    void onTheTimerAnEditIsAppliedOnceItHasSettled() throws Exception {
        String edited = suspendEducationBpl();
        CountDownLatch ready = new CountDownLatch(1);
        preparation = next -> ready.countDown();
        watcher.start(Duration.ofMillis(20));

        write(edited);

        assertThat(ready.await(20, TimeUnit.SECONDS)).as("the timer judged the edit").isTrue();
        watcher.close(); // waits for the look in progress to finish
        assertThat(live.partnership().digest()).isEqualTo(sha256(edited));
        assertThat(events(AuditEventType.CONFIG_CHANGED)).hasSize(1);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
