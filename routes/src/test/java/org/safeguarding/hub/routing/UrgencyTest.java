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
                        new CmsSealer(AlgorithmPolicy.defaults()), parts.hub, ContentEncryption.AES_256_GCM),
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
