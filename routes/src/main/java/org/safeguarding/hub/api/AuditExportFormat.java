package org.safeguarding.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;

/** The forms of {@code GET /api/v1/audit/export}: CSV with a header row, or JSON Lines (one event per line). */
enum AuditExportFormat {
    CSV("text/csv; charset=utf-8", "csv"),
    JSONL("application/jsonl", "jsonl");

    final String mediaType;
    final String extension;

    AuditExportFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    static AuditExportFormat parse(String s) {
        if (s == null || s.isBlank()) {
            return JSONL;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "jsonl" -> JSONL;
            default -> throw new HubException(ErrorCode.BAD_REQUEST, "format must be csv or jsonl.");
        };
    }

    /**
     * A sink that writes each event to {@code out} as it comes; a write failure (the client went away)
     * surfaces as an {@link UncheckedIOException}, which stops the export.
     */
    Consumer<AuditEvent> writer(OutputStream out, ObjectMapper json) throws IOException {
        if (this == CSV) {
            out.write(AuditCsv.header().getBytes(StandardCharsets.UTF_8));
            return e -> write(out, AuditCsv.row(e).getBytes(StandardCharsets.UTF_8));
        }
        return e -> {
            try {
                write(out, json.writeValueAsBytes(e));
                out.write('\n');
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        };
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }
}
