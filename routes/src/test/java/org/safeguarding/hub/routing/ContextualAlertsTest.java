package org.safeguarding.hub.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Role;
import org.safeguarding.hub.registry.DeliveryRecord;
import org.safeguarding.hub.testing.RealParts;

/**
 * Contextual alerts on real parts (broker, Bouncy Castle, H2), under the reference partnership's alert rules, with
 * cases of their own: the same vehicle written three ways by three sectors, a different vehicle, one sector only, past
 * the window, two children sharing a home postcode, a child linked across partners by NHS number, and linked
 * submissions routed at once. Every alert package is opened as its recipient opens it and checked against what that
 * recipient was itself shared.
 */
class ContextualAlertsTest {
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    @TempDir
    Path dir;
    RealParts parts;
    RoutingHarness harness;
    LinkStore store;
    List<String> recipients;

    @BeforeEach
    void start() throws Exception {
        start(1);
    }

    void start(int consumers) throws Exception {
        parts = new RealParts(dir.resolve("db"), Clock.fixed(T0, ZoneOffset.UTC));
        store = new LinkStore(parts.registryDataSource());
        LinkingKey key = LinkingKey.loadOrCreate(dir.resolve("linking"));
        SubmissionLinks links = new SubmissionLinks(key,
                new AlertEvaluator(store, new InFlightLinks(java.time.Clock.systemUTC())), RealParts.JSON);
        harness = new RoutingHarness(dir, parts, feed -> parts.router(parts.pki.dir(), links, feed), consumers);
        recipients = parts.partnership.partnership().participants().stream().filter(p -> p.hasRole(Role.RECIPIENT))
                .map(Participant::id).toList();
        harness.camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        parts.close();
    }

