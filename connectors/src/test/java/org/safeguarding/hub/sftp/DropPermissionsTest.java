package org.safeguarding.hub.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * A partner's SFTP session against the real server may list {@code /}, {@code /inbound} and {@code /outbound}, write
 * in {@code /inbound} (renaming there), read and delete in {@code /outbound}, and nothing else: well over a thousand
 * hostile operations (folders, files elsewhere, links of both kinds, renames across folders, traversal, attributes)
 * are each refused as "permission denied", and afterwards the partner's home holds exactly what the allowed
 * operations made.
 */
class DropPermissionsTest {
    private static final String PARTNER = "lancs-police";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final TestPki PKI = TestPki.ec();

    @TempDir
    Path root;

    private SftpDropServer server;
    private SshClient ssh;
    private ClientSession session;
    private SftpClient sftp;

    @BeforeEach
    void connect() throws IOException {
        CertificateDirectory certificates = new CertificateDirectory(PKI.dir(),
                new TrustValidator(new FileTrustMaterial(PKI.caPem(), PKI.crl())));
        DropIntake parksEverything = (partner, cert, body) -> org.safeguarding.hub.sftp.DropAnswer.retryLater();
        server = new SftpDropServer(new HubSettings.Sftp("127.0.0.1", 0), root, certificates,
                Set.of(PARTNER)::contains, parksEverything, Clock.systemUTC()).start();
        ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier((s, address, key) -> true);
        ssh.start();
        session = ssh.connect(PARTNER, "127.0.0.1", server.port()).verify(TIMEOUT).getSession();
        Identity id = PKI.identity(PARTNER);
        session.addPublicKeyIdentity(new KeyPair(id.certificate().getPublicKey(), id.privateKey()));
        session.auth().verify(TIMEOUT);
        sftp = SftpClientFactory.instance().createSftpClient(session);
    }

    @AfterEach
    void close() throws IOException {
        sftp.close();
        session.close();
        ssh.stop();
        server.close();
    }

    @Test
    void whatIsOpenWorks() throws Exception {
        assertThat(names("/")).contains("inbound", "outbound");
        write("/inbound/upload.tmp", "sealed");
        sftp.rename("/inbound/upload.tmp", "/inbound/upload.p7m"); // renamed into its drop name: taken by the drop
        assertThat(names("/inbound")).doesNotContain("upload.tmp");
        Path outbound = new DropFolders(root).outbound(PARTNER);
        Files.writeString(outbound.resolve("x.receipt.json"), "{}");
        assertThat(read("/outbound/x.receipt.json")).isEqualTo("{}");
        sftp.remove("/outbound/x.receipt.json");
        assertThat(names("/outbound")).doesNotContain("x.receipt.json");
    }

    @Test
    void everythingElseIsRefusedAndLeavesNoTrace() throws Exception {
        Path home = new DropFolders(root).home(PARTNER);
        Path outbound = new DropFolders(root).outbound(PARTNER);
        Files.writeString(outbound.resolve("answer.receipt.json"), "{}");
        write("/inbound/mine.tmp", "sealed"); // an upload of the partner's own, for the renames below
        Set<String> before = tree(root);

        List<String> paths = hostilePaths();
        int refused = 0;
        for (String p : paths) {
            refused += refusedAll(p);
        }
        // a rename in or out of /inbound, to or from anywhere else
        for (String p : paths) {
            refused += expectRefused("rename into " + p, () -> sftp.rename("/inbound/mine.tmp", p));
            refused += expectRefused("rename from " + p, p, () -> sftp.rename(p, "/inbound/taken.p7m"));
        }
        refused += expectRefused("rename the outbound answer", () ->
                sftp.rename("/outbound/answer.receipt.json", "/outbound/renamed.json"));
        refused += expectRefused("read back an upload", () -> read("/inbound/mine.tmp"));
        refused += expectRefused("remove an upload", () -> sftp.remove("/inbound/mine.tmp"));
        refused += expectRefused("remove inbound", () -> sftp.rmdir("/inbound"));
        refused += expectRefused("chmod inbound", () -> sftp.setStat("/inbound",
                new SftpClient.Attributes().perms(0777)));
        refused += expectRefused("chmod the root", () -> sftp.setStat("/", new SftpClient.Attributes().perms(0777)));
        refused += expectRefused("write to the outbound folder", () -> write("/outbound/forged.receipt.json", "{}"));

        assertThat(refused).isGreaterThan(1000);
        assertThat(tree(root)).as("nothing made, moved or removed").isEqualTo(before);
        assertThat(Files.isDirectory(home.resolve("evil"))).isFalse();
    }

