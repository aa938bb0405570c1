package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Part of the hostile-input test (issue 11, item 11): a partner's session on the running hub's real SFTP drop (MINA
 * SSHD's client, the hub's host key pinned) tries thousands of operations outside what is open to it: folders made or
 * removed anywhere, files written outside {@code /inbound} (also appended to, and over its own answers), read or
 * listed outside {@code /outbound}, removed, symbolic and hard links either way, renames across folders, traversal
 * ({@code /../}, {@code /.processing/...}, another partner's folder, relative paths) and attributes of folders. Each is
 * refused as "permission denied"; "no such file" counts only where the target does not exist as the partner sees it,
 * and "already exists" only for a folder made where something already is as the partner sees it (a folder; or a file
 * of its own {@code /outbound}, which MINA SSHD answers so before the drop's policy is asked: it tells nothing its
 * listing does not). Afterwards the hub's
 * {@code <data>/sftp/} tree (names, kinds and contents) is exactly as before, except for what the allowed operations
 * then made: an upload under a temporary name renamed into {@code /inbound} gets its receipt in {@code /outbound} and
 * is routed, and an answer read is removed.
 *
 * <p>The generator is the idea of connectors' {@code DropPermissionsTest} (prefixes times names, kept when they land
 * outside what is open), widened by the real hub's own paths; the policy is connectors' {@code DropPermissions}.
 */
class HostileDropIT {
    static final String PARTNER = "lancs-police";
    static final String OTHER = "nhs-lsc";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String FIRST_RECEIPT = "first.p7m.receipt.json";

    static RunningHub hub;
    static SshClient ssh;
    static Path sftpRoot;

    @BeforeAll
    static void start() throws IOException {
        hub = RunningHub.start(TestPki.ec(), "sftp:\n  host: 127.0.0.1\n  port: 0\n");
        sftpRoot = hub.app().settings().dataDirectory().resolve("sftp");
        var hostKeys = new ArrayList<KeyPair>();
        new SimpleGeneratorHostKeyProvider(sftpRoot.resolve("host-key")).loadKeys(null).forEach(hostKeys::add);
        ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier((session, address, key) -> KeyUtils.compareKeys(hostKeys.get(0).getPublic(), key));
        ssh.start();
    }

    @AfterAll
    static void stop() {
        if (ssh != null) {
            ssh.stop();
        }
        if (hub != null) {
            hub.close();
        }
    }

    static ClientSession login(String partner) throws IOException {
        ClientSession session = ssh.connect(partner, "127.0.0.1", hub.app().sftpPort()).verify(TIMEOUT).getSession();
        Identity id = hub.pki().identity(partner);
        session.addPublicKeyIdentity(new KeyPair(id.certificate().getPublicKey(), id.privateKey()));
        session.auth().verify(TIMEOUT);
        return session;
    }

    static byte[] sealedC01() {
        TestPki pki = hub.pki();
        return OpenSsl.signAndEncrypt(Submissions.current("C01-police-cce-blackpool.json"), pki.cert(PARTNER),
                pki.key(PARTNER), pki.cert("hub"), "-aes-256-gcm");
    }

