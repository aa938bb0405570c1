package org.safeguarding.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.jdbc.Durability;

/** Which registry {@code hub.yaml} gives: the embedded H2 file as before, an H2 URL of one's own, nothing else. */
class RegistryDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void withoutAUrlTheRegistryIsTheEmbeddedFileWithTheSettingsItAlwaysHad() throws Exception {
        assertThat(RegistryDatabase.url(dir)).isEqualTo("jdbc:h2:file:" + dir.toAbsolutePath().resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=64");
        try (RegistryDatabase db = RegistryDatabase.open(dir.resolve("registry"), null, "ignored", "ignored");
             Connection c = db.dataSource().getConnection()) {
            assertThat(db.isPostgres()).isFalse();
            assertThat(Durability.Kind.of(c)).isEqualTo(Durability.Kind.H2_FILE);
            new SubmissionRegistry(db.dataSource(), Clock.systemUTC());
        }
        assertThat(Files.exists(dir.resolve("registry").resolve("registry.mv.db"))).isTrue();
    }

    @Test
    void anH2UrlOfOnesOwnGetsTheRegistrysSettingsItDoesNotSetItself() {
        assertThat(RegistryDatabase.h2Url("jdbc:h2:file:/srv/reg;write_delay=0"))
                .isEqualTo("jdbc:h2:file:/srv/reg;write_delay=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64");
        try (RegistryDatabase db = RegistryDatabase.open(dir, "jdbc:h2:file:" + dir.resolve("own"), "hub", null)) {
            new SubmissionRegistry(db.dataSource(), Clock.systemUTC());
        }
        assertThat(Files.exists(dir.resolve("own.mv.db"))).isTrue();
    }

    @Test
    void anotherDatabaseIsRefused() {
        assertThatThrownBy(() -> RegistryDatabase.open(dir, "jdbc:mysql://db/hub", "hub", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("H2 or PostgreSQL");
    }
}
