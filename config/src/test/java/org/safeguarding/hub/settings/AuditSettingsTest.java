package org.safeguarding.hub.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.HubException;

/** audit.retention (ISO period, default P7Y) and audit.unacknowledgedAfter (ISO duration, default P2D). */
class AuditSettingsTest {
    @TempDir
    Path dir;

    private HubSettings load(String yaml) throws IOException {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml, StandardCharsets.UTF_8);
        return SettingsLoader.load(dir);
    }

    @Test
    void defaultsKeepSevenYearsAndFlagPackagesAfterTwoDays() {
        HubSettings s = SettingsLoader.load(dir);
        assertThat(s.audit().retention()).isEqualTo(Period.ofYears(7));
        assertThat(s.audit().unacknowledgedAfter()).isEqualTo(Duration.ofDays(2));
        assertThat(s.audit().checkpointInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void bothCanBeSet() throws IOException {
        HubSettings s = load("""
                audit:
                  retention: P90D
                  unacknowledgedAfter: PT12H
                """);
        assertThat(s.audit().retention()).isEqualTo(Period.ofDays(90));
        assertThat(s.audit().unacknowledgedAfter()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void aBadRetentionIsNamedWithWhatToWrite() throws IOException {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), """
                audit:
                  retention: seven years
                  unacknowledgedAfter: two days
                """, StandardCharsets.UTF_8);
        HubException e = catchThrowableOfType(HubException.class, () -> SettingsLoader.load(dir));
        assertThat(e).isNotNull();
        assertThat(e.errors()).anySatisfy(f -> {
            assertThat(f.path()).isEqualTo("audit.retention");
            assertThat(f.message()).contains("P7Y");
        });
        assertThat(e.errors()).anySatisfy(f -> assertThat(f.path()).isEqualTo("audit.unacknowledgedAfter"));
    }

    @Test
    void aRetentionShorterThanADayIsRefused() throws IOException {
        for (String bad : new String[] {"P0D", "P-1Y"}) {
            Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), "audit:\n  retention: " + bad + "\n",
                    StandardCharsets.UTF_8);
            HubException e = catchThrowableOfType(HubException.class, () -> SettingsLoader.load(dir));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.errors()).singleElement().satisfies(f -> {
                assertThat(f.path()).isEqualTo("audit.retention");
                assertThat(f.message()).contains("at least one day");
            });
        }
    }
}
