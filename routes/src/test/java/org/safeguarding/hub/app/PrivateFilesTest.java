package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void foldersItCreatesAreTheOwnersAloneParentsIncluded() throws Exception {
        Path deep = dir.resolve("a").resolve("b").resolve("received");
        assertThat(PrivateFiles.createFolder(deep)).isFalse();
        assertThat(Files.getPosixFilePermissions(deep)).isEqualTo(PrivateFiles.FOLDER);
        assertThat(Files.getPosixFilePermissions(dir.resolve("a"))).isEqualTo(PrivateFiles.FOLDER);
        assertThat(PrivateFiles.createFolder(deep)).as("exists, private").isFalse();
    }

    @Test
    void anExistingFolderKeepsItsModeAndSaysWhetherOthersCanListIt() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(PrivateFiles.createFolder(shared)).isTrue();
        assertThat(Files.getPosixFilePermissions(shared)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aFileIsWrittenNew0600EvenOverAWiderOneAndNothingIsLeftBeside() throws Exception {
        Path target = dir.resolve("package.json");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-rw-"));

        PrivateFiles.write(target, "{\"name\":\"opened\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(target)).isEqualTo("{\"name\":\"opened\"}");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PrivateFiles.FILE);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("package.json");
        }
    }

    @Test
    void aNewFileIs0600() throws Exception {
        Path target = dir.resolve("new.json");
        PrivateFiles.write(target, new byte[] {'{', '}'});
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PrivateFiles.FILE);
    }
}
