package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.alerts.AlertEvaluator;
import org.safeguarding.hub.alerts.InFlightLinks;
import org.safeguarding.hub.alerts.SubmissionLinks;
import org.safeguarding.hub.api.SubjectTrace;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.auditing.AuditOutbox;
import org.safeguarding.hub.auditing.StepRecord;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.EnvelopeOpener;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.testing.PackageSchema;
import org.safeguarding.hub.testing.RealParts;

/**
 * The IG lead's subject trace over what the real router (with links) recorded: every acceptable conformance case
 * routed by its own partner at the conformance clock, then each case's child traced by each of its identifiers. The
 * answer is checked against conformance.json's expectations and against the packages the recipients' inboxes really
 * hold, never against the hub's own audit. Nothing asked (NHS number, UPN, name, date of birth) comes back or goes
 * into the audit trail.
 */
class SubjectTraceTest {
    static final JsonNode CONFORMANCE = read("/scenario/conformance.json");
    static final Instant CLOCK = Instant.parse(CONFORMANCE.get("clock").asText());
    static final List<String> CASES = List.of("C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08");
    static final Duration RETENTION = Duration.ofDays(365);

    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;
    LinkStore store;
    LinkingKey key;
    List<String> recipients;
    /** By case id: the submission JSON as sent. */
    final Map<String, JsonNode> sent = new LinkedHashMap<>();
    int callers;