    @Test
    void thousandsOfHostileOperationsAreRefusedAndLeaveTheDropAsItWas() throws Exception {
        try (ClientSession other = login(OTHER); SftpClient theirs = SftpClientFactory.instance().createSftpClient(other)) {
            write(theirs, "/inbound/theirs.tmp", "another partner's upload in progress");
        }
        try (ClientSession session = login(PARTNER); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            // what is open: an upload answered in /outbound, and an upload of the partner's own still in progress
            upload(sftp, "/inbound/first.p7m", sealedC01());
            assertThat(awaitAnswer(sftp, FIRST_RECEIPT).path("status").asText()).isEqualTo("ACCEPTED");
            write(sftp, "/inbound/mine.tmp", "sealed, in progress");
            Map<String, String> before = tree(sftpRoot);
            assertThat(before).containsKeys(PARTNER + "/outbound/" + FIRST_RECEIPT, PARTNER + "/inbound/mine.tmp",
                    OTHER + "/inbound/theirs.tmp", "host-key", ".processing/" + PARTNER + "/");

            Hostile h = new Hostile(sftp, sftpRoot.resolve(PARTNER));
            long started = System.nanoTime();
            List<String> paths = hostilePaths();
            for (String p : paths) {
                h.everythingOn(p);
                // a refusal can come after the file system was touched (a folder made, then its attributes refused):
                // the tree says which path did it
                assertThat(tree(sftpRoot)).as("what was tried on " + p + " changed nothing").isEqualTo(before);
            }
            h.beyondThePaths();
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

            assertThat(paths).hasSizeGreaterThan(300);
            assertThat(h.refused).as("hostile operations refused").isGreaterThan(3000);
            assertThat(tree(sftpRoot)).as("nothing made, moved, changed or removed").isEqualTo(before);
            assertThat(SftpPartner.names(sftp, "/")).containsExactlyInAnyOrder("inbound", "outbound");
            System.out.println("HostileDropIT: " + h.refused + " hostile operations on " + paths.size()
                    + " paths refused in " + millis + " ms: " + h.outcomes);

            // what is open still works: an upload under a temporary name, renamed into its drop name, is answered
            upload(sftp, "/inbound/second.tmp", sealedC01());
            sftp.rename("/inbound/second.tmp", "/inbound/second.p7m");
            JsonNode second = awaitAnswer(sftp, "second.p7m.receipt.json");
            assertThat(second.path("status").asText()).isEqualTo("ACCEPTED");
            assertThat(read(sftp, "/outbound/" + FIRST_RECEIPT)).contains("ACCEPTED");
            sftp.remove("/outbound/" + FIRST_RECEIPT);

            Map<String, String> expected = new TreeMap<>(before);
            expected.remove(PARTNER + "/outbound/" + FIRST_RECEIPT);
            expected.put(PARTNER + "/outbound/second.p7m.receipt.json",
                    Rejections.sha256Hex(read(sftp, "/outbound/second.p7m.receipt.json").getBytes(StandardCharsets.UTF_8)));
            assertThat(tree(sftpRoot)).as("only what the allowed operations made").isEqualTo(expected);
        }
        hub.awaitPackages("police-fib", 2);
        hub.awaitRecorded();
        assertThat(hub.app().auditTrail().find(new AuditQuery(null, PARTNER, AuditEventType.SUBMISSION_ACCEPTED, null,
                null, null, 10))).as("the two allowed uploads, and nothing else").hasSize(2);
    }

    /** Paths outside what is open, or reaching into it by traversal (which the partner's rooted view keeps inside). */
    static List<String> hostilePaths() {
        List<String> prefixes = List.of("/", "/evil/", "/inbound/", "/inbound/sub/", "/outbound/", "/outbound/sub/",
                "/../", "/../../../", "/inbound/../", "/outbound/../", "//", "/./", "/.processing/",
                "/.processing/" + PARTNER + "/", "/../.processing/" + PARTNER + "/", "/../.processing/" + OTHER + "/",
                "/../" + OTHER + "/", "/../" + OTHER + "/inbound/", "/../" + OTHER + "/outbound/",
                "/../" + PARTNER + "/outbound/", "/inbound/.hidden/", "/outbound/./../inbound/sub/", "inbound/sub/",
                "../", "/../../etc/");
        List<String> names = List.of("evil", "x.p7m", ".processing", "Jamie Example 9990000018.p7m", "%2e%2e", "a b",
                "host-key", "..hidden.p7m", ".p7m", "CON", "x\\..\\y.p7m", "deep/er/x.p7m", "sub", FIRST_RECEIPT,
                "mine.tmp", "theirs.tmp", "0", "\u00e9t\u00e9.p7m", "passwd");
        Set<String> out = new LinkedHashSet<>();
        for (String prefix : prefixes) {
            for (String name : names) {
                String p = prefix + name;
                if (!inInbound(p)) {
                    out.add(p);
                }
            }
        }
        out.addAll(List.of("/", "/.", "..", "/..", "/inbound/..", "/outbound/.."));
        return new ArrayList<>(out);
    }

