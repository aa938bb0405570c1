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
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.SubmissionRecord;
import org.safeguarding.hub.registry.SubmissionStatus;
import org.safeguarding.hub.spool.SealedBody;
import org.safeguarding.hub.testing.RealParts;
import org.safeguarding.hub.withdrawal.SubmissionWithdrawal;

/**
 * Withdrawals on real parts (broker, Bouncy Castle, H2): a routed submission withdrawn by its partner leaves every
 * pending package's inbox, every recipient that held one gets a recall it can open (ids and a reason, no content), the
 * registry, trail and link store follow; a repeat gets the first receipt; another partner's submission, one still
 * being routed and thousands of malformed or mis-signed withdrawals are refused, audited, with nothing sent.
 */
class WithdrawalTest {
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final String C06 = "C06-police-trafficking-placed-child.json";
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;
    LinkStore store;
    SubmissionWithdrawal withdrawals;
    BrokerInbox inbox;
    List<String> recipients;
    int routed;
    RoutingHarness.Queued lastQueued;

    @BeforeEach
    void start() throws Exception {
        parts = new RealParts(dir.resolve("db"), Clock.fixed(T0, ZoneOffset.UTC));
        store = new LinkStore(parts.registryDataSource());
        SubmissionLinks links = new SubmissionLinks(LinkingKey.loadOrCreate(dir.resolve("linking")),
                new AlertEvaluator(store, new InFlightLinks(Clock.systemUTC())), RealParts.JSON);
        harness = new RoutingHarness(dir, parts, feed -> parts.router(parts.pki.dir(), links, feed), 1);
        recipients = parts.partnership.partnership().participants().stream().filter(p -> p.hasRole(Role.RECIPIENT))
                .map(Participant::id).toList();
        inbox = new BrokerInbox(harness.broker.connectionFactory(), Duration.ofMillis(500));
        withdrawals = new SubmissionWithdrawal(parts.submissions, parts.partnership, parts.registry, inbox,
                new CertificateDirectory(parts.pki.dir(), parts.trust), new CmsSealer(AlgorithmPolicy.defaults()),
                parts.hub, ContentEncryption.AES_256_GCM, parts.audit, harness.feed, parts.clock, 1024 * 1024);
        harness.camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        parts.close();
    }

    String route(String file, String partner) throws Exception {
        ObjectNode n = RealParts.scenario(file);
        n.put("submissionId", UUID.randomUUID().toString());
        n.put("submittedAt", T0.toString());
        byte[] json = n.toString().getBytes(StandardCharsets.UTF_8);
        lastQueued = harness.enqueueReserved(json, partner, T0);
        routed++;
        harness.awaitSettled(routed);
        return RealParts.submissionIdOf(json);
    }

    static ObjectNode withdrawal(String submissionId, String partner) {
        ObjectNode w = RealParts.JSON.createObjectNode();
        w.put("submissionId", submissionId);
        w.put("partnerId", partner);
        w.put("reason", "WRONG_SUBJECT");
        w.put("withdrawnAt", T0.toString());
        return w;
    }

    SubmissionWithdrawal.Answer withdraw(String channel, String submissionId, ObjectNode body, String signer) {
        byte[] sealed = parts.seal(body.toString().getBytes(StandardCharsets.UTF_8), signer);
        return withdrawals.withdraw(channel, submissionId, SealedBody.of(sealed));
    }

    /** Every recipient's inbox, drained and opened as that recipient opens it. */
    Map<String, List<JsonNode>> inboxes() throws Exception {
        return harness.openedInboxes(recipients);
    }

    SubmissionRecord record(String partner, String submissionId) {
        return parts.registry.find(partner, submissionId).orElseThrow();
    }

