package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;

/** Reads the audit exports back into events, as an IG lead's tool would: JSON Lines, and CSV per RFC 4180. */
final class AuditExports {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private AuditExports() {
    }

    static List<AuditEvent> jsonLines(String body) {
        List<AuditEvent> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                try {
                    out.add(JSON.readValue(line, AuditEvent.class));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    /** The rows of a CSV text, header first; quoted fields may hold commas, quotes and line breaks. */
    static List<List<String>> csvRows(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        if (!row.isEmpty() || field.length() > 0) {
            throw new IllegalArgumentException("the CSV does not end with CRLF");
        }
        return rows;
    }

    /** An event from a CSV row in the export's column order. */
    static AuditEvent fromCsv(List<String> r) {
        return new AuditEvent(v(r, 1), Long.parseLong(r.get(0)), Instant.parse(r.get(2)), AuditEventType.valueOf(r.get(3)),
                v(r, 4), v(r, 5), v(r, 6), v(r, 7), v(r, 8), v(r, 9),
                r.get(10).isEmpty() ? null : Integer.valueOf(r.get(10)), v(r, 11), v(r, 12),
                r.get(13).isEmpty() ? List.of() : Arrays.asList(r.get(13).split("\\|")), v(r, 14), v(r, 15),
                v(r, 16), v(r, 17), v(r, 18));
    }

    private static String v(List<String> r, int i) {
        return r.get(i).isEmpty() ? null : r.get(i);
    }
}
