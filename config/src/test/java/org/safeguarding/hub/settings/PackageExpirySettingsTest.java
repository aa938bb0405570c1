package org.safeguarding.hub.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.FieldError;
import org.safeguarding.hub.error.HubException;

/** {@code packageExpiry} and {@code packageExpiryScanInterval} in hub.yaml: when an unacknowledged package expires. */
class PackageExpirySettingsTest {
    @TempDir
    Path dir;

    HubSettings load(String yaml) throws Exception {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml);
        return SettingsLoader.load(dir);
    }

    @Test
    void fiveDaysScannedEveryFiveMinutesByDefault() throws Exception {
        HubSettings s = load("dataDirectory: data\n");
        assertThat(s.packageExpiry()).isEqualTo(Duration.ofDays(5));
        assertThat(s.packageExpiryScanInterval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void isoDurationsSetThem() throws Exception {
        HubSettings s = load("packageExpiry: P2DT12H\npackageExpiryScanInterval: PT30S\n");
        assertThat(s.packageExpiry()).isEqualTo(Duration.ofHours(60));
        assertThat(s.packageExpiryScanInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void zeroOrNegativeIsRefusedWithTheKey() {
        assertThatThrownBy(() -> load("packageExpiry: PT0S\npackageExpiryScanInterval: PT-1M\n"))
                .isInstanceOfSatisfying(HubException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.errors()).extracting(FieldError::path)
                            .containsExactlyInAnyOrder("packageExpiry", "packageExpiryScanInterval");
                    assertThat(e.detail()).contains("hub.yaml").contains("must be positive");
                });
    }

    @Test
    void aMalformedDurationIsRefusedWithTheKey() {
        assertThatThrownBy(() -> load("packageExpiry: five days\n")).isInstanceOfSatisfying(HubException.class,
                e -> assertThat(e.errors()).extracting(FieldError::path).containsExactly("packageExpiry"));
    }
}