    @Test
    void aWithdrawnSubmissionLeavesEveryInboxAndEachHolderGetsARecallWithoutContent() throws Exception {
        String sid = route(C06, "lancs-police");
        SubmissionRecord routedRecord = record("lancs-police", sid);
        assertThat(routedRecord.status()).isEqualTo(SubmissionStatus.ROUTED);
        Map<String, String> originals = new LinkedHashMap<>();
        routedRecord.deliveries().forEach(d -> originals.put(d.recipient(), d.packageId()));
        assertThat(originals).as("C06 goes to three recipients").hasSize(3);
        assertThat(store.tokensOf("lancs-police", sid)).as("C06 is linked").isNotEmpty();
        // one recipient already took its package: it held it, so it is recalled too
        String taker = originals.keySet().iterator().next();
        assertThat(inbox.acknowledge(taker, originals.get(taker))).isPresent();
        parts.registry.setDeliveryState(originals.get(taker), DeliveryState.ACKNOWLEDGED);

        SubmissionWithdrawal.Answer answer = withdraw("lancs-police", sid, withdrawal(sid, "lancs-police"),
                "lancs-police");
        assertThat(answer.httpStatus()).isEqualTo(202);
        assertThat(answer.recalls()).isEqualTo(3);
        harness.awaitRecorded();

        Map<String, List<JsonNode>> inboxes = inboxes();
        List<String> leaves = new ArrayList<>();
        collectText(RealParts.scenario(C06), leaves);
        for (String r : recipients) {
            List<JsonNode> got = inboxes.get(r);
            if (!originals.containsKey(r)) {
                assertThat(got).as(r + " never held C06 and gets nothing").isEmpty();
                continue;
            }
            assertThat(got).as(r + ": the pending original left its inbox; only the recall is there").hasSize(1);
            JsonNode recall = got.get(0);
            assertThat(recall.path("kind").asText()).isEqualTo("recall");
            assertThat(recall.path("recipient").asText()).isEqualTo(r);
            assertThat(recall.path("submissionId").asText()).isEqualTo(sid);
            assertThat(recall.path("reason").asText()).isEqualTo("WRONG_SUBJECT");
            assertThat(recall.path("recalls")).extracting(JsonNode::asText).containsExactly(originals.get(r));
            String text = recall.toString();
            assertThat(text).as(r + "'s recall names no source").doesNotContain("lancs-police");
            for (String leaf : leaves) {
                assertThat(text).as(r + "'s recall holds no content of the submission").doesNotContain(leaf);
            }
        }
        SubmissionRecord after = record("lancs-police", sid);
        assertThat(after.status()).isEqualTo(SubmissionStatus.WITHDRAWN);
        assertThat(after.deliveries()).extracting(SubmissionRecord.Delivery::state)
                .containsOnly(DeliveryState.RECALLED);
        assertThat(parts.registry.find(SubmissionWithdrawal.RECALL_PARTNER, sid).isPresent())
                .as("recalls are the hub's packages, not a partner's submission").isFalse();
        assertThat(store.tokensOf("lancs-police", sid)).as("its links are retracted").isEmpty();
        assertThat(parts.events(AuditEventType.SUBMISSION_WITHDRAWN)).singleElement().satisfies(e -> {
            assertThat(e.reasonCode()).isEqualTo("WRONG_SUBJECT");
            assertThat(e.detail()).contains("receipt=" + answer.receiptId()).contains("recalls=3")
                    .contains("pending-removed=2");
        });
        assertThat(parts.events(AuditEventType.RECALL_SENT)).extracting(AuditEvent::participant)
                .containsExactlyInAnyOrderElementsOf(originals.keySet());

        // the same withdrawal again: the first receipt, nothing sent twice
        SubmissionWithdrawal.Answer again = withdraw("lancs-police", sid, withdrawal(sid, "lancs-police"),
                "lancs-police");
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.receiptId()).isEqualTo(answer.receiptId());
        harness.awaitRecorded();
        assertThat(inboxes().values()).allSatisfy(list -> assertThat(list).isEmpty());
        assertThat(parts.events(AuditEventType.SUBMISSION_WITHDRAWN)).hasSize(1);
        assertThat(parts.events(AuditEventType.RECALL_SENT)).hasSize(3);

