package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.notices.HubNotices;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.registry.SubmissionRegistry;
import org.safeguarding.hub.testing.RealParts;
import org.safeguarding.hub.urgency.PackageEscalation;

/**
 * Urgency on real parts (broker, Bouncy Castle, H2), with time given explicitly: a MISSING submission whose child is
 * still missing is IMMEDIATE under the reference partnership's rules; its packages say so and by when; nothing
 * escalates before the deadline; after it, every recipient's package but the area MASH's own is escalated to the MASH
 * of the area with a content-free notice, audited, with a non-delivery report for the partner and ESCALATED in its
 * status; the steps used up, nothing escalates again; a ROUTINE submission never escalates.
 */
class UrgencyTest {
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final String C03 = "C03-education-missing-blackpool.json";
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;
    PackageEscalation escalation;
    List<String> recipients;
    int routed;

    @BeforeEach
    void start() throws Exception {
        parts = new RealParts(dir.resolve("db"), Clock.fixed(T0, ZoneOffset.UTC));
        harness = new RoutingHarness(dir, parts, feed -> parts.router(parts.pki.dir(), null, feed), 1);
        recipients = parts.partnership.partnership().participants().stream().filter(p -> p.hasRole(Role.RECIPIENT))
                .map(Participant::id).toList();
        BrokerInbox inbox = new BrokerInbox(harness.broker.connectionFactory(), Duration.ofMillis(500));
        escalation = new PackageEscalation(parts.registry, parts.partnership, inbox,
                new HubNotices(new CertificateDirectory(parts.pki.dir(), parts.trust),
                        new org.safeguarding.hub.sealing.RecipientSealer(new CmsSealer(AlgorithmPolicy.defaults()),
                                ContentEncryption.AES_256_GCM, parts.hub,
                                id -> parts.partnership.partnership().participant(id))),
                parts.audit, harness.feed, parts.clock);
        harness.camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        parts.close();
    }

    String route(ObjectNode n, String partner) throws Exception {
        n.put("submissionId", UUID.randomUUID().toString());
        n.put("submittedAt", T0.toString());
        byte[] json = n.toString().getBytes(StandardCharsets.UTF_8);
        harness.enqueueReserved(json, partner, T0);
        routed++;
        harness.awaitSettled(routed);
        return RealParts.submissionIdOf(json);
    }

    @Test
    void anUrgentMissingPackageIsEscalatedAfterItsDeadlineToTheAreaMash() throws Exception {
        ObjectNode stillMissing = RealParts.scenario(C03);
        ((ObjectNode) stillMissing.path("missingEpisode")).remove(List.of("to", "returnedTo", "locationFound"));
        String sid = route(stillMissing, "bpl-education");
        SubmissionRecord record = parts.registry.find("bpl-education", sid).orElseThrow();
        Map<String, String> packages = new LinkedHashMap<>();
        record.deliveries().forEach(d -> packages.put(d.recipient(), d.packageId()));
        assertThat(packages).containsKey("mash-bpl").hasSizeGreaterThan(1);

        Map<String, List<JsonNode>> first = harness.openedInboxes(recipients);
        Instant deadline = null;
        for (String r : packages.keySet()) {
            JsonNode p = first.get(r).get(0);
            assertThat(p.path("urgency").asText()).as(r).isEqualTo("IMMEDIATE");
            deadline = Instant.parse(p.path("acknowledgeBy").asText());
        }
        assertThat(deadline).as("the reference partnership's hour").isBetween(T0.plus(Duration.ofMinutes(59)),
                T0.plus(Duration.ofMinutes(61)));
        // reading the inboxes above consumed the messages but acknowledged nothing the hub records: the registry
        // still has every package pending, which is what escalation goes by
        assertThat(escalation.runOnce(deadline.minusSeconds(1)).escalated()).as("not before the deadline").isZero();

        PackageEscalation.Run run = escalation.runOnce(deadline.plusSeconds(1));
        harness.awaitRecorded();

        int others = packages.size() - 1;
        assertThat(run.escalated()).as("every recipient but the area MASH itself").isEqualTo(others);
        assertThat(run.exhausted()).as("the area MASH's own package has no step left").isEqualTo(1);
        List<JsonNode> notices = harness.openedInboxes(recipients).get("mash-bpl");
        assertThat(notices).hasSize(others).allSatisfy(n -> {
            assertThat(n.path("kind").asText()).isEqualTo("escalation");
            assertThat(n.path("submissionId").asText()).isEqualTo(sid);
            assertThat(n.path("urgency").asText()).isEqualTo("IMMEDIATE");
            assertThat(n.path("level").asInt()).isEqualTo(1);
            assertThat(n.has("submission")).as("no content").isFalse();
            List<String> leaves = new ArrayList<>();
            WithdrawalTest.collectText(stillMissing, leaves);
            for (String leaf : leaves) {
                assertThat(n.toString()).doesNotContain(leaf);
            }
        });
        List<String> escalatedPackages = new ArrayList<>();
        notices.forEach(n -> escalatedPackages.add(n.path("escalatedPackageId").asText()));
        List<String> expected = new ArrayList<>(packages.values());
        expected.remove(packages.get("mash-bpl"));
        assertThat(escalatedPackages).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(parts.events(AuditEventType.PACKAGE_ESCALATED)).hasSize(others)
                .allSatisfy(e -> assertThat(e.participant()).isEqualTo("mash-bpl"))
                .extracting(AuditEvent::packageId).containsExactlyInAnyOrderElementsOf(expected);
        List<SubmissionRegistry.NonDeliveryReport> reports = parts.registry.nonDeliveryPage("bpl-education", null, 100);
        assertThat(reports).hasSize(others).allSatisfy(r -> assertThat(r.event()).isEqualTo("ESCALATED"));
        assertThat(parts.registry.find("bpl-education", sid).orElseThrow().deliveries())
                .filteredOn(d -> !d.recipient().equals("mash-bpl"))
                .extracting(SubmissionRecord.Delivery::shownState).containsOnly("ESCALATED");

        // the steps are used up (no duty inboxes in the reference partnership): nothing escalates again
        PackageEscalation.Run later = escalation.runOnce(deadline.plus(Duration.ofDays(1)));
        harness.awaitRecorded();
        assertThat(later.escalated()).isZero();
        assertThat(parts.events(AuditEventType.PACKAGE_ESCALATED)).hasSize(others);
    }

