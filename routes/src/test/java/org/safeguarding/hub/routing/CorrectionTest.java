package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.alerts.AlertEvaluator;
import org.safeguarding.hub.alerts.InFlightLinks;
import org.safeguarding.hub.alerts.SubmissionLinks;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.correction.SubmissionCorrection;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.notices.HubNotices;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.testing.RealParts;
import org.safeguarding.hub.withdrawal.SubmissionWithdrawal;

/**
 * Corrections on real parts (broker, Bouncy Castle, H2): the corrected submission is decided afresh; a recipient that
 * leaves its scope gets a recall, one that enters it gets the package, a holder whose visible groups changed gets an
 * update naming them and one whose visible groups did not gets nothing (whatever changed in what was withheld from
 * it); pending originals leave the inbox; revisions only rise and a repeat gets the first receipt; another partner's
 * submission, a withdrawn one and thousands of broken corrections are refused, audited, with nothing sent.
 */
class CorrectionTest {
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final String C06 = "C06-police-trafficking-placed-child.json";
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;
    LinkStore store;
    SubmissionCorrection corrections;
    SubmissionWithdrawal withdrawals;
    BrokerInbox inbox;
    List<String> recipients;
    int routed;

    @BeforeEach
    void start() throws Exception {
        parts = new RealParts(dir.resolve("db"), Clock.fixed(T0, ZoneOffset.UTC));
        store = new LinkStore(parts.registryDataSource());
        SubmissionLinks links = new SubmissionLinks(LinkingKey.loadOrCreate(dir.resolve("linking")),
                new AlertEvaluator(store, new InFlightLinks(Clock.systemUTC())), RealParts.JSON);
        SubmissionRouter[] router = new SubmissionRouter[1];
        harness = new RoutingHarness(dir, parts, feed -> router[0] = parts.router(parts.pki.dir(), links, feed), 1);
        recipients = parts.partnership.partnership().participants().stream().filter(p -> p.hasRole(Role.RECIPIENT))
                .map(Participant::id).toList();
        inbox = new BrokerInbox(harness.broker.connectionFactory(), Duration.ofMillis(500));
        CertificateDirectory certificates = new CertificateDirectory(parts.pki.dir(), parts.trust);
        CmsSealer sealer = new CmsSealer(AlgorithmPolicy.defaults());
        corrections = new SubmissionCorrection(parts.submissions, parts.partnership, parts.registry, inbox, router[0],
                new HubNotices(certificates, new org.safeguarding.hub.sealing.RecipientSealer(sealer,
                        ContentEncryption.AES_256_GCM, parts.hub, id -> parts.partnership.partnership().participant(id))),
                parts.views, links,
                parts.audit, harness.feed, parts.clock, 1024 * 1024);
        withdrawals = new SubmissionWithdrawal(parts.submissions, parts.partnership, parts.registry, inbox,
                certificates, sealer, parts.hub, ContentEncryption.AES_256_GCM, parts.audit, harness.feed, parts.clock,
                1024 * 1024);
        harness.camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        parts.close();
    }

    ObjectNode original;

    String route(String file, String partner) throws Exception {
        original = RealParts.scenario(file);
        original.put("submissionId", UUID.randomUUID().toString());
        original.put("submittedAt", T0.toString());
        byte[] json = original.toString().getBytes(StandardCharsets.UTF_8);
        harness.enqueueReserved(json, partner, T0);
        routed++;
        harness.awaitSettled(routed);
        return RealParts.submissionIdOf(json);
    }

    /** The original content with {@code change} made, as a correction of {@code revision}. */
    ObjectNode correction(int revision, Consumer<ObjectNode> change) {
        ObjectNode c = original.deepCopy();
        change.accept(c);
        c.put("revision", revision);
        c.put("correctionReason", "FACTUAL_ERROR");
        return c;
    }

    SubmissionCorrection.Answer correct(String channel, String submissionId, ObjectNode body, String signer) {
        byte[] sealed = parts.seal(body.toString().getBytes(StandardCharsets.UTF_8), signer);
        return corrections.correct(channel, submissionId, SealedBody.of(sealed));
    }

    Map<String, List<JsonNode>> inboxes() throws Exception {
        return harness.openedInboxes(recipients);
    }

    SubmissionRecord record(String submissionId) {
        return parts.registry.find("lancs-police", submissionId).orElseThrow();
    }

    Map<String, String> originals(String sid) {
        Map<String, String> ids = new LinkedHashMap<>();
        record(sid).deliveries().forEach(d -> ids.put(d.recipient(), d.packageId()));
        return ids;
    }

