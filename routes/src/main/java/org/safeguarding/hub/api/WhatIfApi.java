package org.safeguarding.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.partnership.Partnership;
import org.safeguarding.hub.partnership.PartnershipLoader;
import org.safeguarding.hub.registry.DecisionFactStore;
import org.safeguarding.hub.whatif.DecisionFacts;
import org.safeguarding.hub.whatif.WhatIf;

/**
 * {@code POST /api/v1/audit/what-if?weeks=N} (IG lead): a draft partnership file in the body, checked as the hub checks
 * its own, put to the decisions of the last N weeks (1 to {@value #MAX_WEEKS}, {@value #DEFAULT_WEEKS} when absent,
 * no further back than the facts are kept): which recipients would gain or lose which submissions and which fields,
 * and which decisions cannot be evaluated from the facts kept. Nothing is changed; the question is audited with the
 * draft's digest.
 */
public final class WhatIfApi {
    static final int DEFAULT_WEEKS = 12;
    static final int MAX_WEEKS = 52;
    /** The most submissions one what-if reads. */
    static final int MAX_SUBMISSIONS = 50_000;
    static final int MAX_DRAFT = 512 * 1024;

    private final DecisionFactStore facts;
    private final AuditRecorder audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration retention;

    public WhatIfApi(DecisionFactStore facts, AuditRecorder audit, ObjectMapper json, Clock clock, Duration retention) {
        this.facts = facts;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.retention = retention;
    }

    public ApiResponse evaluate(String caller, byte[] draftFile, Map<String, String> q) {
        int weeks = weeks(q.get("weeks"));
        if (draftFile == null || draftFile.length == 0) {
            throw new HubException(ErrorCode.BAD_REQUEST, "Send the draft partnership file (YAML) as the body.");
        }
        if (draftFile.length > MAX_DRAFT) {
            throw new HubException(ErrorCode.BAD_REQUEST, "The draft is larger than " + MAX_DRAFT + " bytes.");
        }
        Partnership draft;
        try {
            draft = PartnershipLoader.parse(draftFile, "the draft");
        } catch (HubException e) {
            throw new HubException(ErrorCode.BAD_REQUEST, "The draft partnership file is not one the hub would load:"
                    + " mend what is listed and send it again.", e.errors());
        }
        Instant now = clock.instant();
        Instant asked = now.minus(Duration.ofDays(7L * weeks));
        Instant kept = now.minus(retention);
        Instant from = asked.isBefore(kept) ? kept : asked;
        audit.queried(caller, "what-if;weeks=" + weeks + ";draft=sha256:" + draft.digest());
        List<DecisionFacts> window = new ArrayList<>();
        for (DecisionFactStore.Stored s : facts.since(from, MAX_SUBMISSIONS)) {
            window.add(DecisionFacts.fromJson(s.facts()));
        }
        WhatIf.Report report = WhatIf.evaluate(draft, window);
        ObjectNode root = json.createObjectNode();
        root.put("from", from.truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("to", now.truncatedTo(ChronoUnit.SECONDS).toString());
        root.put("weeks", weeks);
        root.put("limitedByRetention", asked.isBefore(kept));
        root.put("submissions", report.submissions());
        root.put("truncated", report.submissions() == MAX_SUBMISSIONS);
        root.put("draftDigest", draft.digest());
        ArrayNode recipients = root.putArray("recipients");
        for (WhatIf.RecipientChange c : report.recipients()) {
            ObjectNode n = recipients.addObject();
            n.put("recipient", c.recipient);
            n.put("gains", c.gains);
            n.put("losses", c.losses);
            n.put("unchanged", c.unchanged);
            n.put("cannotEvaluate", c.cannotEvaluate);
            ObjectNode gained = n.putObject("fieldsGained");
            c.fieldsGained.forEach(gained::put);
            ObjectNode lost = n.putObject("fieldsLost");
            c.fieldsLost.forEach(lost::put);
        }
        ArrayNode unsettled = root.putArray("cannotEvaluate");
        for (WhatIf.Unsettled u : report.unsettled()) {
            unsettled.addObject().put("partnerId", u.partnerId()).put("submissionId", u.submissionId())
                    .put("recipient", u.recipient()).put("why", u.why());
        }
        try {
            return ApiResponse.json(200, json.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new IllegalStateException("the what-if could not be written", e);
        }
    }

    private static int weeks(String s) {
        if (s == null || s.isBlank()) {
            return DEFAULT_WEEKS;
        }
        if (s.matches("[0-9]{1,2}")) {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= MAX_WEEKS) {
                return n;
            }
        }
        throw new HubException(ErrorCode.BAD_REQUEST, "weeks must be a whole number from 1 to " + MAX_WEEKS + " ("
                + DEFAULT_WEEKS + " when absent).");
    }
}
