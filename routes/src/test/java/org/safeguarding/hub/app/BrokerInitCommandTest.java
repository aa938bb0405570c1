package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hub broker init --pair}: both nodes' configuration from the demo PKI, no secret in any XML, one-line errors. */
class BrokerInitCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesALiveAndABackupNodeAndTheHubsLines() throws Exception {
        assertThat(PkiInitCommandTest.hub("pki", "init", "--out", dir.resolve("pki").toString()).exit()).isZero();

        PkiInitCommandTest.Run r = PkiInitCommandTest.hub("broker", "init", "--pair", "--pki",
                dir.resolve("pki").toString(), "--out", dir.resolve("pair").toString(), "--live-ports", "61717,5771",
                "--backup-ports", "61718,5772");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("urls: [\"tcp://127.0.0.1:61717?name=live\", \"tcp://127.0.0.1:61718?name=backup\"]");
        String password = Files.readString(dir.resolve("pair/hub/broker.password")).strip();
        for (String node : new String[] {"live", "backup"}) {
            Path d = dir.resolve("pair").resolve(node);
            String xml = Files.readString(d.resolve("broker.xml")) + Files.readString(d.resolve("bootstrap.xml"));
            assertThat(xml).doesNotContain(password)
                    .doesNotContain(Files.readString(d.resolve("secrets/keystore.password")).strip())
                    .doesNotContain(Files.readString(d.resolve("secrets/cluster.password")).strip())
                    .contains("<replication>").contains("exclusive=\"true\"").contains("needClientAuth=true");
            assertThat(Files.getPosixFilePermissions(d.resolve("secrets/keystore.password")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(Files.readString(dir.resolve("pair/live/broker.xml"))).contains("<primary>");
        assertThat(Files.readString(dir.resolve("pair/backup/broker.xml"))).contains("<backup>");
    }

    @Test
    void aSecondInitIntoTheSameDirectoryIsOneLine() throws Exception {
        PkiInitCommandTest.hub("pki", "init", "--out", dir.resolve("pki").toString());
        String[] init = {"broker", "init", "--pair", "--pki", dir.resolve("pki").toString(), "--out",
                dir.resolve("pair").toString()};
        assertThat(PkiInitCommandTest.hub(init).exit()).isZero();
        PkiInitCommandTest.oneLineError(PkiInitCommandTest.hub(init));
    }
}
