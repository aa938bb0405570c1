package org.safeguarding.hub.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.safeguarding.hub.desk.PackageFixtures.bytes;
import static org.safeguarding.hub.desk.PackageFixtures.c01;
import static org.safeguarding.hub.desk.PackageFixtures.id;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.testing.MutableClock;

/**
 * The desk's store: what it keeps is encrypted at rest under its own key (no file ever holds a known plaintext
 * field), the owner's alone (0700 folders, 0600 files), comes back after a restart, a recall removes what it
 * recalls, an update what it supersedes, and the retention deletes on a moved clock.
 */
class DeskStoreTest {
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final Duration RETENTION = Duration.ofDays(90);

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(NOW);

    private DeskStore open() throws Exception {
        return DeskStore.open(dir.resolve("desk"), clock, RETENTION);
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> all = Files.walk(dir.resolve("desk"))) {
            return all.toList();
        }
    }

    @Test
    void noFileHoldsAPlaintextFieldAndEveryOneIsTheOwnersAlone() throws Exception {
        DeskStore store = open();
        String id = id();
        store.put(id, bytes(c01(id, NOW)));
        store.markRead(id);

        for (Path f : files()) {
            if (Files.isDirectory(f)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                        .isEqualTo("rwx------");
                continue;
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                    .isEqualTo("rw-------");
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String plain : List.of("Jamie Example", "9990000018", "PN19 XYZ", "Handled source", "CHILD_AT_RISK",
                    "lancs-police", "submission")) {
                assertThat(content).as(f + " holds no plaintext").doesNotContain(plain);
            }
        }
        assertThat(Files.size(store.file(id))).isGreaterThan(bytes(c01(id, NOW)).length);
        assertThat(Files.readAllBytes(dir.resolve("desk").resolve("desk.key"))).hasSize(32);
    }

    @Test
    void whatIsKeptComesBackAfterARestartWithItsReadMark() throws Exception {
        String id = id();
        DeskStore store = open();
        store.put(id, bytes(c01(id, NOW)));
        store.markRead(id);

        DeskStore again = open();

        assertThat(again.all()).singleElement().satisfies(p -> {
            assertThat(p.packageId()).isEqualTo(id);
            assertThat(p.read()).isTrue();
            assertThat(p.receivedAt()).isEqualTo(NOW);
            assertThat(p.json().path("submission").path("subjects").get(0).path("identity").path("name").asText())
                    .isEqualTo("Jamie Example");
        });
    }

    @Test
    void aFileChangedOnDiskOrRenamedToAnotherPackageDoesNotOpen() throws Exception {
        String a = id();
        String b = id();
        DeskStore store = open();
        store.put(a, bytes(c01(a, NOW)));
        store.put(b, bytes(c01(b, NOW)));
        byte[] bytes = Files.readAllBytes(store.file(a));
        bytes[bytes.length - 1] ^= 1;
        Files.write(store.file(a), bytes);
        Files.move(store.file(b), store.file(id()));

        assertThat(open().all()).isEmpty();
    }

    @Test
    void aRecallRemovesThePackageItRecallsAndALaterCopyIsNotKept() throws Exception {
        String pkg = id();
        String other = id();
        String recall = id();
        DeskStore store = open();
        store.put(pkg, bytes(c01(pkg, NOW)));
        store.put(other, bytes(c01(other, NOW)));

        store.put(recall, bytes(PackageFixtures.recall(recall, NOW, pkg)));

        assertThat(store.get(pkg)).isEmpty();
        assertThat(Files.exists(store.file(pkg))).as("its file is gone").isFalse();
        assertThat(store.get(other)).isPresent();
        assertThat(store.get(recall)).as("the recall notice stays").isPresent();
        store.put(pkg, bytes(c01(pkg, NOW)));
        assertThat(store.get(pkg)).as("a copy fetched after its recall").isEmpty();
        assertThat(open().get(pkg)).isEmpty();
    }

    @Test
    void anUpdateRemovesThePackagesItSupersedes() throws Exception {
        String old = id();
        String update = id();
        DeskStore store = open();
        store.put(old, bytes(c01(old, NOW)));

        var u = c01(update, NOW).put("kind", "update").put("revision", 1).put("correctionReason", "FACTUAL_ERROR");
        u.putArray("changedGroups").add("NARRATIVE");
        u.putArray("supersedes").add(old);
        store.put(update, bytes(u));

        assertThat(store.all()).extracting(StoredPackage::packageId).containsExactly(update);
    }

    @Test
    void theRetentionDeletesOnAMovedClock() throws Exception {
        String early = id();
        String late = id();
        DeskStore store = open();
        store.put(early, bytes(c01(early, NOW)));
        clock.advance(Duration.ofDays(10));
        store.put(late, bytes(c01(late, clock.instant())));

        clock.advance(Duration.ofDays(79));
        assertThat(store.sweep()).as("nothing is 90 days old yet").isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(store.sweep()).isEqualTo(1);

        assertThat(store.all()).extracting(StoredPackage::packageId).containsExactly(late);
        assertThat(Files.exists(store.file(early))).isFalse();
        clock.advance(Duration.ofDays(10));
        store.sweep();
        assertThat(store.all()).isEmpty();
        assertThat(open().all()).isEmpty();
    }

    @Test
    void aPackageAlreadyPastTheRetentionIsNotKept() throws Exception {
        String id = id();
        DeskStore store = open();

        store.put(id, bytes(c01(id, NOW.minus(Duration.ofDays(91)))));

        assertThat(store.all()).isEmpty();
    }

    @Test
    void aDocumentWhoseIdIsNotItsOwnIsRefused() throws Exception {
        DeskStore store = open();

        assertThatThrownBy(() -> store.put(id(), bytes(c01(id(), NOW)))).isInstanceOf(HubException.class);
        assertThatThrownBy(() -> store.put("../../etc/passwd", bytes(c01("../../etc/passwd", NOW))))
                .isInstanceOf(HubException.class);
        assertThat(store.all()).isEmpty();
    }

    @Test
    void aKeyOthersCanReadIsRefused() throws Exception {
        open();
        Files.setPosixFilePermissions(dir.resolve("desk").resolve("desk.key"),
                PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(this::open).isInstanceOf(HubException.class).hasMessageContaining("chmod 600");
    }
}
