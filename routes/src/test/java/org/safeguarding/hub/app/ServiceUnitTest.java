package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd unit the production guide installs ({@code docs/systemd/hub.service}) passes {@code systemd-analyze
 * verify} without a word, runs the hub as its own user on its configuration directory, and stops it with SIGTERM.
 */
class ServiceUnitTest {
    private static final Path UNIT = Path.of("..", "docs", "systemd", "hub.service");
    @TempDir
    Path dir;

    @Test
    void theUnitVerifiesCleanly() throws Exception {
        assertThat(verify(UNIT)).isEmpty();
    }

    @Test
    void aDefectInAUnitIsReported() throws Exception {
        Path broken = dir.resolve("hub.service");
        Files.writeString(broken, Files.readString(UNIT).replace("NoNewPrivileges=", "NoNewPrivilege="));

        assertThat(verify(broken)).contains("Unknown key");
    }

    @Test
    void theHubRunsAsItsOwnUserAndStopsOnSigterm() throws IOException {
        String unit = Files.readString(UNIT);

        assertThat(unit).contains("\nUser=hub\n", "\nGroup=hub\n", "\nKillSignal=SIGTERM\n", "\nUMask=0077\n",
                "\nNoNewPrivileges=yes\n", "\nProtectSystem=strict\n", "\nReadWritePaths=/var/lib/hub\n");
        assertThat(unit).containsPattern("\nExecStart=/usr/bin/java .*-jar /opt/hub/hub.jar run --config /etc/hub\n");
        assertThat(unit).doesNotContain("SuccessExitStatus");
    }

    /** What systemd-analyze verify prints about the unit (nothing when it is clean). */
    private static String verify(Path unit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("systemd-analyze", "verify", unit.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.strip();
    }
}
