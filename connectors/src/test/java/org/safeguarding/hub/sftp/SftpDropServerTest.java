package org.safeguarding.hub.sftp;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.certificates.CertificateDirectory;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.Identity;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.settings.HubSettings;

/**
 * The drop with the real SSHD server and a real SFTP client, across "crashes": a file is taken only once the
 * client closed it; what an upload the hub never saw closed left behind is neither processed nor answered, and is
 * removed at the next start; a complete upload whose processing had not run is taken at start, answered once.
 */
class SftpDropServerTest {
    private static final String PARTNER = "lancs-police";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final TestPki PKI = TestPki.ec();

    @TempDir
    Path root;

    private final List<String> submitted = new CopyOnWriteArrayList<>();
    /** While set, intake answers "try again later" (the hub cannot store it now): the file stays in hand. */
    private final AtomicBoolean unavailable = new AtomicBoolean();
    private final DropIntake intake = (partner, cert, body) -> {
        String text;
        try (InputStream in = body.open()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        submitted.add(text);
        if (unavailable.get()) {
            return DropAnswer.retryLater();
        }
        return text.startsWith("sealed") && text.endsWith("-end")
                ? DropAnswer.receipt(("{\"status\":\"ACCEPTED\",\"receiptId\":\"r-" + text + "\"}")
                        .getBytes(StandardCharsets.UTF_8))
                : DropAnswer.problem("{\"code\":\"UNDECRYPTABLE\"}".getBytes(StandardCharsets.UTF_8));
    };
    private final CertificateDirectory certificates = new CertificateDirectory(PKI.dir(),
            new TrustValidator(new FileTrustMaterial(PKI.caPem(), PKI.crl())));
    private final List<AutoCloseable> open = new ArrayList<>();
    private SshClient ssh;

    @BeforeEach
    void client() {
        ssh = SshClient.setUpDefaultClient();
        ssh.setServerKeyVerifier((session, address, key) -> true);
        ssh.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // already gone
            }
        }
        ssh.stop();
    }

    private SftpDropServer server() throws IOException {
        SftpDropServer server = new SftpDropServer(new HubSettings.Sftp("127.0.0.1", 0), root, certificates,
                Set.of(PARTNER)::contains, intake, Clock.systemUTC());
        open.add(server);
        return server.start();
    }

    private SftpClient sftp(SftpDropServer server) throws IOException {
        ClientSession session = ssh.connect(PARTNER, "127.0.0.1", server.port()).verify(TIMEOUT).getSession();
        open.add(session);
        Identity id = PKI.identity(PARTNER);
        session.addPublicKeyIdentity(new KeyPair(id.certificate().getPublicKey(), id.privateKey()));
        session.auth().verify(TIMEOUT);
        SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
        open.add(sftp);
        return sftp;
    }

    private static void upload(SftpClient sftp, String name, String content) throws IOException {
        try (OutputStream out = sftp.write("/inbound/" + name)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> names(SftpClient sftp, String dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (SftpClient.DirEntry e : sftp.readDir(dir)) {
            if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
                names.add(e.getFilename());
            }
        }
        return names;
    }

    private static String read(SftpClient sftp, String path) throws IOException {
        try (InputStream in = sftp.read(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Bounded wait for a check that may throw (an exception counts as "not yet"). */
    private static void await(String what, Duration timeout, java.util.concurrent.Callable<Boolean> check) {
        Await.value(what, timeout, check, Boolean::booleanValue);
    }

    private DropFolders folders() {
        return new DropFolders(root);
    }

    @Test
    void aCompleteUploadIsAnsweredOnceWithItsReceipt() throws Exception {
        SftpDropServer server = server();
        SftpClient sftp = sftp(server);
        upload(sftp, "a.p7m", "sealed-a-end");

        await("a.p7m's receipt", TIMEOUT, () -> names(sftp, "/outbound").contains("a.p7m.receipt.json"));
        server.drain();
        assertThat(read(sftp, "/outbound/a.p7m.receipt.json")).contains("r-sealed-a-end");
        assertThat(names(sftp, "/outbound")).containsExactly("a.p7m.receipt.json");
        assertThat(names(sftp, "/inbound")).isEmpty();
        assertThat(submitted).containsExactly("sealed-a-end");
    }

    @Test
    void aFileStillOpenForWritingIsNotTakenUntilTheClientClosesIt() throws Exception {
        SftpDropServer server = server();
        SftpClient sftp = sftp(server);
        try (OutputStream out = sftp.write("/inbound/slow.p7m")) {
            out.write("sealed-slow".getBytes(StandardCharsets.UTF_8));
            out.flush(); // the bytes so far are on the server: the file is there, half-written
            await("the half-written file on the server", TIMEOUT,
                    () -> Files.size(folders().inbound(PARTNER).resolve("slow.p7m")) > 0);
            server.drain();
            assertThat(submitted).isEmpty();
            out.write("-end".getBytes(StandardCharsets.UTF_8));
        }
        await("slow.p7m's receipt", TIMEOUT, () -> names(sftp, "/outbound").contains("slow.p7m.receipt.json"));
        assertThat(submitted).containsExactly("sealed-slow-end");
    }

    @Test
    void whatAnUploadCutByACrashLeftIsNeitherProcessedNorAnsweredAndIsRemovedAtStart() throws Exception {
        // as kill -9 leaves it: the partial file in the partner's inbound/, the close never seen
        DropFolders folders = folders();
        folders.ensure(PARTNER);
        Files.writeString(folders.inbound(PARTNER).resolve("cut.p7m"), "sealed-cu");

        SftpDropServer server = server();
        server.drain();
        SftpClient sftp = sftp(server);
        assertThat(submitted).as("intake never saw the partial file").isEmpty();
        assertThat(names(sftp, "/outbound")).as("no answer for it").isEmpty();
        assertThat(names(sftp, "/inbound")).as("removed").isEmpty();

        // the partner, having no answer, uploads it again: one answer, the receipt
        upload(sftp, "cut.p7m", "sealed-cut-end");
        await("cut.p7m's receipt", TIMEOUT, () -> names(sftp, "/outbound").contains("cut.p7m.receipt.json"));
        server.drain();
        assertThat(names(sftp, "/outbound")).containsExactly("cut.p7m.receipt.json");
        assertThat(submitted).containsExactly("sealed-cut-end");
    }

    @Test
    void anUploadCutWhenTheServerStopsIsNeverTaken() throws Exception {
        SftpDropServer first = server();
        SftpClient sftp = sftp(first);
        OutputStream out = sftp.write("/inbound/cut.p7m");
        out.write("sealed-cu".getBytes(StandardCharsets.UTF_8));
        out.flush();
        await("the half-written file on the server", TIMEOUT,
                () -> Files.isRegularFile(folders().inbound(PARTNER).resolve("cut.p7m"))
                        && Files.size(folders().inbound(PARTNER).resolve("cut.p7m")) > 0);
        first.close(); // the session ends without the client's close

        SftpDropServer second = server();
        second.drain();
        assertThat(submitted).isEmpty();
        assertThat(folders().inbound(PARTNER).resolve("cut.p7m")).doesNotExist();
        assertThat(folders().outbound(PARTNER)).isEmptyDirectory();
    }

    @Test
    void aCompleteUploadWhoseProcessingDidNotRunBeforeACrashIsTakenAtStartAndAnsweredOnce() throws Exception {
        unavailable.set(true); // the first hub takes the upload but cannot get it stored before it "crashes"
        SftpDropServer first = server();
        SftpClient sftp = sftp(first);
        upload(sftp, "kept.p7m", "sealed-kept-end");
        await("intake offered the upload", TIMEOUT, () -> !submitted.isEmpty());
        first.close();
        assertThat(folders().outbound(PARTNER)).isEmptyDirectory();
        assertThat(folders().inbound(PARTNER)).as("out of the partner's reach once complete").isEmptyDirectory();

        unavailable.set(false);
        submitted.clear();
        SftpDropServer second = server();
        SftpClient again = sftp(second);
        await("kept.p7m's receipt", TIMEOUT, () -> names(again, "/outbound").contains("kept.p7m.receipt.json"));
        second.drain();
        assertThat(submitted).containsExactly("sealed-kept-end");
        assertThat(names(again, "/outbound")).containsExactly("kept.p7m.receipt.json");
        assertThat(read(again, "/outbound/kept.p7m.receipt.json")).contains("r-sealed-kept-end");

        // a third start finds nothing left to take: answered once
        second.close();
        submitted.clear();
        SftpDropServer third = server();
        third.drain();
        assertThat(submitted).isEmpty();
        assertThat(folders().outbound(PARTNER).resolve("kept.p7m.receipt.json")).exists();
    }
}