    /** A scenario submission as {@code partner} sends it, at {@code at}, changed by {@code change}. */
    byte[] submission(String file, Instant at, Consumer<ObjectNode> change) {
        ObjectNode n = RealParts.scenario(file);
        n.put("submissionId", UUID.randomUUID().toString());
        n.put("submittedAt", at.toString());
        change.accept(n);
        return RealParts.JSON.valueToTree(n).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static Consumer<ObjectNode> vehicle(String vrm) {
        return n -> {
            var contexts = n.withArray("contexts");
            boolean replaced = false;
            for (JsonNode c : contexts) {
                if ("VEHICLE".equals(c.path("type").asText())) {
                    ((ObjectNode) c).put("vrm", vrm);
                    replaced = true;
                }
            }
            if (!replaced) {
                contexts.addObject().put("type", "VEHICLE").put("description", "A car seen nearby").put("vrm", vrm);
            }
        };
    }

    int routed;

    String route(byte[] json, String partner, Instant at) throws Exception {
        harness.enqueueReserved(json, partner, at);
        routed++;
        harness.awaitSettled(routed);
        return RealParts.submissionIdOf(json);
    }

    /** Every recipient's inbox, drained and opened: packages and alerts by recipient. */
    Map<String, List<JsonNode>> inboxes() throws Exception {
        return harness.openedInboxes(recipients);
    }

    static List<JsonNode> alerts(List<JsonNode> inbox) {
        return inbox.stream().filter(p -> "alert".equals(p.path("kind").asText())).toList();
    }

    static List<JsonNode> packages(List<JsonNode> inbox) {
        return inbox.stream().filter(p -> !"alert".equals(p.path("kind").asText())).toList();
    }

    /**
     * Every alert package names only packages its recipient was itself sent, and no submission it was not shared;
     * returns the alert ids seen.
     */
    static Set<String> checkEveryAlertShowsOnlyItsRecipientsOwn(Map<String, List<JsonNode>> inboxes,
                                                               Set<String> everySubmission) {
        Set<String> ids = new HashSet<>();
        inboxes.forEach((recipient, inbox) -> {
            Set<String> ownPackages = new HashSet<>();
            Set<String> ownSubmissions = new HashSet<>();
            for (JsonNode p : packages(inbox)) {
                ownPackages.add(p.path("packageId").asText());
                ownSubmissions.add(p.path("submissionId").asText());
            }
            for (JsonNode a : alerts(inbox)) {
                ids.add(a.path("alertId").asText());
                assertThat(a.path("recipient").asText()).isEqualTo(recipient);
                assertThat(a.path("yourPackages")).as(recipient + " is told of its own packages").isNotEmpty();
                for (JsonNode own : a.path("yourPackages")) {
                    assertThat(ownPackages).as(recipient + "'s alert names only its own packages")
                            .contains(own.path("packageId").asText());
                }
                String text = a.toString();
                for (String s : everySubmission) {
                    if (!ownSubmissions.contains(s)) {
                        assertThat(text).as(recipient + "'s alert mentions a submission it was not shared")
                                .doesNotContain(s);
                    }
                }
            }
        });
        return ids;
    }

    @Test
    void threeSectorsReportingOneVehicleWrittenThreeWaysRaiseOneAlertAndEachRecipientSeesOnlyItsOwn()
            throws Exception {
        String police = route(submission("C01-police-cce-blackpool.json", T0, vehicle("BK11 QQQ")), "lancs-police", T0);
        Instant day3 = T0.plus(Duration.ofDays(3));
        String health = route(submission("C02-health-cse-blackburn.json", day3, vehicle("bk11qqq")), "nhs-lsc", day3);
        Instant day9 = T0.plus(Duration.ofDays(9));
        String school = route(submission("C03-education-missing-blackpool.json", day9, vehicle("BK11-QQQ")),
                "bpl-education", day9);

        Map<String, List<JsonNode>> inboxes = inboxes();
        Set<String> alertIds = checkEveryAlertShowsOnlyItsRecipientsOwn(inboxes, Set.of(police, health, school));
        assertThat(alertIds).as("one alert for the rule and the vehicle, updated as links join").hasSize(1);
        List<AuditEvent> raised = parts.events(AuditEventType.ALERT_RAISED);
        assertThat(raised).extracting(AuditEvent::detail).allSatisfy(d -> assertThat(d)
                .contains("alert=" + alertIds.iterator().next()).contains("rule=CONTEXT-2-SECTORS"));
        assertThat(raised).extracting(AuditEvent::decision).containsExactly("RAISED", "UPDATED");
        // only the configured recipients are told, and only those shared some linked submission
        for (String r : recipients) {
            List<JsonNode> got = alerts(inboxes.get(r));
            if (!List.of("police-fib", "mash-bwd", "mash-bpl", "mash-lancs").contains(r)) {
                assertThat(got).as(r + " is not notified by the rule").isEmpty();
            }
        }
        List<JsonNode> fib = alerts(inboxes.get("police-fib"));
        assertThat(fib).as("police-fib holds all three and is told at each revision").hasSize(2);
        assertThat(fib.get(1).path("countsBySector").path("POLICE").asInt()).isEqualTo(1);
        assertThat(fib.get(1).path("countsBySector").path("HEALTH").asInt()).isEqualTo(1);
        assertThat(fib.get(1).path("countsBySector").path("EDUCATION").asInt()).isEqualTo(1);
        assertThat(fib.get(0).path("value").asText()).as("as police-fib's package of the triggering submission shows it")
                .isEqualTo("bk11qqq");
        assertThat(fib.get(1).path("value").asText()).isEqualTo("BK11-QQQ");
        for (String r : List.of("mash-bwd", "mash-bpl", "mash-lancs")) {
            Map<String, String> sectorOf = new HashMap<>();
            packages(inboxes.get(r)).forEach(p -> sectorOf.put(p.path("packageId").asText(),
                    p.path("source").path("sector").asText()));
            for (JsonNode a : alerts(inboxes.get(r))) {
                assertThat(a.has("countsBySector")).as(r + " is not allowed counts by sector").isFalse();
                Set<String> sectors = new HashSet<>();
                a.path("yourPackages").forEach(own -> sectors.add(sectorOf.get(own.path("packageId").asText())));
                assertThat(sectors).as(r + " is alerted only when its own packages come from 2 sectors: it learns"
                        + " nothing of what others hold").hasSizeGreaterThanOrEqualTo(2);
            }
            if (sectorOf.values().stream().distinct().count() < 2) {
                assertThat(alerts(inboxes.get(r))).as(r + " holds one sector's report only").isEmpty();
            }
        }
        assertThat(parts.registry.pendingPage("police-fib", null, 100)).filteredOn(d -> d.kind().equals(
                DeliveryRecord.ALERT)).hasSize(2);
        assertThat(store.alert(alertIds.iterator().next()).orElseThrow().members()).hasSize(3);

        // the IG lead, given the alert id a recipient quotes, sees which submissions and partners it links
        var lookup = new org.safeguarding.hub.api.AlertLookup(store, parts.audit, RealParts.JSON);
        JsonNode seen = RealParts.JSON.readTree(lookup.alert("ig-lead", alertIds.iterator().next()).body());
        assertThat(seen.path("ruleId").asText()).isEqualTo("CONTEXT-2-SECTORS");
        assertThat(seen.path("revision").asInt()).isEqualTo(2);
        List<String> linked = new ArrayList<>();
        seen.path("submissions").forEach(n -> linked.add(n.path("partnerId").asText() + "/" + n.path("submissionId")
                .asText()));
        assertThat(linked).containsExactly("lancs-police/" + police, "nhs-lsc/" + health, "bpl-education/" + school);
        assertThat(seen.toString()).as("never a token or a value").doesNotContainIgnoringCase("bk11");
        for (String t : store.tokensOf("lancs-police", police).stream().map(org.safeguarding.hub.registry.RegistryChange.Token::token).toList()) {
            assertThat(seen.toString()).doesNotContain(t);
        }
        assertThat(parts.events(AuditEventType.AUDIT_QUERIED)).extracting(AuditEvent::detail)
                .contains("alert=" + alertIds.iterator().next());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lookup.alert("ig-lead", UUID.randomUUID().toString()))
                .isInstanceOfSatisfying(org.safeguarding.hub.error.HubException.class, e -> assertThat(e.code())
                        .isEqualTo(org.safeguarding.hub.error.ErrorCode.NOT_FOUND));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lookup.alert("ig-lead", "../../etc"))
                .isInstanceOfSatisfying(org.safeguarding.hub.error.HubException.class, e -> assertThat(e.code())
                        .isEqualTo(org.safeguarding.hub.error.ErrorCode.BAD_REQUEST));
    }

    @Test
    void anUnacknowledgedAlertExpiresLikeAPackage() throws Exception {
        route(submission("C01-police-cce-blackpool.json", T0, vehicle("BK11 QQQ")), "lancs-police", T0);
        route(submission("C02-health-cse-blackburn.json", T0, vehicle("bk11qqq")), "nhs-lsc", T0);
        List<DeliveryRecord> alerts = parts.registry.pendingPage("police-fib", null, 100).stream()
                .filter(d -> d.kind().equals(DeliveryRecord.ALERT)).toList();
        assertThat(alerts).hasSize(1);
        String alertPackage = alerts.get(0).packageId();

        var expiry = new org.safeguarding.hub.expiry.PackageExpiry(parts.registry,
                new org.safeguarding.hub.broker.BrokerInbox(harness.broker.connectionFactory()), parts.audit,
                harness.feed, Duration.ofDays(5), Clock.fixed(T0.plus(Duration.ofDays(6)), ZoneOffset.UTC));
        var run = expiry.runOnce();

        assertThat(run.failed()).isZero();
        assertThat(parts.registry.pendingPage("police-fib", null, 100)).extracting(DeliveryRecord::packageId)
                .doesNotContain(alertPackage);
        assertThat(parts.events(AuditEventType.PACKAGE_EXPIRED)).extracting(AuditEvent::packageId)
                .contains(alertPackage);
        assertThat(alerts(inboxes().get("police-fib"))).as("the alert left the recipient's queue").isEmpty();
    }

    @Test
    void aDifferentVehicleTheSameSectorAgainOrOnePastTheWindowRaiseNone() throws Exception {
        route(submission("C01-police-cce-blackpool.json", T0, vehicle("BK11 QQQ")), "lancs-police", T0);
        route(submission("C02-health-cse-blackburn.json", T0, vehicle("BK11 QQR")), "nhs-lsc", T0);
        route(submission("C01-police-cce-blackpool.json", T0, vehicle("BK11 QQQ")), "lancs-police", T0);
        Instant late = T0.plus(Duration.ofDays(29));
        route(submission("C02-health-cse-blackburn.json", late, vehicle("BK11 QQQ")), "nhs-lsc", late);

        assertThat(inboxes().values().stream().mapToLong(i -> alerts(i).size()).sum()).isZero();
        assertThat(parts.events(AuditEventType.ALERT_RAISED)).isEmpty();
        assertThat(store.linkCount()).as("the links are kept all the same").isPositive();
    }

    @Test
    void twoChildrenSharingAHomePostcodeDoNotLink() throws Exception {
        Consumer<ObjectNode> noContexts = n -> n.remove("contexts");
        String first = route(submission("C02-health-cse-blackburn.json", T0, noContexts), "nhs-lsc", T0);
        String second = route(submission("C01-police-cce-blackpool.json", T0, noContexts.andThen(n -> {
            ObjectNode id = (ObjectNode) n.path("subjects").path(0).path("identity");
            id.put("name", "Another Child");
            id.put("nhsNumber", "9990000042");
            id.put("dateOfBirth", "2011-01-01");
            id.put("postcode", "BB1 5QQ"); // the first child's home postcode
        })), "lancs-police", T0);

        assertThat(inboxes().values().stream().mapToLong(i -> alerts(i).size()).sum()).isZero();
        Set<String> a = new HashSet<>();
        store.tokensOf("nhs-lsc", first).forEach(t -> a.add(t.token()));
        Set<String> b = new HashSet<>();
        store.tokensOf("lancs-police", second).forEach(t -> b.add(t.token()));
        assertThat(a).as("both children's identifiers linked").isNotEmpty();
        assertThat(b).isNotEmpty();
        assertThat(a).as("their shared home postcode gives no token").doesNotContainAnyElementsOf(b);
    }

    @Test
    void aChildSeenByThreePartnersByNhsNumberRaisesTheChildAlert() throws Exception {
        Consumer<ObjectNode> sameChild = n -> {
            n.remove("contexts");
            ObjectNode id = (ObjectNode) n.path("subjects").path(0).path("identity");
            id.put("nhsNumber", "9990000018");
            id.put("name", "JAMIE  EXAMPLE");
        };
        String a = route(submission("C01-police-cce-blackpool.json", T0, n -> n.remove("contexts")), "lancs-police", T0);
        String b = route(submission("C02-health-cse-blackburn.json", T0, sameChild), "nhs-lsc", T0);
        String c = route(submission("C08-csc-missing-unknown-age.json", T0, n -> {
            ObjectNode id = ((ObjectNode) n.path("subjects").path(0)).putObject("identity");
            id.put("name", "Jamie Example");
            id.put("nhsNumber", "9990000018");
        }), "bpl-csc", T0);

        Map<String, List<JsonNode>> inboxes = inboxes();
        checkEveryAlertShowsOnlyItsRecipientsOwn(inboxes, Set.of(a, b, c));
        List<AuditEvent> raised = parts.events(AuditEventType.ALERT_RAISED);
        assertThat(raised).extracting(AuditEvent::detail).anySatisfy(d -> assertThat(d).contains("rule=CHILD-3-PARTNERS"));
        assertThat(raised).extracting(AuditEvent::detail)
                .as("the MISSING episode of a child also reported for CCE and CSE")
                .anySatisfy(d -> assertThat(d).contains("rule=MISSING-AND-EXPLOITED"));
        assertThat(raised).allSatisfy(e -> assertThat(e.toString()).doesNotContain("9990000018"));
    }

    @Test
    void linkedSubmissionsRoutedAtOnceRaiseExactlyOneAlertEach() throws Exception {
        harness.close();
        parts.close();
        dir = dir.resolve("concurrent");
        routed = 0;
        start(4);
        int vehicles = 12;
        List<byte[]> police = new ArrayList<>();
        List<byte[]> health = new ArrayList<>();
        for (int i = 0; i < vehicles; i++) {
            String vrm = "XY" + (10 + i) + " ABC";
            police.add(submission("C01-police-cce-blackpool.json", T0, vehicle(vrm).andThen(
                    n -> n.withArray("contexts").removeIf(c -> !"VEHICLE".equals(c.path("type").asText())))
                    .andThen(n -> ((ObjectNode) n.path("subjects").path(0).path("identity")).remove("nhsNumber"))));
            health.add(submission("C02-health-cse-blackburn.json", T0, vehicle(vrm.toLowerCase())
                    .andThen(n -> ((ObjectNode) n.path("subjects").path(0).path("identity")).remove("nhsNumber"))));
        }
        for (int i = 0; i < vehicles; i++) {
            harness.enqueueReserved(police.get(i), "lancs-police", T0);
            harness.enqueueReserved(health.get(i), "nhs-lsc", T0);
        }
        harness.awaitSettled(2L * vehicles);
        Await.until("every vehicle's alert recorded", Duration.ofSeconds(30),
                () -> parts.events(AuditEventType.ALERT_RAISED).size() >= vehicles);

        List<AuditEvent> raised = parts.events(AuditEventType.ALERT_RAISED);
        assertThat(raised).as("one alert per vehicle, none twice, none missed").hasSize(vehicles);
        assertThat(raised).extracting(AuditEvent::decision).containsOnly("RAISED");
    }
}