        // a replayed copy of the original on the intake queue (after a crash, say) is absorbed: nothing goes out again
        RoutingHarness.Queued original = lastQueued;
        harness.enqueue(original, null);
        routed++;
        harness.awaitSettled(routed);
        assertThat(inboxes().values()).as("a withdrawn submission is never routed again")
                .allSatisfy(list -> assertThat(list).isEmpty());
        assertThat(record("lancs-police", sid).status()).isEqualTo(SubmissionStatus.WITHDRAWN);
        assertThat(parts.events(AuditEventType.SUBMISSION_QUARANTINED)).as("absorbed, not failed on duplicates")
                .isEmpty();
    }

    @Test
    void anotherPartnersSubmissionIsNotFoundAuditedAndNothingMoves() throws Exception {
        String sid = route(C06, "lancs-police");
        assertThatThrownBy(() -> withdraw("nhs-lsc", sid, withdrawal(sid, "nhs-lsc"), "nhs-lsc"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(parts.events(AuditEventType.WITHDRAWAL_REJECTED)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("nhs-lsc");
            assertThat(e.participant()).isEqualTo("lancs-police");
            assertThat(e.detail()).isEqualTo("not-own-submission");
        });
        assertThat(record("lancs-police", sid).status()).isEqualTo(SubmissionStatus.ROUTED);
        assertThat(inboxes().values().stream().mapToInt(List::size).sum()).as("the three packages stay").isEqualTo(3);
        assertThat(parts.events(AuditEventType.RECALL_SENT)).isEmpty();
    }

    @Test
    void aSubmissionStillBeingRoutedAsksThePartnerToSendTheWithdrawalAgain() throws Exception {
        String sid = UUID.randomUUID().toString();
        parts.registry.reserve(new org.safeguarding.hub.registry.Receipt("lancs-police", sid,
                UUID.randomUUID().toString(), T0, "digest"));
        parts.registry.setStatus("lancs-police", sid, SubmissionStatus.ACCEPTED);
        assertThatThrownBy(() -> withdraw("lancs-police", sid, withdrawal(sid, "lancs-police"), "lancs-police"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(parts.events(AuditEventType.WITHDRAWAL_REJECTED)).singleElement()
                .satisfies(e -> assertThat(e.reasonCode()).isEqualTo("UNAVAILABLE"));
        assertThat(record("lancs-police", sid).status()).isEqualTo(SubmissionStatus.ACCEPTED);
    }

    /**
     * Thousands of bad withdrawals of one routed submission (fields missing, unknown, mistyped or out of their window;
     * another signer; another URL), each refused with its code, audited, and the submission still routed with its
     * packages in place.
     */
    @Test
    void everyMalformedOrMisSignedWithdrawalIsRefusedWithItsCodeAndNothingMoves() throws Exception {
        String sid = route(C06, "lancs-police");
        Random random = new Random(16);
        List<Consumer<ObjectNode>> breaks = List.of(
                w -> w.remove("submissionId"), w -> w.remove("partnerId"), w -> w.remove("reason"),
                w -> w.remove("withdrawnAt"), w -> w.put("reason", "BECAUSE"), w -> w.put("reason", 7),
                w -> w.put("withdrawnAt", "yesterday"), w -> w.put("withdrawnAt", T0.minus(Duration.ofDays(8)).toString()),
                w -> w.put("withdrawnAt", T0.plus(Duration.ofMinutes(6)).toString()), w -> w.put("narrative", "x"),
                w -> w.put("submissionId", "not-a-uuid"), w -> w.put("submissionId", UUID.randomUUID().toString()),
                w -> w.put("partnerId", "nhs-lsc"), w -> w.putNull("partnerId"), w -> w.putArray("reason"));
        Map<ErrorCode, Integer> codes = new LinkedHashMap<>();
        int cases = 2000;
        for (int i = 0; i < cases; i++) {
            ObjectNode w = withdrawal(sid, "lancs-police");
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) {
                breaks.get(random.nextInt(breaks.size())).accept(w);
            }
            boolean otherSigner = random.nextInt(10) == 0;
            ErrorCode code;
            try {
                withdraw("lancs-police", sid, w, otherSigner ? "nhs-lsc" : "lancs-police");
                throw new AssertionError("a broken withdrawal was taken: " + w);
            } catch (HubException e) {
                code = e.code();
                if (otherSigner) {
                    assertThat(code).isEqualTo(ErrorCode.IDENTITY_MISMATCH);
                } else {
                    assertThat(code).as(w.toString()).isIn(ErrorCode.INVALID_SUBMISSION, ErrorCode.STALE_OR_FUTURE,
                            ErrorCode.IDENTITY_MISMATCH);
                    assertThat(e.getMessage()).as("the problem says what to do, never a value")
                            .doesNotContain("yesterday").doesNotContain("BECAUSE");
                }
            }
            codes.merge(code, 1, Integer::sum);
        }
        assertThat(codes).containsKeys(ErrorCode.INVALID_SUBMISSION, ErrorCode.STALE_OR_FUTURE,
                ErrorCode.IDENTITY_MISMATCH);
        assertThat(count(AuditEventType.WITHDRAWAL_REJECTED)).as("each refusal audited").isEqualTo(cases);
        assertThat(parts.events(AuditEventType.SUBMISSION_WITHDRAWN)).isEmpty();
        assertThat(record("lancs-police", sid).status()).isEqualTo(SubmissionStatus.ROUTED);
        assertThat(inboxes().values().stream().mapToInt(List::size).sum()).as("the three packages stay").isEqualTo(3);
    }

    /** How many events of {@code type} the trail holds, page by page. */
    long count(AuditEventType type) {
        long n = 0;
        Long after = null;
        while (true) {
            List<AuditEvent> page = parts.auditTrail.find(new org.safeguarding.hub.audit.AuditQuery(null, null, type,
                    null, null, after, 1000));
            n += page.size();
            if (page.size() < 1000) {
                return n;
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

    /** Every text value of the submission of four characters or more, except its id and time. */
    static void collectText(JsonNode n, List<String> out) {
        n.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isTextual() && v.asText().length() >= 4 && !e.getKey().equals("submissionId")
                    && !e.getKey().equals("submittedAt") && !e.getKey().equals("partnerId")) {
                out.add(v.asText());
            } else if (v.isContainerNode()) {
                collect(v, out);
            }
        });
    }

    private static void collect(JsonNode v, List<String> out) {
        if (v.isObject()) {
            collectText(v, out);
        } else if (v.isArray()) {
            v.forEach(x -> {
                if (x.isTextual() && x.asText().length() >= 4) {
                    out.add(x.asText());
                } else {
                    collect(x, out);
                }
            });
        }
    }
}
