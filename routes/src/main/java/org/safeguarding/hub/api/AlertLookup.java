package org.safeguarding.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Comparator;
import java.util.regex.Pattern;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.linkstore.LinkStore;

/**
 * The IG lead's view of one alert, by the id a recipient quotes: the rule, its revision, and every submission and
 * partner it links (with sector, area, categories, handling code, receipt time and who was shared each), so that the
 * IG lead can broker the conversation between the agencies. Never a token or a value. Each look-up is audited.
 */
public final class AlertLookup {
    private static final Pattern ALERT_ID = Pattern.compile("[0-9a-fA-F-]{36}");
    private final LinkStore store;
    private final AuditRecorder audit;
    private final ObjectMapper json;

    public AlertLookup(LinkStore store, AuditRecorder audit, ObjectMapper json) {
        this.store = store;
        this.audit = audit;
        this.json = json;
    }

    public ApiResponse alert(String caller, String alertId) {
        if (alertId == null || !ALERT_ID.matcher(alertId).matches()) {
            throw new HubException(ErrorCode.BAD_REQUEST, "An alert id is a UUID, as the alert package names it.");
        }
        audit.queried(caller, "alert=" + alertId);
        LinkStore.AlertState a = store.alert(alertId).orElseThrow(() -> new HubException(ErrorCode.NOT_FOUND,
                "No such alert: it is unknown, or every submission it linked has passed the links' retention."));
        ObjectNode root = json.createObjectNode();
        root.put("alertId", a.alertId());
        root.put("ruleId", a.ruleId());
        root.put("revision", a.revision());
        root.put("linkKind", a.kind());
        root.put("raisedAt", a.raisedAt().toString());
        root.put("updatedAt", a.updatedAt().toString());
        ArrayNode members = root.putArray("submissions");
        store.submissions(a.members()).stream().sorted(Comparator.comparing(LinkStore.LinkedSubmission::receivedAt))
                .forEach(s -> {
                    ObjectNode n = SubjectTrace.facts(members.addObject(), s);
                    ArrayNode shared = n.putArray("sharedWith");
                    s.sharedWith().stream().sorted().forEach(shared::add);
                });
        try {
            return ApiResponse.json(200, json.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new IllegalStateException("the alert could not be written", e);
        }
    }
}
