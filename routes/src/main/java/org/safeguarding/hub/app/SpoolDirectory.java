package org.safeguarding.hub.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where large bodies wait on disk, always sealed (a submission to the hub, a package to its recipient), while they
 * stream through: created at start and emptied of whatever a previous run left (the broker holds what was taken).
 */
final class SpoolDirectory {
    private SpoolDirectory() {
    }

    static Path prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> left = Files.newDirectoryStream(dir, "*.sealed")) {
            for (Path f : left) {
                Files.deleteIfExists(f);
            }
        }
        return dir;
    }
}
