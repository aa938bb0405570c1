package org.safeguarding.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.linkstore.LinkStore;
import org.safeguarding.hub.links.LinkNormaliser;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.partnership.LinkKind;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.sharing.Decision;
import org.safeguarding.hub.sharing.ReasonCode;
import org.safeguarding.hub.sharing.RecipientDecision;
import org.safeguarding.hub.testing.MutableClock;
import org.safeguarding.hub.testing.RealParts;

/**
 * The subject trace's requests and answers on a real link store and audit trail (H2), filled as routing fills them
 * (the link store change and the routing records of a receipt): thousands of hostile bodies each refused without
 * repeating a value, the rate limit per caller over a test clock, the CSV's columns and rows, the notice of what
 * retention removed, and the answer's faithfulness where submission ids or packages could be confused.
 */
class SubjectTraceRequestsTest {
    static final Duration RETENTION = Duration.ofDays(365);
    static final String NHS = "9990000018";
    static final String UPN = "Q890200126001";
    static final String NAME = "Jamie Example";
    static final String DOB = "2011-03-02";

    @TempDir
    Path dir;
    MutableClock clock;
    RealParts parts;
    LinkStore store;
    LinkingKey key;
    SubjectTrace trace;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        parts = new RealParts(dir.resolve("db"), clock);
        store = new LinkStore(parts.registryDataSource());
        key = LinkingKey.loadOrCreate(dir.resolve("linking"));
        trace = new SubjectTrace(store, key, parts.audit, RealParts.JSON, clock, RETENTION);
    }

    @AfterEach
    void stop() {
        parts.close();
    }

    static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode valid() {
        ObjectNode b = RealParts.JSON.createObjectNode();
        b.putObject("child").put("nhsNumber", NHS);
        b.put("caseReference", "SAR-2026-01");
        b.put("reason", "SUBJECT_ACCESS_REQUEST");
        return b;
    }

    static byte[] bytes(JsonNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---- what routing records, written as it writes it ----

    record Seeded(String partnerId, String submissionId, String receiptId, Map<String, String> packageIds) {
    }

    static String digest(String s) {
        return org.safeguarding.hub.intake.Digests.sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A submission by {@code partner} about the child, received at {@code at}: its links (NHS number and name with
     * date of birth) and its routing records, police-fib shared (withheld {@code withheld}, redactions
     * {@code redacted}) and mash-bwd not.
     */
    Seeded seed(String partner, String submissionId, Instant at, String nhs, List<String> withheld,
                List<String> redacted) throws Exception {
        String receiptId = UUID.randomUUID().toString();
        List<RegistryChange.Token> tokens = new ArrayList<>();
        tokens.add(new RegistryChange.Token("NHS_NUMBER", key.currentKeyId(),
                key.token(LinkKind.NHS_NUMBER, LinkNormaliser.nhsNumber(nhs).orElseThrow())));
        tokens.add(new RegistryChange.Token("NAME_DOB", key.currentKeyId(),
                key.token(LinkKind.NAME_DOB, LinkNormaliser.nameDob(NAME, DOB).orElseThrow())));
        try (Connection c = parts.registryDataSource().getConnection()) {
            LinkStore.apply(c, new RegistryChange.Linked(partner, submissionId, receiptId, "POLICE", "BPL",
                    List.of("CCE"), "A", at, List.of("police-fib"), tokens));
        }
        String fib = UUID.randomUUID().toString();
        List<RecipientDecision> decisions = List.of(
                new RecipientDecision("police-fib", Decision.SHARED, "CS-CORE", 3, null, Set.copyOf(withheld)),
                new RecipientDecision("mash-bwd", Decision.NOT_SHARED, null, null, ReasonCode.OUT_OF_AREA, Set.of()));
        List<AuditRecorder.DeliveredPackage> delivered = List.of(new AuditRecorder.DeliveredPackage("police-fib", fib,
                "CS-CORE", 3, redacted, digest(fib), "hub.inbox.police-fib"));
        parts.audit.append(parts.audit.routedRecords(partner, submissionId, receiptId, digest(receiptId),
                new AuditRecorder.SubmissionFacts(List.of("CCE"), "BPL"), decisions, delivered));
        return new Seeded(partner, submissionId, receiptId, Map.of("police-fib", fib));
    }

    JsonNode traceJson(String caller, ObjectNode body) throws Exception {
        return RealParts.JSON.readTree(trace.trace(caller, bytes(body), null).body());
    }

    // ---- validation at scale ----

    /** Field names, reason names and the requests' own words: never a "submitted value" that leaked. */
    static final String VOCABULARY = String.join(" ", List.of("child", "caseReference", "reason", "nhsNumber", "upn",
            "name", "dateOfBirth", "SUBJECT_ACCESS_REQUEST", "IG_REVIEW", "SAFEGUARDING_PRACTICE_REVIEW",
            "LEGAL_PROCEEDINGS", "SAR-2026-01"));

    static final String HOSTILE = "\u0000\u0001\u0007\b\t\n\r\u001b\u007f\u0085\u00a0\u2028\u2029\u200b\u200e\u202e"
            + "\ufeff\ud83d\ude00\"\\/'<>&%$;,{}[]=:";

    static String randomString(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0 -> b.append(HOSTILE.charAt(r.nextInt(HOSTILE.length())));
                case 1 -> b.append((char) ('0' + r.nextInt(10)));
                case 2 -> b.append((char) ('a' + r.nextInt(26)));
                default -> b.append((char) (0x20 + r.nextInt(0x2fff)));
            }
        }
        return b.toString();
    }

    /** A string of at least 8 characters, distinctive enough that finding it in a message means it leaked. */
    static String marker(Random r) {
        return "Zq" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + randomString(r, 12);
    }

    static JsonNode wrongType(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> RealParts.JSON.getNodeFactory().numberNode(r.nextLong());
            case 1 -> RealParts.JSON.getNodeFactory().booleanNode(r.nextBoolean());
            case 2 -> RealParts.JSON.createArrayNode().add(marker(r));
            case 3 -> RealParts.JSON.createObjectNode().put("value", marker(r));
            case 4 -> RealParts.JSON.getNodeFactory().textNode("");
            case 5 -> RealParts.JSON.getNodeFactory().textNode(" \t\n ");
            default -> RealParts.JSON.getNodeFactory().numberNode(r.nextDouble() * 1e300);
        };
    }

    /** Ten digits whose check digit is wrong (or which have none). */
    static String badNhs(Random r) {
        while (true) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                b.append((char) ('0' + r.nextInt(10)));
            }
            if (LinkNormaliser.nhsNumber(b.toString()).isEmpty()) {
                return b.toString();
            }
        }
    }

    static String badUpn(Random r) {
        while (true) {
            String u = (char) ('A' + r.nextInt(26)) + badNhs(r) + r.nextInt(10) + r.nextInt(10);
            if (LinkNormaliser.upn(u).isEmpty()) {
                return u;
            }
        }
    }

    /** One of the many ways a body can be wrong; each makes the whole body invalid. */
    static byte[] hostile(Random r) {
        ObjectNode b = valid();
        ObjectNode child = (ObjectNode) b.get("child");
        List<String> childKeys = List.of("nhsNumber", "upn", "name", "dateOfBirth");
        switch (r.nextInt(24)) {
            case 0 -> b.set(List.of("child", "caseReference", "reason").get(r.nextInt(3)), wrongType(r));
            case 1 -> {
                child.removeAll();
                String k = childKeys.get(r.nextInt(4));
                child.set(k, wrongType(r));
                if (!k.equals("nhsNumber") && r.nextBoolean()) {
                    child.put("nhsNumber", NHS); // a good identifier beside it does not save it
                }
            }
            case 2 -> b.put(marker(r), marker(r));
            case 3 -> child.put(marker(r), NHS);
            case 4 -> child.put("nhsNumber", marker(r) + "X".repeat(r.nextInt(12_000)));
            case 5 -> b.put("caseReference", "SAR" + "x".repeat(70 + r.nextInt(15_000)));
            case 6 -> {
                // a control or invisible character inside a value that must be exact
                String field = List.of("nhsNumber", "upn", "dateOfBirth", "caseReference", "reason").get(r.nextInt(5));
                String base = switch (field) {
                    case "nhsNumber" -> NHS;
                    case "upn" -> UPN;
                    case "dateOfBirth" -> DOB;
                    case "caseReference" -> "SAR-2026-01";
                    default -> "SUBJECT_ACCESS_REQUEST";
                };
                int at = 1 + r.nextInt(base.length() - 1);
                String bad = base.substring(0, at) + "\u0000\u0001\u001b\u0085\u200b\u202e\u007f"
                        .charAt(r.nextInt(7)) + base.substring(at);
                if (field.equals("caseReference") || field.equals("reason")) {
                    b.put(field, bad);
                } else {
                    child.removeAll();
                    child.put(field, bad);
                    if (field.equals("dateOfBirth")) {
                        child.put("name", NAME);
                    }
                }
            }
            case 7 -> child.put("nhsNumber", badNhs(r));
            case 8 -> child.put("upn", badUpn(r));
            case 9 -> {
                child.removeAll();
                child.put("name", marker(r) + " " + marker(r));
            }
            case 10 -> {
                child.removeAll();
                child.put("dateOfBirth", DOB);
            }
            case 11 -> {
                child.removeAll();
                child.put("name", NAME);
                child.put("dateOfBirth", List.of("2011-02-30", "11-03-02", "2011/03/02", "02-03-2011", "20110302",
                        "2011-3-2", marker(r)).get(r.nextInt(7)));
            }
            case 12 -> {
                child.removeAll();
                child.put("name", "Zq" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36)); // one word never links
                child.put("dateOfBirth", DOB);
            }
            case 13 -> b.remove("reason");
            case 14 -> b.remove("caseReference");
            case 15 -> b.put("reason", List.of("subject_access_request", "SAR", "ANY", " IG_REVIEW", marker(r))
                    .get(r.nextInt(5)));
            case 16 -> b.put("caseReference", List.of("ab", "-SAR-1", "SAR 2026", "SAR\u00e92026", "SAR;DROP TABLE",
                    "x".repeat(65), "SAR-" + NHS, "sar.999.000.0018").get(r.nextInt(8)) + (r.nextBoolean()
                    ? "" : " " + marker(r)));
            case 17 -> {
                child.removeAll();
                if (r.nextBoolean()) {
                    b.remove("child");
                }
            }
            case 18 -> {
                // not JSON at all
                byte[] junk = new byte[1 + r.nextInt(300)];
                r.nextBytes(junk);
                junk[0] = (byte) "x<-'{\u0000".charAt(r.nextInt(6));
                return junk;
            }
            case 19 -> {
                String s = b.toString();
                return body(s.substring(0, 1 + r.nextInt(s.length() - 1))); // truncated
            }
            case 20 -> {
                // arrays, scalars and nulls where the object belongs
                return body(List.of("[" + b + "]", "[]", "null", "\"" + marker(r).replace("\"", "").replace("\\", "")
                        + "\"", "42", "true").get(r.nextInt(6)));
            }
            case 21 -> {
                // deeply nested
                int depth = 900 + r.nextInt(6000);
                String open = r.nextBoolean() ? "[" : "{\"child\":";
                String close = open.equals("[") ? "]" : "}";
                return body("{\"child\":" + open.repeat(depth) + "1" + close.repeat(depth)
                        + ",\"caseReference\":\"SAR-2026-01\",\"reason\":\"IG_REVIEW\"}");
            }
            case 22 -> {
                // a valid body with something after it
                return body(b + List.of("{}", "x", "[1]", b.toString(), " \"" + marker(r).replace("\"", "")
                        .replace("\\", "") + "\"").get(r.nextInt(5)));
            }
            default -> {
                ArrayNode many = b.putArray(marker(r));
                for (int i = 0; i < r.nextInt(50); i++) {
                    many.add(marker(r));
                }
            }
        }
        if (r.nextInt(5) == 0) {
            b.put("reason", marker(r)); // and another wrong
        }
        return bytes(b);
    }

    /** Every string the body holds (values and keys), or the whole body when it is not JSON. */
    static List<String> submitted(byte[] body) {
        List<String> out = new ArrayList<>();
        try {
            collect(RealParts.JSON.readTree(body), out);
        } catch (Exception notJson) {
            out.add(new String(body, StandardCharsets.UTF_8));
        }
        if (out.isEmpty()) {
            out.add(new String(body, StandardCharsets.UTF_8));
        }
        return out;
    }

    static void collect(JsonNode n, List<String> out) {
        if (n == null) {
            return;
        }
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isNumber()) {
            out.add(n.asText());
        }
        n.fieldNames().forEachRemaining(out::add);
        n.forEach(c -> collect(c, out));
    }

    static String said(HubException e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.detail())).append('\n').append(e.getMessage());
        for (FieldError f : e.errors()) {
            b.append('\n').append(f.path()).append('\n').append(f.message());
        }
        return b.toString();
    }

    @Test
    void thousandsOfHostileBodiesAreEachRefusedAsBadRequestWithoutRepeatingAValue() {
        Random r = new Random(20261127L);
        int n = 5000;
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < n; i++) {
            byte[] body = hostile(r);
            String caller = "ig-lead"; // one caller: refusals are not traces, and never count towards the limit
            try {
                trace.trace(caller, body, r.nextInt(10) == 0 ? "csv" : null);
                fail("accepted hostile body #" + i + ": " + new String(body, StandardCharsets.UTF_8));
            } catch (HubException e) {
                assertThat(e.code()).as("body #" + i + ": " + new String(body, StandardCharsets.UTF_8))
                        .isEqualTo(ErrorCode.BAD_REQUEST);
                String said = said(e);
                kinds.add(e.errors().isEmpty() ? e.detail() : e.errors().get(0).path());
                for (String v : submitted(body)) {
                    for (int at = 0; at + 8 <= v.length(); at++) {
                        String window = v.substring(at, at + 8);
                        if (!VOCABULARY.contains(window) && said.contains(window)) {
                            fail("body #" + i + " refused repeating '" + window + "': " + said);
                        }
                    }
                }
            } catch (Throwable t) {
                throw new AssertionError("body #" + i + " gave " + t + ": "
                        + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8), t);
            }
        }
        assertThat(kinds).as("refusals of many kinds").hasSizeGreaterThan(10);
        assertThat(parts.events(AuditEventType.SUBJECT_TRACED)).as("a refused trace is not a trace").isEmpty();
        // and the caller is not rate limited by its refusals
        assertThat(trace.trace("ig-lead", bytes(valid()), null).status()).isEqualTo(200);
    }

    @Test
    void eachRefusalNamesItsFieldWithTheChildPrefix() {
        ObjectNode b = valid();
        ((ObjectNode) b.get("child")).put("nhsNumber", 9990000018L);
        assertThatThrownBy(() -> trace.trace("ig-lead", bytes(b), null)).isInstanceOfSatisfying(HubException.class,
                e -> assertThat(e.errors()).extracting(FieldError::path).contains("child.nhsNumber"));
        ObjectNode c = valid();
        ((ObjectNode) c.get("child")).put("name", NAME);
        assertThatThrownBy(() -> trace.trace("ig-lead", bytes(c), null)).isInstanceOfSatisfying(HubException.class,
                e -> assertThat(e.errors()).extracting(FieldError::path).containsExactly("child.dateOfBirth"));
        ObjectNode d = valid().put("reason", 3);
        assertThatThrownBy(() -> trace.trace("ig-lead", bytes(d), null)).isInstanceOfSatisfying(HubException.class,
                e -> assertThat(e.errors()).extracting(FieldError::path).contains("reason"));
        assertThatThrownBy(() -> trace.trace("ig-lead", bytes(valid()), "xml")).isInstanceOfSatisfying(
                HubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void aBodyWithAnythingAfterItsObjectIsRefused() {
        for (String tail : List.of("{}", " x", valid().toString(), "[]")) {
            assertThatThrownBy(() -> trace.trace("ig-lead", body(valid() + tail), null))
                    .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.BAD_REQUEST));
        }
        assertThat(trace.trace("ig-lead", body(valid() + " \r\n"), null).status()).isEqualTo(200);
    }

    @Test
    void aCaseReferenceHoldingTheChildsIdentifiersIsRefusedAndNotAudited() {
        List<Function<ObjectNode, ObjectNode>> asks = List.of(
                b -> b.put("caseReference", "SAR-" + NHS),
                b -> b.put("caseReference", "SAR-999-000-0018"),
                b -> {
                    ((ObjectNode) b.get("child")).removeAll().put("upn", UPN);
                    return b.put("caseReference", "SAR/" + UPN.toLowerCase());
                },
                b -> {
                    ((ObjectNode) b.get("child")).removeAll().put("name", NAME).put("dateOfBirth", DOB);
                    return b.put("caseReference", "SAR-2011-03-02");
                },
                b -> {
                    ((ObjectNode) b.get("child")).removeAll().put("name", NAME).put("dateOfBirth", DOB);
                    return b.put("caseReference", "SAR-jamie.example");
                });
        for (Function<ObjectNode, ObjectNode> ask : asks) {
            ObjectNode b = ask.apply(valid());
            assertThatThrownBy(() -> trace.trace("ig-lead", bytes(b), null)).as(b.toString())
                    .isInstanceOfSatisfying(HubException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                        assertThat(e.errors()).extracting(FieldError::path).containsExactly("caseReference");
                    });
        }
        assertThat(parts.events(AuditEventType.SUBJECT_TRACED)).isEmpty();
        assertThat(trace.trace("ig-lead", bytes(valid().put("caseReference", "SAR-2026-99")), null).status())
                .isEqualTo(200);
    }

    // ---- rate limit ----

    @Test
    void theEleventhTraceInAMinuteIsRefusedForThatCallerOnlyAndAllowedAgainAfterTheWindow() {
        for (int i = 0; i < SubjectTrace.MAX_PER_WINDOW; i++) {
            assertThat(trace.trace("ig-lead", bytes(valid()), i % 2 == 0 ? null : "csv").status()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(5)); // ten traces over 45 seconds
        }
        assertThatThrownBy(() -> trace.trace("ig-lead", bytes(valid()), null)).isInstanceOfSatisfying(
                HubException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS));
        assertThat(trace.trace("ig-lead-2", bytes(valid()), null).status()).as("another caller").isEqualTo(200);
        // the first trace was at 0s, the clock stands at 50s: at 60s the first falls out of the window
        clock.advance(Duration.ofSeconds(9));
        assertThatThrownBy(() -> trace.trace("ig-lead", bytes(valid()), null)).isInstanceOf(HubException.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(trace.trace("ig-lead", bytes(valid()), null).status()).isEqualTo(200);
        assertThatThrownBy(() -> trace.trace("ig-lead", bytes(valid()), null)).as("the window slides: one at a time")
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.TOO_MANY_REQUESTS));
        clock.advance(SubjectTrace.WINDOW);
        for (int i = 0; i < SubjectTrace.MAX_PER_WINDOW; i++) {
            assertThat(trace.trace("ig-lead", bytes(valid()), null).status()).isEqualTo(200);
        }
        assertThat(parts.events(AuditEventType.SUBJECT_TRACED)).as("refused traces are not audited as traces")
                .hasSize(2 * SubjectTrace.MAX_PER_WINDOW + 2);
    }

    // ---- CSV ----

    @Test
    void theCsvHasTheNoticeFirstThenTheColumnsThenOneRowPerSubmissionAndRecipient() throws Exception {
        Instant at = clock.instant().minus(Duration.ofDays(2));
        Seeded a = seed("lancs-police", UUID.randomUUID().toString(), at, NHS, List.of("source"), List.of("source"));
        Seeded b = seed("nhs-lsc", UUID.randomUUID().toString(), at.plusSeconds(60), NHS,
                List.of("subjects[0].health", "contexts[0]"), List.of("subjects[0].health", "contexts[0]"));
        ApiResponse r = trace.trace("ig-lead", bytes(valid()), "CSV");
        assertThat(r.contentType()).startsWith("text/csv");
        assertThat(r.headers().get("Content-Disposition")).contains("attachment");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(text).endsWith("\r\n");
        List<String> lines = List.of(text.split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("# " + SubjectTrace.notice(
                new SubjectTrace.Answer(List.of(), at, clock.instant().minus(RETENTION))));
        assertThat(lines.get(1).split(",", -1)).containsExactlyElementsOf(SubjectTrace.CSV_COLUMNS);
        assertThat(lines).hasSize(2 + 2 * 2);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] v = line.split(",", -1); // no value of these rows holds a comma or quote
            assertThat(v).hasSize(SubjectTrace.CSV_COLUMNS.size());
            Map<String, String> row = new java.util.HashMap<>();
            for (int i = 0; i < v.length; i++) {
                row.put(SubjectTrace.CSV_COLUMNS.get(i), v[i]);
            }
            rows.add(row);
        }
        assertThat(rows).extracting(m -> m.get("submissionId") + "|" + m.get("recipient")).containsExactly(
                a.submissionId() + "|police-fib", a.submissionId() + "|mash-bwd",
                b.submissionId() + "|police-fib", b.submissionId() + "|mash-bwd");
        Map<String, String> shared = rows.get(2);
        assertThat(shared).containsEntry("partnerId", "nhs-lsc").containsEntry("decision", "SHARED")
                .containsEntry("agreementId", "CS-CORE").containsEntry("agreementVersion", "3")
                .containsEntry("reasonCode", "").containsEntry("packageId", b.packageIds().get("police-fib"))
                .containsEntry("packageState", "DELIVERED").containsEntry("categories", "CCE")
                .containsEntry("area", "BPL").containsEntry("sector", "POLICE").containsEntry("handlingCode", "A")
                .containsEntry("receivedAt", at.plusSeconds(60).toString())
                .containsEntry("matchedBy", "NHS_NUMBER").containsEntry("alerts", "");
        assertThat(Set.of(shared.get("withheld").split(";"))).containsExactlyInAnyOrder("subjects[0].health",
                "contexts[0]");
        assertThat(rows.get(3)).containsEntry("decision", "NOT_SHARED").containsEntry("reasonCode", "OUT_OF_AREA")
                .containsEntry("packageId", "").containsEntry("packageState", "").containsEntry("withheld", "");
        assertThat(text).doesNotContain(NHS);
    }

    // ---- the notice ----

    @Test
    void theNoticeNamesTheRetentionCutoffWhenNothingIsHeldOrAllIsNewer() throws Exception {
        String cutoff = clock.instant().minus(RETENTION).toString().substring(0, 10);
        assertThat(traceJson("ig-lead", valid()).get("notice").asText()).as("nothing held")
                .startsWith("no records before " + cutoff + ":");
        assertThat(traceJson("ig-lead", valid()).get("recordsHeldFrom").isNull()).isTrue();
        seed("lancs-police", UUID.randomUUID().toString(), clock.instant().minus(Duration.ofDays(30)), NHS,
                List.of(), List.of());
        assertThat(traceJson("ig-lead", valid()).get("notice").asText()).as("all held is newer than the cutoff")
                .startsWith("no records before " + cutoff + ":");
    }

    @Test
    void theNoticeNamesTheOldestHeldReceiptWhenRetentionHasNotYetRemovedIt() throws Exception {
        Instant old = clock.instant().minus(Duration.ofDays(20));
        seed("lancs-police", UUID.randomUUID().toString(), old, NHS, List.of(), List.of());
        clock.advance(RETENTION); // the submission is now 20 days past retention, the purge not yet run
        JsonNode answer = traceJson("ig-lead", valid());
        assertThat(answer.get("notice").asText()).startsWith("no records before " + old.toString().substring(0, 10)
                + ":");
        assertThat(answer.get("recordsHeldFrom").asText()).isEqualTo(old.toString());
        assertThat(answer.get("submissionCount").asInt()).as("still held, so still found").isEqualTo(1);
        store.expire(clock.instant().minus(RETENTION), 100);
        JsonNode after = traceJson("ig-lead", valid());
        assertThat(after.get("submissionCount").asInt()).isZero();
        assertThat(after.get("notice").asText()).startsWith("no records before "
                + clock.instant().minus(RETENTION).toString().substring(0, 10) + ":");
    }

    // ---- faithfulness ----

    @Test
    void aRedactedEventsWithheldPathsAreTheOnesShown() throws Exception {
        seed("lancs-police", UUID.randomUUID().toString(), clock.instant(), NHS, List.of("source"),
                List.of("source", "narrative"));
        JsonNode fib = traceJson("ig-lead", valid()).get("submissions").get(0).get("recipients").get(0);
        assertThat(fib.get("recipient").asText()).isEqualTo("police-fib");
        assertThat(fib.get("withheld")).extracting(JsonNode::asText).containsExactlyInAnyOrder("source", "narrative");
    }

    @Test
    void twoPartnersUsingOneSubmissionIdAreEachTracedWithTheirOwnDecisionsOnly() throws Exception {
        String shared = UUID.randomUUID().toString();
        Seeded police = seed("lancs-police", shared, clock.instant().minus(Duration.ofHours(2)), NHS,
                List.of("source"), List.of("source"));
        // another child, another partner, the same submission id (a partner picks its own ids)
        Seeded health = seed("nhs-lsc", shared, clock.instant().minus(Duration.ofHours(1)), "9990000026",
                List.of("subjects[0].health"), List.of("subjects[0].health"));
        ObjectNode byName = valid();
        ((ObjectNode) byName.get("child")).removeAll().put("name", NAME).put("dateOfBirth", DOB);
        JsonNode answer = traceJson("ig-lead", byName);
        assertThat(answer.get("submissionCount").asInt()).as("both share Jamie's name and date of birth here")
                .isEqualTo(2);
        for (JsonNode s : answer.get("submissions")) {
            Seeded own = s.get("partnerId").asText().equals("lancs-police") ? police : health;
            JsonNode recipients = s.get("recipients");
            assertThat(recipients).as(own.partnerId() + ": two recipients, its own").hasSize(2);
            JsonNode fib = recipients.get(0);
            assertThat(fib.get("packageId").asText()).as(own.partnerId() + "'s own package")
                    .isEqualTo(own.packageIds().get("police-fib"));
            assertThat(fib.get("withheld")).extracting(JsonNode::asText).containsExactly(
                    own == police ? "source" : "subjects[0].health");
        }
        ObjectNode byNhs = valid();
        ((ObjectNode) byNhs.get("child")).put("nhsNumber", "9990000026");
        JsonNode onlyHealth = traceJson("ig-lead", byNhs);
        assertThat(onlyHealth.get("submissions")).hasSize(1);
        assertThat(onlyHealth.get("submissions").get(0).get("recipients").get(0).get("packageId").asText())
                .isEqualTo(health.packageIds().get("police-fib"));
    }

    @Test
    void anAcknowledgementOrExpiryCountsOnlyForThePackageDelivered() throws Exception {
        Seeded s = seed("lancs-police", UUID.randomUUID().toString(), clock.instant(), NHS, List.of(), List.of());
        // an acknowledgement by the same recipient of the same submission id, of some other package
        parts.audit.append(List.of(parts.audit.acknowledgedRecord("police-fib", s.submissionId(),
                UUID.randomUUID().toString(), "https")));
        JsonNode fib = traceJson("ig-lead", valid()).get("submissions").get(0).get("recipients").get(0);
        assertThat(fib.get("packageState").asText()).isEqualTo("DELIVERED");
        assertThat(fib.get("packageId").asText()).isEqualTo(s.packageIds().get("police-fib"));
        clock.advance(Duration.ofMinutes(5));
        parts.audit.append(List.of(parts.audit.acknowledgedRecord("police-fib", s.submissionId(),
                s.packageIds().get("police-fib"), "amqp")));
        JsonNode acked = traceJson("ig-lead", valid()).get("submissions").get(0).get("recipients").get(0);
        assertThat(acked.get("packageState").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(acked.get("packageId").asText()).isEqualTo(s.packageIds().get("police-fib"));
        assertThat(Instant.parse(acked.get("stateAt").asText())).isEqualTo(clock.instant());
    }

    @Test
    void theSubjectTracedEventHoldsTheCaseAndReasonAndNoIdentifier() throws Exception {
        seed("lancs-police", UUID.randomUUID().toString(), clock.instant(), NHS, List.of(), List.of());
        ObjectNode b = valid().put("reason", "IG_REVIEW").put("caseReference", "IGR/2026.07_a");
        ((ObjectNode) b.get("child")).put("upn", UPN).put("name", NAME).put("dateOfBirth", DOB);
        ApiResponse r = trace.trace("ig-lead", bytes(b), null);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        List<AuditEvent> events = parts.events(AuditEventType.SUBJECT_TRACED);
        assertThat(events).hasSize(1);
        AuditEvent e = events.get(0);
        assertThat(e.actor()).isEqualTo("ig-lead");
        assertThat(e.reasonCode()).isEqualTo("IG_REVIEW");
        assertThat(e.detail()).isEqualTo("case=IGR/2026.07_a;submissions=1");
        for (String id : List.of(NHS, UPN, NAME, DOB, NAME.toLowerCase(), "20110302", "jamie example|2011")) {
            assertThat(e.toString()).doesNotContain(id);
            assertThat(text).doesNotContain(id);
        }
        assertThat(new SubjectTrace.Question(Map.of(LinkKind.NHS_NUMBER, NHS), "SAR-1", SubjectTrace.Reason.IG_REVIEW)
                .toString()).doesNotContain(NHS);
    }
}
