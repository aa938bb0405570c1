package org.safeguarding.hub.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.safeguarding.hub.linkstore.LinkStore.LinkedSubmission;
import org.safeguarding.hub.links.DerivedLink;
import org.safeguarding.hub.links.LinkDeriver;
import org.safeguarding.hub.links.LinkingKey;
import org.safeguarding.hub.partnership.Participant;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.registry.RegistryChange;
import org.safeguarding.hub.submission.ValidSubmission;

/**
 * A routed submission's part in the contextual intelligence: its link tokens (derived from its content in memory, never
 * kept), the link store change that records them in the routing step's commit, the alerts they raise, and each alert
 * package's JSON.
 */
public final class SubmissionLinks {
    private final LinkingKey key;
    private final LinkDeriver deriver;
    private final AlertEvaluator evaluator;
    private final ObjectMapper json;

    /** @param key the linking keys: tokens are made under the current one */
    public SubmissionLinks(LinkingKey key, AlertEvaluator evaluator, ObjectMapper json) {
        this.key = key;
        this.deriver = new LinkDeriver(key);
        this.evaluator = evaluator;
        this.json = json;
    }

    /** What linking one routed submission gave: the link store change, and the alerts raised (registered in flight). */
    public record Linking(RegistryChange.Linked change, AlertEvaluator.Outcome outcome) {
        public static final Linking NONE = new Linking(null, AlertEvaluator.Outcome.NONE);
    }

    /**
     * Derives the submission's tokens and evaluates the alert rules. Call after every lasting check of the routing step
     * has passed; remove the outcome's registration when the step is applied or rolled back.
     */
    public Linking link(Partnership partnership, Participant partner, ValidSubmission submission, String receiptId,
                        Instant receivedAt, Set<String> sharedWith, Instant routedAt) {
        List<AlertEvaluator.TokenOf> tokens = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (DerivedLink l : deriver.derive(submission.json())) {
            if (seen.add(l.token())) {
                tokens.add(new AlertEvaluator.TokenOf(l.kind(), key.currentKeyId(), l.token(), l.previousTokens()));
            }
        }
        if (tokens.isEmpty()) {
            return Linking.NONE;
        }
        List<String> categories = new ArrayList<>();
        submission.json().path("categories").forEach(c -> categories.add(c.asText()));
        String area = submission.json().path("area").asText(null);
        LinkedSubmission trigger = new LinkedSubmission(partner.id(), submission.submissionId(), receiptId,
                AlertEvaluator.sectorOf(partner), area, categories, submission.handlingCode().name(), receivedAt,
                sharedWith);
        RegistryChange.Linked change = new RegistryChange.Linked(partner.id(), submission.submissionId(), receiptId,
                trigger.sector(), area, categories, trigger.handlingCode(), receivedAt, List.copyOf(sharedWith),
                tokens.stream().map(t -> new RegistryChange.Token(t.kind().name(), t.keyId(), t.token())).toList());
        return new Linking(change, evaluator.evaluate(partnership, trigger, tokens, routedAt));
    }

    /**
     * The value that links, as this recipient's own package of the triggering submission shows it; empty when the
     * recipient was not shared it or its package does not show that field.
     */
    public Optional<String> shownValue(JsonNode recipientsSubmission, Set<String> tokens) {
        if (recipientsSubmission == null) {
            return Optional.empty();
        }
        return deriver.derive(recipientsSubmission).stream().filter(l -> tokens.contains(l.token()))
                .map(DerivedLink::shownValue).findFirst();
    }

    /**
     * Writes one recipient's alert package JSON: the rule that fired, the kind of link, the recipient's own linked
     * packages by id, the value as its package of the triggering submission shows it (if it does), and counts by
     * sector only where the rule allows this recipient them. Nothing about a submission it was not shared.
     */
    public void writeAlert(OutputStream out, String packageId, AlertEvaluator.Raised raised,
                           AlertEvaluator.Notice notice, Optional<String> shown,
                           Function<LinkedSubmission, String> packageIdOf) throws IOException {
        json.writeValue(out, alertTree(packageId, raised, notice, shown, packageIdOf));
    }

    ObjectNode alertTree(String packageId, AlertEvaluator.Raised raised, AlertEvaluator.Notice notice,
                         Optional<String> shown, Function<LinkedSubmission, String> packageIdOf) {
        ObjectNode root = json.createObjectNode();
        root.put("kind", "alert");
        root.put("packageId", packageId);
        root.put("recipient", notice.recipient());
        root.put("alertId", raised.alert().alertId());
        root.put("revision", raised.alert().revision());
        ObjectNode rule = root.putObject("rule");
        rule.put("id", raised.rule().id());
        rule.put("description", raised.rule().description());
        root.put("linkKind", raised.alert().kind());
        root.put("raisedAt", raised.alert().raisedAt().toString());
        ArrayNode own = root.putArray("yourPackages");
        for (LinkedSubmission s : notice.own()) {
            own.addObject().put("packageId", packageIdOf.apply(s)).put("submissionId", s.submissionId())
                    .put("partnerId", s.partnerId()).put("receivedAt", s.receivedAt().toString());
        }
        shown.ifPresent(v -> root.put("value", v));
        if (notice.countsBySector() != null) {
            ObjectNode counts = root.putObject("countsBySector");
            notice.countsBySector().forEach(counts::put);
        }
        root.put("furtherInformation", "Quote the alert id to the partnership's IG lead, who can see which"
                + " submissions and partners it links and can broker the conversation.");
        return root;
    }
}