    @BeforeEach
    void start() throws Exception {
        // the hub's clock now (the test PKI's certificates are valid now); each submission received at the
        // conformance clock, at which its sharing is decided
        parts = new RealParts(dir.resolve("db"), Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS),
                ZoneOffset.UTC));
        store = new LinkStore(parts.registryDataSource());
        key = LinkingKey.loadOrCreate(dir.resolve("linking"));
        SubmissionLinks links = new SubmissionLinks(key, new AlertEvaluator(store, new InFlightLinks(java.time.Clock.systemUTC())), RealParts.JSON);
        harness = new RoutingHarness(dir, parts, feed -> parts.router(parts.pki.dir(), links, feed), 1);
        recipients = parts.partnership.partnership().participants().stream().filter(p -> p.hasRole(Role.RECIPIENT))
                .map(Participant::id).toList();
        harness.camel.start();
    }

    @AfterEach
    void stop() {
        harness.close();
        parts.close();
    }

    static JsonNode read(String resource) {
        try (InputStream in = SubjectTraceTest.class.getResourceAsStream(resource)) {
            return RealParts.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode testCase(String id) {
        for (JsonNode c : CONFORMANCE.get("cases")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException(id);
    }

    /** Routes each case's submission as its own partner sends it, received at the conformance clock. */
    void routeCases(List<String> ids) throws Exception {
        for (String id : ids) {
            String file = testCase(id).get("submission").asText().replace("submissions/", "");
            ObjectNode n = RealParts.scenario(file);
            sent.put(id, n);
            harness.enqueueReserved(RealParts.JSON.writeValueAsBytes(n), n.get("partnerId").asText(), CLOCK);
        }
        harness.awaitSettled(ids.size());
    }

    SubjectTrace trace(LinkingKey keys) {
        return new SubjectTrace(store, keys, parts.audit, RealParts.JSON, parts.clock, RETENTION);
    }

    /** The CHILD_AT_RISK's identity of a case's submission. */
    JsonNode child(String id) {
        for (JsonNode s : sent.get(id).get("subjects")) {
            if ("CHILD_AT_RISK".equals(s.path("role").asText())) {
                return s.path("identity");
            }
        }
        throw new AssertionError(id + " has no child at risk");
    }

    /** One question per identifier the child's identity gives: nhsNumber, upn, name with dateOfBirth. */
    static List<ObjectNode> questions(JsonNode identity) {
        List<ObjectNode> list = new ArrayList<>();
        for (String f : List.of("nhsNumber", "upn")) {
            if (identity.hasNonNull(f)) {
                ObjectNode c = RealParts.JSON.createObjectNode();
                c.put(f, identity.get(f).asText());
                list.add(c);
            }
        }
        if (identity.hasNonNull("name") && identity.hasNonNull("dateOfBirth")) {
            ObjectNode c = RealParts.JSON.createObjectNode();
            c.put("name", identity.get("name").asText());
            c.put("dateOfBirth", identity.get("dateOfBirth").asText());
            list.add(c);
        }
        return list;
    }

    static byte[] body(ObjectNode child) {
        ObjectNode b = RealParts.JSON.createObjectNode();
        b.set("child", child);
        b.put("caseReference", "SAR-2026-01");
        b.put("reason", "SUBJECT_ACCESS_REQUEST");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A caller of its own per trace, so that the rate limit (tested apart) never stands in the way here. */
    String caller() {
        return "ig-lead-" + (++callers);
    }

    /** The packages each recipient's inbox really holds (drained and opened): packageId by recipient and submission. */
    Map<String, Map<String, JsonNode>> inboxes() throws Exception {
        Map<String, Map<String, JsonNode>> all = new HashMap<>();
        for (String r : recipients) {
            Map<String, JsonNode> bySubmission = new HashMap<>();
            for (Message m : harness.drain(QueueNames.inbox(r))) {
                var envelope = new EnvelopeOpener(List.of(parts.pki.identity(r)), AlgorithmPolicy.defaults())
                        .open(RoutingQuarantineTest.body(m));
                JsonNode p = PackageSchema.read(envelope.content());
                if (!"alert".equals(p.path("kind").asText())) {
                    assertThat(bySubmission.put(p.path("submissionId").asText(), p)).as(r + " one package each")
                            .isNull();
                }
            }
            all.put(r, bySubmission);
        }
        return all;
    }

    static Set<String> texts(JsonNode array) {
        Set<String> s = new HashSet<>();
        array.forEach(v -> s.add(v.asText()));
        return s;
    }

    /** The submission of this case in a trace answer, with every recipient as conformance.json expects. */
    void checkAgainstConformance(JsonNode answer, String caseId, Map<String, Map<String, JsonNode>> inboxes,
                                 Map<String, String> expectedStates) {
        JsonNode c = testCase(caseId);
        String submissionId = sent.get(caseId).get("submissionId").asText();
        JsonNode found = null;
        for (JsonNode s : answer.get("submissions")) {
            if (s.get("submissionId").asText().equals(submissionId)) {
                found = s;
            }
        }
        assertThat(found).as(caseId + " is in the trace").isNotNull();
        assertThat(found.get("partnerId").asText()).isEqualTo(sent.get(caseId).get("partnerId").asText());
        assertThat(Instant.parse(found.get("receivedAt").asText())).isEqualTo(CLOCK);
        Map<String, JsonNode> byRecipient = new HashMap<>();
        found.get("recipients").forEach(r -> byRecipient.put(r.get("recipient").asText(), r));
        Set<String> expectedRecipients = new HashSet<>();
        c.get("decisions").fieldNames().forEachRemaining(expectedRecipients::add);
        assertThat(byRecipient.keySet()).as(caseId + ": every recipient's decision").isEqualTo(expectedRecipients);
        c.get("decisions").fields().forEachRemaining(e -> {
            String r = e.getKey();
            JsonNode want = e.getValue();
            JsonNode got = byRecipient.get(r);
            String what = caseId + " " + r;
            assertThat(got.get("decision").asText()).as(what + " decision").isEqualTo(want.get("decision").asText());
            JsonNode pkg = inboxes.get(r).get(submissionId);
            if (want.get("decision").asText().equals("SHARED")) {
                assertThat(got.get("agreementId").asText()).as(what + " agreement")
                        .isEqualTo(want.get("agreement").asText());
                assertThat(got.get("agreementVersion").asInt()).as(what + " version")
                        .isEqualTo(want.get("version").asInt());
                assertThat(got.get("reasonCode").isNull()).as(what + " has no reason").isTrue();
                assertThat(texts(got.get("withheld"))).as(what + " withheld").isEqualTo(texts(want.get("withheld")));
                assertThat(pkg).as(what + " has its package in its inbox").isNotNull();
                assertThat(got.get("packageId").asText()).as(what + " package id")
                        .isEqualTo(pkg.get("packageId").asText());
                assertThat(got.get("packageState").asText()).as(what + " package state")
                        .isEqualTo(expectedStates.getOrDefault(r + "|" + submissionId, "DELIVERED"));
                assertThat(got.get("stateAt").isNull()).isFalse();
            } else {
                assertThat(got.get("reasonCode").asText()).as(what + " reason").isEqualTo(want.get("reason").asText());
                assertThat(got.get("withheld")).as(what + " withholds nothing: nothing sent").isEmpty();
                assertThat(got.get("packageId").isNull()).as(what + " no package").isTrue();
                assertThat(got.get("packageState").isNull()).isTrue();
                assertThat(pkg).as(what + " has no package in its inbox").isNull();
            }
        });
    }

    /** Every identifier of the question, as given and as the hub normalises it. */
    static List<String> identifiers(ObjectNode child) {
        List<String> list = new ArrayList<>();
        child.fields().forEachRemaining(e -> {
            String v = e.getValue().asText();
            list.add(v);
            list.add(v.toLowerCase(java.util.Locale.ROOT));
            list.add(v.toUpperCase(java.util.Locale.ROOT));
            list.add(v.replace(" ", ""));
        });
        return list;
    }

    static void assertHoldsNone(String what, String text, List<String> identifiers) {
        for (String id : identifiers) {
            assertThat(text).as(what + " holds no identifier asked").doesNotContain(id);
        }
    }

    long lastSequence() {
        List<AuditEvent> all = new ArrayList<>();
        Long after = null;
        while (true) {
            List<AuditEvent> page = parts.auditTrail.find(new AuditQuery(null, null, null, null, null, after,
                    AuditQuery.MAX_LIMIT));
            all.addAll(page);
            if (page.size() < AuditQuery.MAX_LIMIT) {
                return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
            }
            after = page.get(page.size() - 1).sequence();
        }
    }

    List<AuditEvent> eventsAfter(long sequence) {
        return parts.auditTrail.find(new AuditQuery(null, null, null, null, null, sequence, AuditQuery.MAX_LIMIT));
    }

    /** Acknowledges or expires a package as the hub does: a step record through the audit queue and the feed. */
    void endPackage(String recipient, String submissionId, String packageId, boolean acknowledged) {
        StepRecord step = new StepRecord()
                .audit(acknowledged ? parts.audit.acknowledgedRecord(recipient, submissionId, packageId, "https")
                        : parts.audit.expiredRecord(recipient, submissionId, packageId, "lancs-police",
                                Duration.ofDays(14)))
                .change(new RegistryChange.PackageState(packageId,
                        acknowledged ? DeliveryState.ACKNOWLEDGED : DeliveryState.EXPIRED));
        new AuditOutbox(harness.broker.connectionFactory(), harness.feed).commit(step, Duration.ofSeconds(10));
    }

    @Test
    void everyConformanceChildIsTracedToEveryRecipientsDecisionAndPackage() throws Exception {
        routeCases(CASES);
        Map<String, Map<String, JsonNode>> inboxes = inboxes();
        // C01's package to police-fib acknowledged, its package to mash-bpl expired, as the hub records them
        String c01 = sent.get("C01").get("submissionId").asText();
        endPackage("police-fib", c01, inboxes.get("police-fib").get(c01).get("packageId").asText(), true);
        endPackage("mash-bpl", c01, inboxes.get("mash-bpl").get(c01).get("packageId").asText(), false);
        Map<String, String> states = Map.of("police-fib|" + c01, "ACKNOWLEDGED", "mash-bpl|" + c01, "EXPIRED");

        SubjectTrace trace = trace(key);
        int traced = 0;
        for (String id : CASES) {
            if (id.equals("C08")) {
                continue; // a child known only as "Bee": no NHS number, UPN or date of birth, nothing to trace by
            }
            List<ObjectNode> questions = questions(child(id));
            assertThat(questions).as(id + " gives something to trace by").isNotEmpty();
            for (ObjectNode q : questions) {
                long before = lastSequence();
                ApiResponse r = trace.trace(caller(), body(q), null);
                traced++;
                assertThat(r.status()).isEqualTo(200);
                JsonNode answer = RealParts.JSON.readTree(r.body());
                checkAgainstConformance(answer, id, inboxes, states);
                String kind = q.has("nhsNumber") ? "NHS_NUMBER" : q.has("upn") ? "UPN" : "NAME_DOB";
                JsonNode mine = null;
                for (JsonNode s : answer.get("submissions")) {
                    if (s.get("submissionId").asText().equals(sent.get(id).get("submissionId").asText())) {
                        mine = s;
                    }
                }
                assertThat(texts(mine.get("matchedBy"))).as(id + " matched by what was asked").contains(kind);
                Set<String> foundIds = new HashSet<>();
                answer.get("submissions").forEach(s -> foundIds.add(s.get("submissionId").asText()));
                assertThat(answer.get("submissionCount").asInt()).isEqualTo(foundIds.size());
                assertThat(foundIds).as("C08's child is never found by another child's identifiers")
                        .doesNotContain(sent.get("C08").get("submissionId").asText());
                if (id.equals("C04") || id.equals("C05")) {
                    assertThat(foundIds).as("Casey Example, 2005-08-08, by name and date of birth")
                            .containsExactlyInAnyOrder(sent.get("C04").get("submissionId").asText(),
                                    sent.get("C05").get("submissionId").asText());
                    checkAgainstConformance(answer, id.equals("C04") ? "C05" : "C04", inboxes, states);
                } else {
                    assertThat(foundIds).as(id + " alone").containsExactly(sent.get(id).get("submissionId").asText());
                }

                // the answer, the CSV and the trail never hold what was asked
                List<String> asked = identifiers(q);
                assertHoldsNone(id + " JSON answer", new String(r.body(), StandardCharsets.UTF_8), asked);
                ApiResponse csv = trace.trace(caller(), body(q), "csv");
                traced++;
                String csvText = new String(csv.body(), StandardCharsets.UTF_8);
                assertHoldsNone(id + " CSV answer", csvText, asked);
                List<String> lines = List.of(csvText.split("\r\n"));
                assertThat(lines.get(0)).startsWith("# no records before ");
                assertThat(lines).as("the notice, the header, and one row per submission and recipient")
                        .hasSize(2 + 10 * foundIds.size());
                List<AuditEvent> written = eventsAfter(before);
                assertThat(written).extracting(AuditEvent::type).as("a trace writes only its own event")
                        .containsOnly(AuditEventType.SUBJECT_TRACED);
                assertThat(written).hasSize(2);
                for (AuditEvent e : written) {
                    assertHoldsNone(id + " audit event", e.toString(), asked);
                    assertThat(e.actor()).startsWith("ig-lead-");
                    assertThat(e.reasonCode()).isEqualTo("SUBJECT_ACCESS_REQUEST");
                    assertThat(e.detail()).contains("case=SAR-2026-01")
                            .contains("submissions=" + foundIds.size());
                }
            }
        }
        assertThat(traced).as("C01 nhs+name, C02 nhs+name, C03 upn+name, C04, C05, C06 nhs+name, C07 upn+name")
                .isEqualTo(2 * 12);
        assertThat(parts.events(AuditEventType.SUBJECT_TRACED)).hasSize(traced);
    }

    @Test
    void askingByEveryIdentifierAtOnceFindsTheSubmissionOnceMatchedByEach() throws Exception {
        routeCases(List.of("C01", "C03"));
        JsonNode id = child("C01");
        ObjectNode q = RealParts.JSON.createObjectNode().put("nhsNumber", "999 000 0018")
                .put("name", "  JAMIE   example ").put("dateOfBirth", id.get("dateOfBirth").asText());
        JsonNode answer = RealParts.JSON.readTree(trace(key).trace(caller(), body(q), "json").body());
        assertThat(answer.get("submissionCount").asInt()).isEqualTo(1);
        assertThat(texts(answer.get("submissions").get(0).get("matchedBy"))).containsExactlyInAnyOrder("NHS_NUMBER",
                "NAME_DOB");
        checkAgainstConformance(answer, "C01", inboxes(), Map.of());
    }

    @Test
    void afterTheLinkingKeyIsRotatedTheOldKeysLinksAreStillFound() throws Exception {
        routeCases(List.of("C01", "C03", "C06"));
        String oldKeyId = key.currentKeyId();
        String c01 = sent.get("C01").get("submissionId").asText();
        assertThat(store.tokensOf("lancs-police", c01)).extracting(RegistryChange.Token::keyId).containsOnly(oldKeyId);

        LinkingKey rotated = key.rotate(dir.resolve("linking"));
        assertThat(rotated.currentKeyId()).isNotEqualTo(oldKeyId);
        assertThat(rotated.keyIds()).contains(oldKeyId);
        // the same directory read afresh, as the hub reads it at its next start
        for (LinkingKey keys : List.of(rotated, LinkingKey.loadOrCreate(dir.resolve("linking")))) {
            for (String caseId : List.of("C01", "C03", "C06")) {
                for (ObjectNode q : questions(child(caseId))) {
                    JsonNode answer = RealParts.JSON.readTree(trace(keys).trace(caller(), body(q), null).body());
                    Set<String> found = new HashSet<>();
                    answer.get("submissions").forEach(s -> found.add(s.get("submissionId").asText()));
                    assertThat(found).as(caseId + " found under the rotated keys by " + q.fieldNames().next())
                            .containsExactly(sent.get(caseId).get("submissionId").asText());
                }
            }
        }
        // a key set holding only the new key finds nothing: the old key is what finds them
        LinkingKey onlyNew = LinkingKey.of(List.of(java.nio.file.Files.readAllBytes(
                dir.resolve("linking").resolve("linking-2.key"))));
        JsonNode none = RealParts.JSON.readTree(trace(onlyNew).trace(caller(), body(questions(child("C01")).get(0)),
                null).body());
        assertThat(none.get("submissionCount").asInt()).isZero();
    }

    @Test
    void theNoticeNamesTheRetentionCutoffWhenEverythingHeldIsNewer() throws Exception {
        routeCases(List.of("C01"));
        JsonNode answer = RealParts.JSON.readTree(trace(key).trace(caller(), body(questions(child("C01")).get(0)),
                null).body());
        String cutoff = parts.now().minus(RETENTION).toString().substring(0, 10);
        assertThat(answer.get("notice").asText()).startsWith("no records before " + cutoff + ":");
        assertThat(answer.get("recordsHeldFrom").asText()).isEqualTo(CLOCK.toString());
        assertThat(answer.get("retentionCutoff").asText()).startsWith(cutoff);
    }
}
