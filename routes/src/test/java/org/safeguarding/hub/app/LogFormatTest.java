package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hub's log in another JVM with its own log4j2.xml: a line of text by default, one JSON object a line with
 * {@code HUB_LOG_FORMAT=json}; either way a password or secret a message carries is masked, stack traces included,
 * Artemis's acceptor failure is not shown, and a call below its logger's level costs no formatting.
 */
class LogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String run(String format) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlog4j2.configurationFile=log4j2.xml",
                LogFormatProbe.class.getName());
        if (format != null) {
            pb.environment().put("HUB_LOG_FORMAT", format);
        } else {
            pb.environment().remove("HUB_LOG_FORMAT");
        }
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("hunter2").doesNotContain("s3cr3t").doesNotContain("AMQ224104");
        // a message below its logger's level is never formatted (a filter on the whole configuration would do it)
        assertThat(out).doesNotContain("FORMATTED BELOW ITS LEVEL");
        return out;
    }

    @Test
    void byDefaultALineOfTextWithSecretsMasked() throws Exception {
        String out = run(null);

        assertThat(out).containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\dT[0-9:,.]+Z INFO  \\[main\\] LogFormatProbe - refused GET"
                + " /api/v1/inbox for police-fib: 403 FORBIDDEN, password=\\*\\*\\*\\*, retry$");
        assertThat(out).contains("secret: ****");
    }

    @Test
    void asJsonOneObjectALineWithSecretsMasked() throws Exception {
        String out = run("json");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).path("level").asText()).isEqualTo("INFO");
        assertThat(lines.get(0).path("logger").asText()).isEqualTo(LogFormatProbe.class.getName());
        assertThat(lines.get(0).path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(lines.get(0).path("message").asText())
                .isEqualTo("refused GET /api/v1/inbox for police-fib: 403 FORBIDDEN, password=****, retry");
        assertThat(lines.get(1).path("level").asText()).isEqualTo("WARN");
        assertThat(lines.get(1).path("exception").asText()).contains("IllegalStateException")
                .contains("secret: ****");
    }
}