    /** A recall nobody acknowledges within the hour escalates like an IMMEDIATE package, to the area's MASH. */
    @Test
    void anUnacknowledgedRecallIsEscalatedLikeAnUrgentPackage() throws Exception {
        String sid = route(RealParts.scenario("C01-police-cce-blackpool.json"), "lancs-police");
        harness.openedInboxes(recipients); // the recipients took the originals (the registry still has them pending)
        org.safeguarding.hub.withdrawal.SubmissionWithdrawal withdrawals = new org.safeguarding.hub.withdrawal
                .SubmissionWithdrawal(parts.submissions, parts.partnership, parts.registry,
                new BrokerInbox(harness.broker.connectionFactory(), Duration.ofMillis(500)),
                new CertificateDirectory(parts.pki.dir(), parts.trust), new CmsSealer(AlgorithmPolicy.defaults()),
                parts.hub, ContentEncryption.AES_256_GCM, parts.audit, harness.feed, parts.clock, 1024 * 1024);
        ObjectNode w = RealParts.JSON.createObjectNode().put("submissionId", sid).put("partnerId", "lancs-police")
                .put("reason", "WRONG_SUBJECT").put("withdrawnAt", T0.toString());
        withdrawals.withdraw("lancs-police", sid, org.safeguarding.hub.spool.SealedBody.of(
                parts.seal(w.toString().getBytes(StandardCharsets.UTF_8), "lancs-police")));
        harness.awaitRecorded();
        Map<String, List<JsonNode>> recalls = harness.openedInboxes(recipients);
        assertThat(recalls.get("police-fib")).singleElement()
                .satisfies(r -> assertThat(r.path("kind").asText()).isEqualTo("recall"));

        assertThat(escalation.runOnce(T0.plus(Duration.ofMinutes(59))).escalated()).isZero();
        PackageEscalation.Run run = escalation.runOnce(T0.plus(Duration.ofMinutes(61)));
        harness.awaitRecorded();
        assertThat(run.escalated()).as("police-fib's recall, to Blackpool's MASH").isEqualTo(1);
        assertThat(run.exhausted()).as("Blackpool's MASH's own recall has no one further").isEqualTo(1);
        assertThat(harness.openedInboxes(recipients).get("mash-bpl")).singleElement().satisfies(n -> {
            assertThat(n.path("kind").asText()).isEqualTo("escalation");
            assertThat(n.path("escalatedPackageKind").asText()).isEqualTo("recall");
            assertThat(n.path("unacknowledgedBy").asText()).isEqualTo("police-fib");
        });
        assertThat(parts.registry.nonDeliveryPage("lancs-police", null, 10)).as("a recall is the hub's, not the"
                + " partner's package").isEmpty();
    }

    @Test
    void aRoutineSubmissionHasNoDeadlineAndNeverEscalates() throws Exception {
        String sid = route(RealParts.scenario(C03), "bpl-education");
        Map<String, List<JsonNode>> inboxes = harness.openedInboxes(recipients);
        inboxes.values().forEach(list -> list.forEach(p -> assertThat(p.has("acknowledgeBy")).isFalse()));
        assertThat(escalation.runOnce(T0.plus(Duration.ofDays(30))).escalated()).isZero();
        assertThat(parts.events(AuditEventType.PACKAGE_ESCALATED)).isEmpty();
        assertThat(parts.registry.find("bpl-education", sid)).isPresent();
    }
}