    /** Where a path lands in the partner's rooted view (relative to {@code /}; ".." never climbs above it). */
    static Path landing(String p) {
        return Path.of("/").resolve(p).normalize();
    }

    static boolean directlyIn(String p, String folder) {
        Path l = landing(p);
        return l.getNameCount() == 2 && l.getName(0).toString().equals(folder)
                && !l.getFileName().toString().startsWith(".");
    }

    static boolean inInbound(String p) {
        return directlyIn(p, "inbound");
    }

    static boolean inOutbound(String p) {
        return directlyIn(p, "outbound");
    }

    /** The operations tried, and the count of those refused as they must be. */
    static final class Hostile {
        final SftpClient sftp;
        final Path home;
        int refused;
        final Map<String, Integer> outcomes = new TreeMap<>();

        Hostile(SftpClient sftp, Path home) {
            this.sftp = sftp;
            this.home = home;
        }

        /** Every operation on {@code p} that is not one of the open ones. */
        void everythingOn(String p) {
            mkdir("mkdir " + p, p, () -> sftp.mkdir(p));
            refused("rmdir " + p, p, () -> sftp.rmdir(p));
            refused("symlink at " + p, null, () -> sftp.symLink(p, "/inbound/mine.tmp"));
            refused("symlink to " + p, null, () -> sftp.symLink("/inbound/link.p7m", p));
            refused("hard link at " + p, null, () -> sftp.link(p, "/outbound/" + FIRST_RECEIPT, false));
            refused("hard link to " + p, null, () -> sftp.link("/inbound/link.p7m", p, false));
            refused("rename an upload to " + p, null, () -> sftp.rename("/inbound/mine.tmp", p));
            refused("rename an answer to " + p, null, () -> sftp.rename("/outbound/" + FIRST_RECEIPT, p));
            refused("rename " + p + " into inbound", p, () -> sftp.rename(p, "/inbound/taken.p7m"));
            refused("setstat " + p, p, () -> sftp.setStat(p, new SftpClient.Attributes().perms(0777)));
            if (!inOutbound(p)) {
                if (!isOpenFolder(p)) {
                    refused("list " + p, p, () -> SftpPartner.names(sftp, p));
                }
                refused("read " + p, p, () -> read(sftp, p));
                refused("remove " + p, p, () -> sftp.remove(p));
            }
            refused("write " + p, null, () -> write(sftp, p, "x"));
            refused("append to " + p, null, () -> sftp.open(p, SftpClient.OpenMode.Write, SftpClient.OpenMode.Append,
                    SftpClient.OpenMode.Create).close());
        }

        /** The operations on what is open that are not open themselves. */
        void beyondThePaths() {
            refused("read back an upload", null, () -> read(sftp, "/inbound/mine.tmp"));
            refused("remove an upload", null, () -> sftp.remove("/inbound/mine.tmp"));
            refused("rename an answer in outbound", null, () ->
                    sftp.rename("/outbound/" + FIRST_RECEIPT, "/outbound/renamed.json"));
            refused("overwrite an answer", null, () -> write(sftp, "/outbound/" + FIRST_RECEIPT, "{}"));
            refused("forge an answer", null, () -> write(sftp, "/outbound/forged.p7m.receipt.json", "{}"));
            for (String folder : List.of("/", "/.", "/inbound", "/outbound", "/inbound/", "/outbound/.", "inbound")) {
                refused("rmdir " + folder, null, () -> sftp.rmdir(folder));
                refused("remove " + folder, null, () -> sftp.remove(folder));
                for (int perms : new int[] {0777, 0, 0700, 01777}) {
                    refused("chmod " + Integer.toOctalString(perms) + " " + folder, null,
                            () -> sftp.setStat(folder, new SftpClient.Attributes().perms(perms)));
                }
                refused("touch " + folder, null, () -> sftp.setStat(folder, new SftpClient.Attributes()
                        .modifyTime(java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L))));
                refused("rename " + folder, null, () -> sftp.rename(folder, "/evil"));
                refused("rename " + folder + " over the other", null,
                        () -> sftp.rename(folder, folder.contains("inbound") ? "/outbound" : "/inbound"));
                refused("symlink over " + folder, null, () -> sftp.symLink(folder, "/"));
                refused("write over " + folder, null, () -> write(sftp, folder, "x"));
            }
        }

