package org.safeguarding.hub.desk;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One document the desk keeps, as decrypted in memory: the package JSON the hub signed, when the desk received it, and
 * whether the officer marked it read.
 */
public record StoredPackage(String packageId, JsonNode json, Instant receivedAt, boolean read) {
    /** {@code package} (a routed package or a correction's), {@code update}, {@code recall}, {@code alert}, ... */
    public String kind() {
        String kind = json.path("kind").asText("");
        return kind.isEmpty() ? "package" : kind;
    }

    /** Whether it carries a submission (a package or an update), not a notice. */
    public boolean carriesSubmission() {
        return json.has("submission");
    }

    /**
     * The time its retention runs from: the earlier of the hub's own time on it (routed, raised, recalled, escalated)
     * and its arrival here.
     */
    public Instant keptSince() {
        for (String field : new String[] {"routedAt", "raisedAt", "recalledAt", "escalatedAt"}) {
            String t = json.path(field).asText("");
            if (!t.isEmpty()) {
                try {
                    Instant hub = Instant.parse(t);
                    return hub.isBefore(receivedAt) ? hub : receivedAt;
                } catch (DateTimeParseException e) {
                    return receivedAt;
                }
            }
        }
        return receivedAt;
    }

    StoredPackage markedRead() {
        return new StoredPackage(packageId, json, receivedAt, true);
    }
}
