package org.safeguarding.hub.api;

import java.util.List;
import org.safeguarding.hub.audit.AuditEvent;

/**
 * Audit events as CSV (RFC 4180): a header row, then one row per event with every stored field, values
 * exactly as stored so that an event's hash can be recomputed from its row. A field with a comma, a double
 * quote, a CR or an LF is quoted, quotes doubled; lines end with CRLF. Withheld paths are joined with
 * {@code |} (paths never contain one). Values cannot form spreadsheet function calls: the hub's details
 * hold no parentheses or quotes.
 */
final class AuditCsv {
    static final List<String> COLUMNS = List.of("sequence", "id", "time", "type", "key", "actor", "participant",
            "submissionId", "packageId", "agreementId", "agreementVersion", "decision", "reasonCode",
            "withheldPaths", "receivedDigest", "packageDigest", "detail", "previousHash", "hash");

    private AuditCsv() {
    }

    static String header() {
        return line(COLUMNS);
    }

    static String row(AuditEvent e) {
        return line(java.util.Arrays.asList(Long.toString(e.sequence()), e.id(), e.time().toString(),
                e.type().name(), e.key(), e.actor(), e.participant(), e.submissionId(), e.packageId(),
                e.agreementId(), e.agreementVersion() == null ? null : e.agreementVersion().toString(),
                e.decision(), e.reasonCode(), String.join("|", e.withheldPaths()), e.receivedDigest(),
                e.packageDigest(), e.detail(), e.previousHash(), e.hash()));
    }

    private static String line(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(escape(values.get(i)));
        }
        return sb.append("\r\n").toString();
    }

    static String escape(String v) {
        if (v == null) {
            return "";
        }
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