    /** Every operation on {@code p} that is not one of the open ones; the count of refusals. */
    private int refusedAll(String p) {
        int n = 0;
        n += expectRefused("mkdir " + p, p, () -> sftp.mkdir(p));
        n += expectRefused("rmdir " + p, p, () -> sftp.rmdir(p));
        n += expectRefused("symlink " + p, () -> sftp.symLink(p, "/etc/passwd"));
        n += expectRefused("symlink to " + p, () -> sftp.symLink("/inbound/link.p7m", p));
        n += expectRefused("hard link " + p, () -> sftp.link("/outbound/answer.receipt.json", p, false));
        if (!inOutbound(p)) {
            n += expectRefused("read " + p, p, () -> read(p));
            n += expectRefused("remove " + p, p, () -> sftp.remove(p));
        }
        if (!inInbound(p)) {
            n += expectRefused("write " + p, () -> write(p, "x"));
            n += expectRefused("chmod " + p, p, () -> sftp.setStat(p, new SftpClient.Attributes().perms(0777)));
        }
        return n;
    }

    /** Paths outside what is open, or reaching it by traversal (which the rooted file system resolves inside). */
    private static List<String> hostilePaths() {
        List<String> prefixes = List.of("/", "/evil/", "/inbound/sub/", "/outbound/sub/", "/../", "/../../",
                "/inbound/../", "/outbound/../", "//", "/./", "/.processing/", "/.processing/lancs-police/",
                "/../.processing/lancs-police/", "/../other-partner/inbound/", "/inbound/.hidden/");
        List<String> names = List.of("evil", "x.p7m", ".processing", "Jamie Example 9990000018.p7m", "%2e%2e",
                "a b", "host-key", "..hidden.p7m", ".p7m", "CON", "x\\..\\y.p7m", "deep/er/x.p7m", "sub",
                "answer.receipt.json", "0", "\u00e9t\u00e9.p7m");
        Set<String> out = new LinkedHashSet<>();
        for (String prefix : prefixes) {
            for (String name : names) {
                String p = prefix + name;
                if (!inInbound(p) || name.startsWith(".")) {
                    out.add(p);
                }
            }
        }
        out.add("/");
        out.add("/.");
        return new ArrayList<>(out);
    }

    /** Where the path lands in the partner's rooted view: ".." never climbs above its root. */
    private static Path landing(String p) {
        return Path.of("/").resolve(p.replace('\\', '\\')).normalize();
    }

    private static boolean inInbound(String p) {
        Path l = landing(p);
        return l.getNameCount() == 2 && l.getName(0).toString().equals("inbound")
                && !l.getFileName().toString().startsWith(".");
    }

    private static boolean inOutbound(String p) {
        Path l = landing(p);
        return l.getNameCount() == 2 && l.getName(0).toString().equals("outbound")
                && !l.getFileName().toString().startsWith(".");
    }

    @FunctionalInterface
    private interface SftpOp {
        void run() throws IOException;
    }

    private int expectRefused(String what, SftpOp op) {
        return expectRefused(what, null, op);
    }

    /**
     * The operation must be refused as "permission denied"; "no such file" also counts where {@code mustExist} (a
     * path as the partner sees it) does not exist, and "already exists" where it does: then the operation could not
     * have done anything, nor revealed more than the partner's own listing shows.
     */
    private int expectRefused(String what, String mustExist, SftpOp op) {
        try {
            op.run();
        } catch (SftpException e) {
            int status = e.getStatus();
            if (status == SftpConstants.SSH_FX_PERMISSION_DENIED) {
                return 1;
            }
            if (status == SftpConstants.SSH_FX_NO_SUCH_FILE && mustExist != null && !existsForPartner(mustExist)) {
                return 1;
            }
            if (status == SftpConstants.SSH_FX_FILE_ALREADY_EXISTS && mustExist != null && existsForPartner(mustExist)) {
                return 1; // making what is there already
            }
            fail(what + ": refused with status " + status + " (" + e.getMessage() + "), not permission denied");
        } catch (IOException e) {
            fail(what + ": " + e);
        }
        fail(what + ": was allowed");
        return 0;
    }

    private boolean existsForPartner(String p) {
        Path l = landing(p);
        Path home = new DropFolders(root).home(PARTNER);
        return Files.exists(l.getNameCount() == 0 ? home : home.resolve(Path.of("/").relativize(l).toString()));
    }

    private void write(String path, String content) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String read(String path) throws IOException {
        try (InputStream in = sftp.read(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> names(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (SftpClient.DirEntry e : sftp.readDir(dir)) {
            names.add(e.getFilename());
        }
        return names;
    }

    private static Set<String> tree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            Set<String> out = new TreeSet<>();
            all.filter(p -> !p.getFileName().toString().equals("host-key"))
                    .forEach(p -> out.add(dir.relativize(p) + (Files.isDirectory(p) ? "/" : "")));
            return out;
        }
    }
}
