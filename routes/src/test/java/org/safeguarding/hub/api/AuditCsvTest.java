package org.safeguarding.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditEventType;

/** CSV rows per RFC 4180: header, every field, quoting only where needed, quotes doubled, CRLF. */
class AuditCsvTest {
    static AuditEvent event(String detail, List<String> paths) {
        return new AuditEvent("0d7c5e3e-7c1e-4a7e-9f1b-000000000001", 7, Instant.parse("2026-11-27T10:00:00.123Z"),
                AuditEventType.DECISION, "r:decision:police-fib", "hub", "police-fib",
                "6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a01", null, "CS-CORE", 3, "SHARED", null, paths,
                "a".repeat(64), null, detail, "0".repeat(64), "f".repeat(64));
    }

    @Test
    void theHeaderNamesEveryColumn() {
        assertThat(AuditCsv.header()).isEqualTo("sequence,id,time,type,key,actor,participant,submissionId,packageId,"
                + "agreementId,agreementVersion,decision,reasonCode,withheldPaths,receivedDigest,packageDigest,detail,"
                + "previousHash,hash\r\n");
    }

    @Test
    void aPlainRowIsUnquotedWithEmptyNullsAndPathsJoined() {
        String row = AuditCsv.row(event("partner=lancs-police;area=BPL", List.of("source", "subjects[0].health")));
        assertThat(row).isEqualTo("7,0d7c5e3e-7c1e-4a7e-9f1b-000000000001,2026-11-27T10:00:00.123Z,DECISION,"
                + "r:decision:police-fib,hub,police-fib,6f1c2a0e-1b7d-4c52-9a51-0c8e3f1d0a01,,CS-CORE,3,SHARED,,"
                + "source|subjects[0].health," + "a".repeat(64) + ",,partner=lancs-police;area=BPL,"
                + "0".repeat(64) + "," + "f".repeat(64) + "\r\n");
        assertThat(row.split(",", -1)).hasSize(AuditCsv.COLUMNS.size());
    }

    @Test
    void commasQuotesAndLineBreaksAreQuoted() {
        assertThat(AuditCsv.escape("a,b")).isEqualTo("\"a,b\"");
        assertThat(AuditCsv.escape("say \"x\"")).isEqualTo("\"say \"\"x\"\"\"");
        assertThat(AuditCsv.escape("line\nbreak")).isEqualTo("\"line\nbreak\"");
        assertThat(AuditCsv.escape("cr\rhere")).isEqualTo("\"cr\rhere\"");
        assertThat(AuditCsv.escape("")).isEmpty();
        assertThat(AuditCsv.escape(null)).isEmpty();
        assertThat(AuditCsv.row(event("a=1,b=2", List.of()))).contains(",\"a=1,b=2\",");
    }
}
