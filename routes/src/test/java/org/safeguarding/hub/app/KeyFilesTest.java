package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
    @TempDir
    Path dir;

    private Path keyWith(String permissions) throws IOException {
        Path key = Files.writeString(dir.resolve("hub-" + permissions + ".key"), "not a real key");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
        return key;
    }

    @Test
    void aKeyReadableByEveryoneDrawsAWarning() throws IOException {
        assertThat(KeyFiles.warnIfReadableByOthers(keyWith("rw-r--r--"))).isTrue();
    }

    @Test
    void aKeyReadableByItsGroupDrawsAWarning() throws IOException {
        assertThat(KeyFiles.warnIfReadableByOthers(keyWith("rw-r-----"))).isTrue();
    }

    @Test
    void aKeyReadableOnlyByItsOwnerDoesNot() throws IOException {
        assertThat(KeyFiles.warnIfReadableByOthers(keyWith("rw-------"))).isFalse();
        assertThat(KeyFiles.warnIfReadableByOthers(keyWith("r--------"))).isFalse();
    }

    @Test
    void aMissingKeyFileIsNotWarnedAbout() {
        assertThat(KeyFiles.warnIfReadableByOthers(dir.resolve("absent.key"))).isFalse();
    }
}
