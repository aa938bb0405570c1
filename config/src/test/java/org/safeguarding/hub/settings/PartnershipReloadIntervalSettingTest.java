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

/** {@code partnershipReloadInterval} in hub.yaml: how often a running hub looks for an edited partnership file. */
class PartnershipReloadIntervalSettingTest {
    @TempDir
    Path dir;

    HubSettings load(String yaml) throws Exception {
        Files.writeString(dir.resolve(SettingsLoader.FILE_NAME), yaml);
        return SettingsLoader.load(dir);
    }

    @Test
    void tenSecondsByDefault() throws Exception {
        assertThat(load("dataDirectory: data\n").partnershipReloadInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anIsoDurationSetsIt() throws Exception {
        assertThat(load("partnershipReloadInterval: PT2.5S\n").partnershipReloadInterval())
                .isEqualTo(Duration.ofMillis(2500));
        assertThat(load("partnershipReloadInterval: PT0S\n").partnershipReloadInterval()).isZero();
    }

    @Test
    void aNegativeOrMalformedIntervalIsRefusedWithItsKey() {
        assertThatThrownBy(() -> load("partnershipReloadInterval: PT-5S\n")).isInstanceOfSatisfying(HubException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.errors()).extracting(FieldError::path).containsExactly("partnershipReloadInterval");
                    assertThat(e.detail()).contains("hub.yaml").contains("must not be negative");
                });
        assertThatThrownBy(() -> load("partnershipReloadInterval: ten seconds\n"))
                .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.errors()).extracting(FieldError::path)
                        .containsExactly("partnershipReloadInterval"));
    }
}