        static boolean isOpenFolder(String p) {
            Path l = landing(p);
            return l.getNameCount() == 0 || (l.getNameCount() == 1
                    && (l.getName(0).toString().equals("inbound") || l.getName(0).toString().equals("outbound")));
        }

        /** Whether the path exists as the partner sees it (its home is its {@code /}). */
        boolean exists(String p) {
            Path l = landing(p);
            return Files.exists(l.getNameCount() == 0 ? home : home.resolve(Path.of("/").relativize(l).toString()),
                    LinkOption.NOFOLLOW_LINKS);
        }

        boolean folderExists(String p) {
            Path l = landing(p);
            return Files.isDirectory(l.getNameCount() == 0 ? home : home.resolve(Path.of("/").relativize(l).toString()),
                    LinkOption.NOFOLLOW_LINKS);
        }

        void mkdir(String what, String p, SftpOp op) {
            attempt(what, p, true, op);
        }

        void refused(String what, String mayBeMissing, SftpOp op) {
            attempt(what, mayBeMissing, false, op);
        }

        /**
         * The operation must be refused as "permission denied"; "no such file" also counts where {@code target} (a
         * path as the partner sees it) does not exist, and, for a folder made, "already exists" where something is
         * there already as the partner sees it: then the operation could not have done anything, nor told more than
         * the partner's own listing shows.
         */
        private void attempt(String what, String target, boolean makesFolder, SftpOp op) {
            try {
                op.run();
            } catch (SftpException e) {
                int status = e.getStatus();
                boolean ok = status == SftpConstants.SSH_FX_PERMISSION_DENIED
                        || (status == SftpConstants.SSH_FX_NO_SUCH_FILE && target != null && !exists(target))
                        || (status == SftpConstants.SSH_FX_FILE_ALREADY_EXISTS && makesFolder && exists(target));
                if (!ok) {
                    fail(what + ": refused with status " + SftpConstants.getStatusName(status) + " ("
                            + e.getMessage() + "), not permission denied");
                }
                refused++;
                String outcome = SftpConstants.getStatusName(status);
                if (status == SftpConstants.SSH_FX_FILE_ALREADY_EXISTS && !folderExists(target)) {
                    outcome += " (mkdir on an answer in /outbound)"; // MINA says so before the policy is asked
                }
                outcomes.merge(outcome, 1, Integer::sum);
                return;
            } catch (IOException | RuntimeException e) {
                fail(what + ": " + e, e);
            }
            fail(what + ": was allowed");
        }
    }

    @FunctionalInterface
    interface SftpOp {
        void run() throws IOException;
    }

    static void write(SftpClient sftp, String path, String content) throws IOException {
        upload(sftp, path, content.getBytes(StandardCharsets.UTF_8));
    }

    static void upload(SftpClient sftp, String path, byte[] content) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(content);
        }
    }

    static String read(SftpClient sftp, String path) throws IOException {
        try (InputStream in = sftp.read(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonNode awaitAnswer(SftpClient sftp, String name) throws IOException {
        Await.value(name + " in /outbound", TIMEOUT, () -> SftpPartner.names(sftp, "/outbound"), n -> n.contains(name));
        return HubHttpClient.JSON.readTree(read(sftp, "/outbound/" + name));
    }

    /**
     * The whole tree under {@code dir}: each path (folders ending in {@code /}) with what it is: a folder, a link and
     * where it points, or a file's SHA-256.
     */
    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                String name = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(name, "link to " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(name + "/", "folder");
                } else {
                    out.put(name, Rejections.sha256Hex(Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }
}
