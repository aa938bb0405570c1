package org.safeguarding.hub.auditing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditRecord;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.registry.Receipt;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.registry.SubmissionStatus;

/**
 * A {@link StepRecord} as the bytes of its audit-queue message: JSON of identifiers, codes and digests, as audit
 * records already are (their own checks run again when they are read back).
 */
final class OutboxCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutboxCodec() {
    }

    static byte[] encode(StepRecord step) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", step.id());
        ArrayNode records = root.putArray("records");
        for (AuditRecord r : step.records()) {
            ObjectNode n = records.addObject();
            n.put("key", r.key());
            n.put("type", r.type().name());
            n.put("actor", r.actor());
            n.put("participant", r.participant());
            n.put("submissionId", r.submissionId());
            n.put("packageId", r.packageId());
            n.put("agreementId", r.agreementId());
            if (r.agreementVersion() != null) {
                n.put("agreementVersion", r.agreementVersion());
            }
            n.put("decision", r.decision());
            n.put("reasonCode", r.reasonCode());
            ArrayNode withheld = n.putArray("withheld");
            r.withheldPaths().forEach(withheld::add);
            n.put("receivedDigest", r.receivedDigest());
            n.put("packageDigest", r.packageDigest());
            n.put("detail", r.detail());
        }
        ArrayNode changes = root.putArray("changes");
        for (RegistryChange c : step.changes()) {
            ObjectNode n = changes.addObject();
            if (c instanceof RegistryChange.Accepted a) {
                    n.put("change", "accepted");
                    n.put("partnerId", a.receipt().partnerId());
                    n.put("submissionId", a.receipt().submissionId());
                    n.put("receiptId", a.receipt().receiptId());
                    n.put("receivedAt", a.receipt().receivedAt().toString());
                    n.put("contentDigest", a.receipt().contentDigest());
            } else if (c instanceof RegistryChange.Status s) {
                    n.put("change", "status");
                    n.put("partnerId", s.partnerId());
                    n.put("submissionId", s.submissionId());
                    n.put("status", s.status().name());
            } else if (c instanceof RegistryChange.Delivered d) {
                    n.put("change", "delivered");
                    n.put("partnerId", d.partnerId());
                    n.put("submissionId", d.submissionId());
                    n.put("recipient", d.recipient());
                    n.put("packageId", d.packageId());
                    n.put("routedAt", d.routedAt().toString());
                    ArrayNode categories = n.putArray("categories");
                    d.categories().forEach(categories::add);
                    n.put("size", d.size());
                    n.put("kind", d.kind());
                    if (d.area() != null) {
                        n.put("area", d.area());
                    }
            } else if (c instanceof RegistryChange.Linked l) {
                    n.put("change", "linked");
                    n.put("partnerId", l.partnerId());
                    n.put("submissionId", l.submissionId());
                    n.put("receiptId", l.receiptId());
                    n.put("sector", l.sector());
                    n.put("area", l.area());
                    ArrayNode categories = n.putArray("categories");
                    l.categories().forEach(categories::add);
                    n.put("handlingCode", l.handlingCode());
                    n.put("receivedAt", l.receivedAt().toString());
                    ArrayNode shared = n.putArray("sharedWith");
                    l.sharedWith().forEach(shared::add);
                    ArrayNode tokens = n.putArray("tokens");
                    for (RegistryChange.Token t : l.tokens()) {
                        tokens.addObject().put("kind", t.kind()).put("keyId", t.keyId()).put("token", t.token());
                    }
            } else if (c instanceof RegistryChange.Facts f) {
                    n.put("change", "facts");
                    n.put("partnerId", f.partnerId());
                    n.put("submissionId", f.submissionId());
                    n.put("receivedAt", f.receivedAt().toString());
                    n.put("facts", f.facts());
            } else if (c instanceof RegistryChange.Retokened t) {
                    n.put("change", "retokened");
                    n.put("partnerId", t.partnerId());
                    n.put("submissionId", t.submissionId());
            } else if (c instanceof RegistryChange.Unlinked u) {
                    n.put("change", "unlinked");
                    n.put("partnerId", u.partnerId());
                    n.put("submissionId", u.submissionId());
            } else if (c instanceof RegistryChange.Alert a) {
                    n.put("change", "alert");
                    n.put("alertId", a.alertId());
                    n.put("ruleId", a.ruleId());
                    n.put("revision", a.revision());
                    n.put("kind", a.kind());
                    n.put("raisedAt", a.raisedAt().toString());
                    ArrayNode tokens = n.putArray("tokens");
                    a.tokens().forEach(tokens::add);
                    ArrayNode members = n.putArray("members");
                    for (RegistryChange.Member m : a.members()) {
                        members.addObject().put("partnerId", m.partnerId()).put("submissionId", m.submissionId());
                    }
            } else if (c instanceof RegistryChange.Revised r) {
                    n.put("change", "revised");
                    n.put("partnerId", r.partnerId());
                    n.put("submissionId", r.submissionId());
                    n.put("revision", r.revision());
                    n.put("contentDigest", r.contentDigest());
            } else if (c instanceof RegistryChange.Deadline d) {
                    n.put("change", "deadline");
                    n.put("packageId", d.packageId());
                    n.put("urgency", d.urgency());
                    n.put("deadline", d.deadline() == null ? null : d.deadline().toString());
                    n.put("area", d.area());
            } else if (c instanceof RegistryChange.Escalated e) {
                    n.put("change", "escalated");
                    n.put("packageId", e.packageId());
                    n.put("level", e.level());
                    n.put("nextDeadline", e.nextDeadline() == null ? null : e.nextDeadline().toString());
            } else if (c instanceof RegistryChange.NonDelivery r) {
                    n.put("change", "non-delivery");
                    n.put("reportId", r.reportId());
                    n.put("partnerId", r.partnerId());
                    n.put("submissionId", r.submissionId());
                    n.put("recipient", r.recipient());
                    n.put("packageId", r.packageId());
                    n.put("event", r.event());
                    n.put("occurredAt", r.occurredAt().toString());
            } else if (c instanceof RegistryChange.Shown v) {
                    n.put("change", "shown");
                    n.put("partnerId", v.partnerId());
                    n.put("submissionId", v.submissionId());
                    n.put("recipient", v.recipient());
                    n.put("packageId", v.packageId());
                    n.put("revision", v.revision());
                    ObjectNode groups = n.putObject("groups");
                    new java.util.TreeMap<>(v.groups()).forEach(groups::put);
            } else if (c instanceof RegistryChange.PackageState p) {
                    n.put("change", "package-state");
                    n.put("packageId", p.packageId());
                    n.put("state", p.state().name());
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a step record could not be written", e);
        }
    }

    static StepRecord decode(byte[] bytes) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        StepRecord step = new StepRecord(text(root, "id"));
        for (JsonNode n : root.path("records")) {
            List<String> withheld = new ArrayList<>();
            n.path("withheld").forEach(w -> withheld.add(w.asText()));
            step.audit(new AuditRecord(text(n, "key"), AuditEventType.valueOf(text(n, "type")), text(n, "actor"),
                    text(n, "participant"), text(n, "submissionId"), text(n, "packageId"), text(n, "agreementId"),
                    n.hasNonNull("agreementVersion") ? n.get("agreementVersion").asInt() : null, text(n, "decision"),
                    text(n, "reasonCode"), withheld, text(n, "receivedDigest"), text(n, "packageDigest"),
                    text(n, "detail")));
        }
        for (JsonNode n : root.path("changes")) {
            step.change(switch (text(n, "change")) {
                case "accepted" -> new RegistryChange.Accepted(new Receipt(text(n, "partnerId"), text(n, "submissionId"),
                        text(n, "receiptId"), Instant.parse(text(n, "receivedAt")), text(n, "contentDigest")));
                case "status" -> new RegistryChange.Status(text(n, "partnerId"), text(n, "submissionId"),
                        SubmissionStatus.valueOf(text(n, "status")));
                case "delivered" -> {
                    List<String> categories = new ArrayList<>();
                    n.path("categories").forEach(c -> categories.add(c.asText()));
                    yield new RegistryChange.Delivered(text(n, "partnerId"), text(n, "submissionId"),
                            text(n, "recipient"), text(n, "packageId"), Instant.parse(text(n, "routedAt")), categories,
                            n.path("size").asLong(), text(n, "kind"), text(n, "area"));
                }
                case "linked" -> {
                    List<RegistryChange.Token> tokens = new ArrayList<>();
                    n.path("tokens").forEach(t -> tokens.add(new RegistryChange.Token(text(t, "kind"), text(t, "keyId"),
                            text(t, "token"))));
                    yield new RegistryChange.Linked(text(n, "partnerId"), text(n, "submissionId"), text(n, "receiptId"),
                            text(n, "sector"), text(n, "area"), texts(n, "categories"), text(n, "handlingCode"),
                            Instant.parse(text(n, "receivedAt")), texts(n, "sharedWith"), tokens);
                }
                case "facts" -> new RegistryChange.Facts(text(n, "partnerId"), text(n, "submissionId"),
                        Instant.parse(text(n, "receivedAt")), text(n, "facts"));
                case "retokened" -> new RegistryChange.Retokened(text(n, "partnerId"), text(n, "submissionId"));
                case "unlinked" -> new RegistryChange.Unlinked(text(n, "partnerId"), text(n, "submissionId"));
                case "alert" -> {
                    List<RegistryChange.Member> members = new ArrayList<>();
                    n.path("members").forEach(m -> members.add(new RegistryChange.Member(text(m, "partnerId"),
                            text(m, "submissionId"))));
                    yield new RegistryChange.Alert(text(n, "alertId"), text(n, "ruleId"), n.path("revision").asInt(),
                            text(n, "kind"), Instant.parse(text(n, "raisedAt")), texts(n, "tokens"), members);
                }
                case "revised" -> new RegistryChange.Revised(text(n, "partnerId"), text(n, "submissionId"),
                        n.path("revision").asInt(), text(n, "contentDigest"));
                case "deadline" -> new RegistryChange.Deadline(text(n, "packageId"), text(n, "urgency"),
                        n.path("deadline").isTextual() ? Instant.parse(n.path("deadline").asText()) : null,
                        text(n, "area"));
                case "escalated" -> new RegistryChange.Escalated(text(n, "packageId"), n.path("level").asInt(),
                        n.path("nextDeadline").isTextual() ? Instant.parse(n.path("nextDeadline").asText()) : null);
                case "non-delivery" -> new RegistryChange.NonDelivery(text(n, "reportId"), text(n, "partnerId"),
                        text(n, "submissionId"), text(n, "recipient"), text(n, "packageId"), text(n, "event"),
                        Instant.parse(text(n, "occurredAt")));
                case "shown" -> {
                    java.util.Map<String, String> groups = new java.util.TreeMap<>();
                    n.path("groups").fields().forEachRemaining(g -> groups.put(g.getKey(), g.getValue().asText()));
                    yield new RegistryChange.Shown(text(n, "partnerId"), text(n, "submissionId"), text(n, "recipient"),
                            text(n, "packageId"), n.path("revision").asInt(), groups);
                }
                case "package-state" -> new RegistryChange.PackageState(text(n, "packageId"),
                        DeliveryState.valueOf(text(n, "state")));
                default -> throw new IOException("unknown registry change " + text(n, "change"));
            });
        }
        return step;
    }

    private static List<String> texts(JsonNode n, String field) {
        List<String> list = new ArrayList<>();
        n.path(field).forEach(v -> list.add(v.asText()));
        return list;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
