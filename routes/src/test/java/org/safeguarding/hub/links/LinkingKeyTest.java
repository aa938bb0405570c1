package org.safeguarding.hub.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.error.HubException;
import org.safeguarding.hub.partnership.LinkKind;

class LinkingKeyTest {
    @TempDir
    Path dir;

    @Test
    void createsOneOwnerOnlyKeyOf32Bytes() throws Exception {
        Path keys = dir.resolve("linking");
        LinkingKey key = LinkingKey.loadOrCreate(keys);
        Path file = keys.resolve("linking-1.key");
        assertThat(file).isRegularFile();
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(keys)).doesNotContain(PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
        try (Stream<Path> all = Files.list(keys)) {
            assertThat(all.map(p -> p.getFileName().toString())).containsExactly("linking-1.key");
        }
        assertThat(key.keyIds()).hasSize(1);
        assertThat(key.currentKeyId()).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))).substring(0, 8));
    }

    @Test
    void reloadGivesTheSameTokens() {
        LinkingKey a = LinkingKey.loadOrCreate(dir);
        LinkingKey b = LinkingKey.loadOrCreate(dir);
        assertThat(b.token(LinkKind.VEHICLE, "BK11QQQ")).isEqualTo(a.token(LinkKind.VEHICLE, "BK11QQQ"));
        assertThat(b.currentKeyId()).isEqualTo(a.currentKeyId());
        assertThat(LinkingKey.loadOrCreate(dir.resolve("other")).token(LinkKind.VEHICLE, "BK11QQQ"))
                .as("another directory, another random key").isNotEqualTo(a.token(LinkKind.VEHICLE, "BK11QQQ"));
    }

    @Test
    void tokenIsExactlyAsSpecified() throws Exception {
        LinkingKey.loadOrCreate(dir);
        byte[] raw = Files.readAllBytes(dir.resolve("linking-1.key"));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(raw, "HmacSHA256"));
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal("LOCATION_POSTCODE\u0000FY1 4AB".getBytes(StandardCharsets.UTF_8)));
        assertThat(LinkingKey.loadOrCreate(dir).token(LinkKind.LOCATION_POSTCODE, "FY1 4AB")).isEqualTo(expected)
                .matches("[A-Za-z0-9_-]{43}");
        assertThat(LinkingKey.of(List.of(raw)).token(LinkKind.LOCATION_POSTCODE, "FY1 4AB")).isEqualTo(expected);
    }

    @Test
    void kindsSeparateTokens() {
        LinkingKey key = LinkingKey.loadOrCreate(dir);
        assertThat(key.token(LinkKind.VEHICLE, "AB12")).isNotEqualTo(key.token(LinkKind.LOCATION_POSTCODE, "AB12"));
    }

    @Test
    void rotateMakesANewCurrentKeyAndKeepsTheOldForLookUps() throws Exception {
        LinkingKey first = LinkingKey.loadOrCreate(dir);
        String old = first.token(LinkKind.VEHICLE, "BK11QQQ");
        LinkingKey second = first.rotate(dir);
        assertThat(dir.resolve("linking-2.key")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(dir.resolve("linking-2.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(second.currentKeyId()).isNotEqualTo(first.currentKeyId());
        assertThat(second.keyIds()).containsExactly(second.currentKeyId(), first.currentKeyId());
        String fresh = second.token(LinkKind.VEHICLE, "BK11QQQ");
        assertThat(fresh).isNotEqualTo(old);
        assertThat(second.tokens(LinkKind.VEHICLE, "BK11QQQ")).containsExactly(fresh, old);
        assertThat(first.tokens(LinkKind.VEHICLE, "BK11QQQ")).containsExactly(old);

        LinkingKey reloaded = LinkingKey.loadOrCreate(dir);
        assertThat(reloaded.tokens(LinkKind.VEHICLE, "BK11QQQ")).containsExactly(fresh, old);

        LinkingKey third = reloaded.rotate(dir);
        assertThat(third.keyIds()).hasSize(3).endsWith(first.currentKeyId());
        assertThat(third.tokens(LinkKind.VEHICLE, "BK11QQQ")).hasSize(3).endsWith(fresh, old);
        assertThat(Files.size(dir.resolve("linking-3.key"))).isEqualTo(32);
    }

    @Test
    void theHighestNumberIsCurrentNumericallyNotByName() throws Exception {
        byte[] k2 = filled(2);
        byte[] k10 = filled(10);
        Files.write(dir.resolve("linking-2.key"), k2);
        Files.write(dir.resolve("linking-10.key"), k10);
        Files.write(dir.resolve("linking-11.key.tmp"), filled(11)); // a half-made key is not a key
        Files.write(dir.resolve("notes.txt"), "x".getBytes(StandardCharsets.US_ASCII));
        LinkingKey key = LinkingKey.loadOrCreate(dir);
        assertThat(key.token(LinkKind.UPN, "Q890200126001"))
                .isEqualTo(LinkingKey.of(List.of(k10)).token(LinkKind.UPN, "Q890200126001"));
        assertThat(key.keyIds()).hasSize(2);
        key.rotate(dir);
        assertThat(dir.resolve("linking-11.key")).isRegularFile();
        assertThat(Files.size(dir.resolve("linking-11.key"))).isEqualTo(32);
    }

    @Test
    void aWrongLengthFileIsAClearErrorSayingToRestoreItFromBackup() throws Exception {
        LinkingKey.loadOrCreate(dir);
        Files.write(dir.resolve("linking-1.key"), new byte[31]);
        assertThatThrownBy(() -> LinkingKey.loadOrCreate(dir))
                .isInstanceOf(HubException.class)
                .satisfies(e -> assertThat(((HubException) e).code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("linking-1.key")
                .hasMessageContaining("exactly 32 bytes")
                .hasMessageContaining("restore it from backup");
        Files.write(dir.resolve("linking-1.key"), new byte[0]);
        assertThatThrownBy(() -> LinkingKey.loadOrCreate(dir)).hasMessageContaining("restore it from backup");
        Files.write(dir.resolve("linking-1.key"), new byte[33]);
        assertThatThrownBy(() -> LinkingKey.loadOrCreate(dir)).hasMessageContaining("restore it from backup");
        assertThat(Files.size(dir.resolve("linking-1.key"))).as("never replaced").isEqualTo(33);
    }

    @Test
    void inMemoryKeysMustBe32Bytes() {
        assertThatThrownBy(() -> LinkingKey.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkingKey.of(List.of(new byte[16]))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32");
    }

    @Test
    void toStringShowsKeyIdsNeverKeyBytes() throws Exception {
        LinkingKey key = LinkingKey.loadOrCreate(dir).rotate(dir);
        String shown = key.toString();
        assertThat(shown).contains(key.currentKeyId());
        for (String name : List.of("linking-1.key", "linking-2.key")) {
            byte[] raw = Files.readAllBytes(dir.resolve(name));
            assertThat(shown).doesNotContain(HexFormat.of().formatHex(raw))
                    .doesNotContain(HexFormat.of().withUpperCase().formatHex(raw))
                    .doesNotContain(Base64.getEncoder().encodeToString(raw))
                    .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(raw))
                    .doesNotContain(new String(raw, StandardCharsets.ISO_8859_1));
        }
        assertThat(shown).matches("LinkingKey\\[current=[0-9a-f]{8}, previous=\\[[0-9a-f]{8}\\]\\]");
    }

    @Test
    void theKeyHandedInIsCopied() {
        byte[] raw = filled(7);
        LinkingKey key = LinkingKey.of(List.of(raw));
        String before = key.token(LinkKind.VEHICLE, "BK11QQQ");
        raw[0] ^= 1;
        assertThat(key.token(LinkKind.VEHICLE, "BK11QQQ")).isEqualTo(before);
        assertThat(Set.copyOf(key.tokens(LinkKind.VEHICLE, "BK11QQQ"))).containsExactly(before);
    }

    private static byte[] filled(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }
}