    static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }

    /**
     * C06 (LANCS, a child placed by Manchester) corrected to Blackpool and a placement by Salford: Lancashire's MASH
     * and Manchester no longer qualify (recalls), Blackpool's MASH does now (its first package), and the police, whose
     * view changed in its core and care groups, gets an update in place of its pending original.
     */
    @Test
    void aCorrectionMovesTheSubmissionOutOfOneRecipientsScopeAndIntoAnothers() throws Exception {
        String sid = route(C06, "lancs-police");
        Map<String, String> before = originals(sid);
        assertThat(before.keySet()).containsExactlyInAnyOrder("police-fib", "mash-lancs", "placing-manchester");

        ObjectNode moved = correction(1, c -> {
            c.put("area", "BPL");
            ((ObjectNode) c.path("subjects").get(0).path("lookedAfter")).put("placingAuthority", "Salford");
        });
        SubmissionCorrection.Answer answer = correct("lancs-police", sid, moved, "lancs-police");
        assertThat(answer.httpStatus()).isEqualTo(202);
        assertThat(answer.counts()).isEqualTo(new SubmissionCorrection.Counts(1, 2, 1, 0));
        harness.awaitRecorded();

        Map<String, List<JsonNode>> inboxes = inboxes();
        assertThat(inboxes.get("police-fib")).as("the pending original left; the update is there").singleElement()
                .satisfies(u -> {
                    assertThat(u.path("kind").asText()).isEqualTo("update");
                    assertThat(u.path("revision").asInt()).isEqualTo(1);
                    assertThat(u.path("correctionReason").asText()).isEqualTo("FACTUAL_ERROR");
                    assertThat(texts(u.path("changedGroups"))).containsExactly("CORE", "CARE");
                    assertThat(texts(u.path("supersedes"))).containsExactly(before.get("police-fib"));
                    assertThat(u.path("submission").path("area").asText()).isEqualTo("BPL");
                    assertThat(u.path("agreement").path("id").asText()).isEqualTo("CS-CORE");
                });
        assertThat(inboxes.get("mash-bpl")).as("Blackpool's MASH qualifies now").singleElement().satisfies(p -> {
            assertThat(p.path("kind").asText()).isEqualTo("package");
            assertThat(p.path("revision").asInt()).isEqualTo(1);
            assertThat(p.path("submission").path("area").asText()).isEqualTo("BPL");
        });
        List<String> leaves = new ArrayList<>();
        WithdrawalTest.collectText(original, leaves);
        WithdrawalTest.collectText(moved, leaves);
        for (String r : List.of("mash-lancs", "placing-manchester")) {
            assertThat(inboxes.get(r)).as(r + " no longer qualifies: only a recall").singleElement().satisfies(rc -> {
                assertThat(rc.path("kind").asText()).isEqualTo("recall");
                assertThat(texts(rc.path("recalls"))).containsExactly(before.get(r));
                assertThat(rc.path("reason").asText()).isEqualTo("NO_LONGER_SHARED");
                for (String leaf : leaves) {
                    assertThat(rc.toString()).as(r + "'s recall holds no content").doesNotContain(leaf);
                }
            });
        }
        for (String r : recipients) {
            if (!List.of("police-fib", "mash-bpl", "mash-lancs", "placing-manchester").contains(r)) {
                assertThat(inboxes.get(r)).as(r).isEmpty();
            }
        }
        SubmissionRecord after = record(sid);
        assertThat(after.status()).isEqualTo(SubmissionStatus.ROUTED);
        Map<String, DeliveryState> states = new LinkedHashMap<>();
        after.deliveries().forEach(d -> states.put(d.packageId(), d.state()));
        assertThat(states).containsEntry(before.get("police-fib"), DeliveryState.UPDATED)
                .containsEntry(before.get("mash-lancs"), DeliveryState.RECALLED)
                .containsEntry(before.get("placing-manchester"), DeliveryState.RECALLED).hasSize(5);
        assertThat(after.deliveries()).filteredOn(d -> d.state() == DeliveryState.DELIVERED)
                .extracting(SubmissionRecord.Delivery::recipient).containsExactlyInAnyOrder("police-fib", "mash-bpl");
        assertThat(parts.registry.revision("lancs-police", sid).revision()).isEqualTo(1);
        assertThat(parts.events(AuditEventType.SUBMISSION_CORRECTED)).singleElement().satisfies(e -> {
            assertThat(e.reasonCode()).isEqualTo("FACTUAL_ERROR");
            assertThat(e.detail()).contains("receipt=" + answer.receiptId()).contains("revision=1")
                    .contains("updates=1;recalls=2;new=1;unchanged=0;pending-removed=3");
        });
        assertThat(parts.events(AuditEventType.UPDATE_SENT)).singleElement().satisfies(e -> {
            assertThat(e.participant()).isEqualTo("police-fib");
            assertThat(e.detail()).isEqualTo("changed=CORE+CARE;supersedes=" + before.get("police-fib"));
        });
        assertThat(parts.events(AuditEventType.RECALL_SENT)).extracting(AuditEvent::participant)
                .containsExactlyInAnyOrder("mash-lancs", "placing-manchester");
        assertThat(store.tokensOf("lancs-police", sid)).as("the corrected content's links replace the old").isNotEmpty();

        // the same correction again: the first receipt, nothing sent twice
        SubmissionCorrection.Answer again = correct("lancs-police", sid, moved, "lancs-police");
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.receiptId()).isEqualTo(answer.receiptId());
        ObjectNode resent = moved.deepCopy().put("submittedAt", T0.minusSeconds(30).toString());
        assertThat(correct("lancs-police", sid, resent, "lancs-police").httpStatus())
                .as("sent again later, the same correction").isEqualTo(200);
        // the same revision with other content, and an older one, are refused
        ObjectNode other = moved.deepCopy().put("narrative", "Another text.");
        assertThatThrownBy(() -> correct("lancs-police", sid, other, "lancs-police"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REVISION_CONFLICT));
        harness.awaitRecorded();
        assertThat(inboxes().values()).allSatisfy(list -> assertThat(list).isEmpty());
        assertThat(parts.events(AuditEventType.SUBMISSION_CORRECTED)).hasSize(1);
        assertThat(parts.events(AuditEventType.CORRECTION_REJECTED)).singleElement()
                .satisfies(e -> assertThat(e.reasonCode()).isEqualTo("REVISION_CONFLICT"));

        // a later correction moves it back: Lancashire's MASH gets the package again; the recall of Blackpool's MASH
        // names its package of revision 1
        String bplPackage = record(sid).deliveries().stream().filter(d -> d.recipient().equals("mash-bpl"))
                .findFirst().orElseThrow().packageId();
        SubmissionCorrection.Answer back = correct("lancs-police", sid, correction(2, c -> { }), "lancs-police");
        assertThat(back.counts()).isEqualTo(new SubmissionCorrection.Counts(1, 1, 2, 0));
        harness.awaitRecorded();
        inboxes = inboxes();
        assertThat(inboxes.get("mash-lancs")).singleElement()
                .satisfies(p -> assertThat(p.path("kind").asText()).isEqualTo("package"));
        assertThat(inboxes.get("placing-manchester")).singleElement()
                .satisfies(p -> assertThat(p.path("kind").asText()).isEqualTo("package"));
        assertThat(inboxes.get("mash-bpl")).singleElement().satisfies(rc ->
                assertThat(texts(rc.path("recalls"))).containsExactly(bplPackage));
        assertThat(inboxes.get("police-fib")).singleElement().satisfies(u -> {
            assertThat(u.path("kind").asText()).isEqualTo("update");
            assertThat(texts(u.path("changedGroups"))).containsExactly("CORE", "CARE");
        });
    }

    /**
     * Corrections that change only what one recipient never saw: source details (withheld from local authorities but
     * shown to the police), then health (withheld from the police): each time, only those shown the changed group get
     * an update; the others get nothing and keep their pending original.
     */
    @Test
    void aCorrectionOfGroupsARecipientNeverSawSendsItNothing() throws Exception {
        String sid = route(C06, "lancs-police");
        Map<String, String> before = originals(sid);
        // Lancashire's MASH already took its package: it holds it, and still gets nothing it need not
        assertThat(inbox.acknowledge("mash-lancs", before.get("mash-lancs"))).isPresent();
        parts.registry.setDeliveryState(before.get("mash-lancs"), DeliveryState.ACKNOWLEDGED);

        SubmissionCorrection.Answer source = correct("lancs-police", sid, correction(1, c ->
                c.putObject("source").put("sourceDetails", "Informant seen at the nail bar twice")), "lancs-police");
        assertThat(source.counts()).isEqualTo(new SubmissionCorrection.Counts(1, 0, 0, 2));
        harness.awaitRecorded();
        Map<String, List<JsonNode>> inboxes = inboxes();
        assertThat(inboxes.get("police-fib")).singleElement().satisfies(u -> {
            assertThat(u.path("kind").asText()).isEqualTo("update");
            assertThat(texts(u.path("changedGroups"))).containsExactly("SOURCE");
            assertThat(u.path("submission").path("source").path("sourceDetails").asText()).startsWith("Informant");
        });
        assertThat(inboxes.get("mash-lancs")).as("acknowledged before, nothing new").isEmpty();
        assertThat(inboxes.get("placing-manchester")).as("its pending original stays, and nothing else")
                .singleElement().satisfies(p -> {
                    assertThat(p.path("packageId").asText()).isEqualTo(before.get("placing-manchester"));
                    assertThat(p.has("kind")).isFalse();
                });
        assertThat(parts.events(AuditEventType.UPDATE_SENT)).extracting(AuditEvent::participant)
                .containsExactly("police-fib");

        SubmissionCorrection.Answer health = correct("lancs-police", sid, correction(2, c -> {
            c.putObject("source").put("sourceDetails", "Informant seen at the nail bar twice");
            ((ObjectNode) c.path("subjects").get(0)).putObject("health").put("summary", "Seen by the GP in November");
        }), "lancs-police");
        assertThat(health.counts()).isEqualTo(new SubmissionCorrection.Counts(2, 0, 0, 1));
        harness.awaitRecorded();
        inboxes = inboxes();
        assertThat(inboxes.get("police-fib")).as("health is withheld from the police").isEmpty();
        for (String r : List.of("mash-lancs", "placing-manchester")) {
            assertThat(inboxes.get(r)).as(r).singleElement().satisfies(u -> {
                assertThat(u.path("kind").asText()).isEqualTo("update");
                assertThat(texts(u.path("changedGroups"))).containsExactly("HEALTH");
                assertThat(texts(u.path("supersedes"))).containsExactly(before.get(r));
            });
        }
        assertThat(parts.events(AuditEventType.UPDATE_SENT)).hasSize(3);
        assertThatThrownBy(() -> correct("lancs-police", sid, correction(1, c -> { }), "lancs-police"))
                .as("an older revision cannot overtake a newer")
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REVISION_CONFLICT));
    }

    /**
     * A correction's links are evaluated as a routed submission's are: health's Blackburn submission corrected to name
     * the Blackpool postcode of a police submission links two sectors, and the police, shown both, gets the alert.
     */
    @Test
    void aCorrectionThatLinksToAnotherSectorsSubmissionRaisesTheAlert() throws Exception {
        route("C01-police-cce-blackpool.json", "lancs-police");
        String sid = route("C02-health-cse-blackburn.json", "nhs-lsc");
        harness.openedInboxes(recipients);
        assertThat(parts.events(AuditEventType.ALERT_RAISED)).isEmpty();

        ObjectNode linked = correction(1, c -> c.withArray("contexts").addObject().put("type", "LOCATION")
                .put("description", "Flat above the takeaway").put("postcode", "FY1 4AB"));
        SubmissionCorrection.Answer answer = correct("nhs-lsc", sid, linked, "nhs-lsc");
        assertThat(answer.httpStatus()).isEqualTo(202);
        harness.awaitRecorded();

        assertThat(parts.events(AuditEventType.ALERT_RAISED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("CONTEXT-2-SECTORS"));
        Map<String, List<JsonNode>> inboxes = inboxes();
        assertThat(inboxes.get("police-fib")).filteredOn(p -> p.path("kind").asText().equals("alert"))
                .as("the police holds both linked submissions").hasSize(1);
        assertThat(store.tokensOf("nhs-lsc", sid)).as("the corrected content's tokens").isNotEmpty();
    }

    @Test
    void onlyTheSubmittingPartnerCorrectsAndAWithdrawnSubmissionStaysWithdrawn() throws Exception {
        String sid = route(C06, "lancs-police");
        ObjectNode asNhs = correction(1, c -> c.put("partnerId", "nhs-lsc"));
        assertThatThrownBy(() -> correct("nhs-lsc", sid, asNhs, "nhs-lsc"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(parts.events(AuditEventType.CORRECTION_REJECTED)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("nhs-lsc");
            assertThat(e.participant()).isEqualTo("lancs-police");
            assertThat(e.detail()).isEqualTo("not-own-submission");
        });
        assertThat(inboxes().values().stream().mapToInt(List::size).sum()).as("the three packages stay").isEqualTo(3);

        ObjectNode w = RealParts.JSON.createObjectNode().put("submissionId", sid).put("partnerId", "lancs-police")
                .put("reason", "SENT_IN_ERROR").put("withdrawnAt", T0.toString());
        withdrawals.withdraw("lancs-police", sid, SealedBody.of(parts.seal(w.toString().getBytes(StandardCharsets.UTF_8),
                "lancs-police")));
        harness.awaitRecorded();
        inboxes();
        assertThatThrownBy(() -> correct("lancs-police", sid, correction(1, c -> { }), "lancs-police"))
                .isInstanceOfSatisfying(HubException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CORRECTABLE));
        assertThat(inboxes().values()).allSatisfy(list -> assertThat(list).isEmpty());
        assertThat(record(sid).status()).isEqualTo(SubmissionStatus.WITHDRAWN);
    }

    /**
     * Thousands of broken corrections of one routed submission (revision or reason missing or malformed, a submission
     * field broken, another id, another partner's id, another signer), each refused with its code and audited, with
     * nothing sent and the submission at its first revision.
     */
    @Test
    void everyBrokenCorrectionIsRefusedWithItsCodeAndNothingMoves() throws Exception {
        String sid = route(C06, "lancs-police");
        Random random = new Random(1616);
        List<Consumer<ObjectNode>> breaks = List.of(
                c -> c.remove("revision"), c -> c.put("revision", 0), c -> c.put("revision", -3),
                c -> c.put("revision", "2"), c -> c.put("revision", 1.5), c -> c.put("revision", 10_000_000_000L),
                c -> c.remove("correctionReason"), c -> c.put("correctionReason", "BECAUSE"),
                c -> c.putArray("correctionReason"), c -> c.remove("area"), c -> c.put("area", "NOWHERE"),
                c -> c.putArray("categories"), c -> c.put("purpose", 4), c -> c.put("unknownField", "x"),
                c -> c.put("submittedAt", T0.minus(Duration.ofDays(8)).toString()),
                c -> c.put("submittedAt", "yesterday"), c -> c.put("submissionId", UUID.randomUUID().toString()),
                c -> c.put("partnerId", "nhs-lsc"), c -> c.remove("subjects"), c -> c.put("handling", "C"));
        Map<ErrorCode, Integer> codes = new LinkedHashMap<>();
        int cases = 2000;
        for (int i = 0; i < cases; i++) {
            ObjectNode c = correction(1, x -> { });
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                breaks.get(random.nextInt(breaks.size())).accept(c);
            }
            boolean otherSigner = random.nextInt(10) == 0;
            try {
                correct("lancs-police", sid, c, otherSigner ? "nhs-lsc" : "lancs-police");
                throw new AssertionError("a broken correction was taken: " + c);
            } catch (HubException e) {
                if (otherSigner) {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_MISMATCH);
                } else {
                    assertThat(e.code()).as(c.toString()).isIn(ErrorCode.INVALID_SUBMISSION,
                            ErrorCode.STALE_OR_FUTURE, ErrorCode.IDENTITY_MISMATCH, ErrorCode.AREA_NOT_PERMITTED);
                    assertThat(e.getMessage()).as("the problem never repeats a value").doesNotContain("yesterday")
                            .doesNotContain("BECAUSE").doesNotContain("NOWHERE");
                }
                codes.merge(e.code(), 1, Integer::sum);
            }
        }
        assertThat(codes).containsKeys(ErrorCode.INVALID_SUBMISSION, ErrorCode.STALE_OR_FUTURE,
                ErrorCode.IDENTITY_MISMATCH);
        assertThat(parts.events(AuditEventType.SUBMISSION_CORRECTED)).isEmpty();
        assertThat(parts.registry.revision("lancs-police", sid).revision()).isZero();
        assertThat(record(sid).deliveries()).extracting(SubmissionRecord.Delivery::state)
                .containsOnly(DeliveryState.DELIVERED);
        assertThat(inboxes().values().stream().mapToInt(List::size).sum()).as("the three packages stay").isEqualTo(3);
        harness.awaitRecorded();
        long rejected = 0;
        Long after = null;
        while (true) {
            List<AuditEvent> page = parts.auditTrail.find(new org.safeguarding.hub.audit.AuditQuery(null, null,
                    AuditEventType.CORRECTION_REJECTED, null, null, after, 1000));
            rejected += page.size();
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).sequence();
        }
        assertThat(rejected).as("each refusal audited").isEqualTo(cases);
    }
}
