package org.safeguarding.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEvent;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.audit.AuditRecord;
import org.safeguarding.hub.audit.AuditStoreException;
import org.safeguarding.hub.audit.AuditTrail;
import org.safeguarding.hub.audit.AuditVerification;
import org.safeguarding.hub.auditing.AuditRecorder;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.http.ApiResponse;
import org.safeguarding.hub.http.ProblemDocuments;
import org.safeguarding.hub.http.StreamedResponse;

/** While the audit store is down every audit endpoint answers 503 with Retry-After (it answered 500 before). */
class AuditApiUnavailableTest {
    private static final String LEAD = "ig-lead";

    /** A trail whose database is gone; {@code appendsWork} lets the AUDIT_QUERIED append through (store fails later). */
    private static AuditTrail downTrail(boolean appendsWork) {
        return new AuditTrail() {
            private AuditStoreException down() {
                return new AuditStoreException("audit query failed: Connection refused");
            }

            public AuditEvent append(AuditRecord record) {
                if (appendsWork) {
                    return null;
                }
                throw down();
            }

            public List<AuditEvent> appendAll(List<AuditRecord> records) {
                throw down();
            }

            public List<AuditEvent> find(AuditQuery query) {
                throw down();
            }

            public void export(AuditQuery query, Consumer<AuditEvent> sink) {
                throw down();
            }

            public AuditVerification verify() {
                throw down();
            }

            public AuditEvent checkpoint() {
                throw down();
            }

            public AuditEvent purgeBefore(Instant cutoff) {
                throw down();
            }

            public boolean healthy() {
                return false;
            }

            public void close() {
            }
        };
    }

    private static AuditApi api(boolean appendsWork) {
        return new AuditApi(new AuditRecorder(downTrail(appendsWork)), new ObjectMapper(), id -> true);
    }

    private static void assertUnavailable(HubException e) {
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        ApiResponse problem = new ProblemDocuments(new org.safeguarding.hub.error.ProblemJson("https://hub.test"))
                .of(e, "/api/v1/audit/events");
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.headers()).containsKey("Retry-After");
        assertThat(new String(problem.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Connection refused");
    }

    @Test
    void eventsAnswer503WhenTheStoreIsDown() {
        for (boolean appendsWork : new boolean[] {false, true}) {
            assertUnavailable(catchThrowableOfType(HubException.class, () -> api(appendsWork).events(LEAD, Map.of())));
        }
    }

    @Test
    void verifyAnswers503WhenTheStoreIsDown() {
        for (boolean appendsWork : new boolean[] {false, true}) {
            assertUnavailable(catchThrowableOfType(HubException.class, () -> api(appendsWork).verify(LEAD)));
        }
    }

    @Test
    void exportAnswers503WhenTheStoreIsDownBeforeItStarts() {
        assertUnavailable(catchThrowableOfType(HubException.class, () -> api(false).export(LEAD, Map.of())));
    }

    @Test
    void exportAnswers503WhenTheStoreFailsBeforeTheFirstByte() {
        StreamedResponse r = api(true).export(LEAD, Map.of("format", "csv"));
        assertUnavailable(catchThrowableOfType(HubException.class, () -> r.body().writeTo(new ByteArrayOutputStream())));
    }
}
