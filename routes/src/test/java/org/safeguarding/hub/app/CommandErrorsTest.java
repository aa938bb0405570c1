package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * Every failure of the partner and recipient commands is one line that names what failed and what to do, with its own
 * exit code, and no stack trace: run in-process against real TLS sockets (a JDK HTTPS server as the hub).
 */
class CommandErrorsTest {
    private static final TestPki PKI = TestPki.ec();
    private static final TestPki OTHER = TestPki.foreign();

    @TempDir
    Path dir;
    private HttpsServer server;

    record Run(int exit, String out, String err) {
    }

    static Run hub(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HubCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), false);
        return new Run(exit, out.toString(), err.toString());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void assertOneLine(Run r) {
        assertThat(r.err().lines().toList()).as(r.err()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("hub: ").doesNotContain("Exception"));
    }

    private Path anySealedFile() throws Exception {
        return Files.write(dir.resolve("sub.p7m"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});
    }

    @Test
    void aMissingFileIsNamedWithWhatToCheck() {
        Path missing = dir.resolve("nosuch.p7m");

        Run r = hub("submit", "--url", "https://localhost:1/", "--cert", PKI.p12("lancs-police").toString(),
                "--ca", PKI.caPem().toString(), missing.toString());

        assertThat(r.exit()).isEqualTo(CommandErrors.USAGE);
        assertOneLine(r);
        assertThat(r.err()).contains("cannot read " + missing + ": no such file").contains("check the path");
    }

    @Test
    void aMissingCertificateOrCaIsNamed() {
        Path missing = dir.resolve("nosuch-ca.pem");

        Run r = hub("submit", "--cert", PKI.p12("lancs-police").toString(), "--ca", missing.toString(),
                dir.resolve("x.p7m").toString());

        assertThat(r.exit()).isEqualTo(CommandErrors.USAGE);
        assertOneLine(r);
        assertThat(r.err()).contains("cannot read " + missing + ": no such file");
    }

    @Test
    void anUnknownRecipientForAsSaysWhereItLookedAndWhoIsThere() {
        Run r = hub("receive", "--as", "nobody", "--pki", PKI.dir().toString(), "--out", dir.resolve("in").toString());

        assertThat(r.exit()).isEqualTo(CommandErrors.USAGE);
        assertOneLine(r);
        assertThat(r.err()).contains("no participant nobody in " + PKI.dir())
                .contains(PKI.dir().resolve("nobody.p12").toString())
                .contains("give --as one of: ").contains("mash-bpl").contains("lancs-police")
                .doesNotContain(" hub,");
    }

    @Test
    void aHubThatIsNotThereIsNamedWithItsUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = hub("submit", "--url", "https://localhost:" + port, "--cert", PKI.p12("lancs-police").toString(),
                "--ca", PKI.caPem().toString(), anySealedFile().toString());

        assertThat(r.exit()).isEqualTo(CommandErrors.UNREACHABLE);
        assertOneLine(r);
        assertThat(r.err()).contains("cannot connect to https://localhost:" + port + "/: connection refused")
                .contains("is the hub running? check --url");
    }

    @Test
    void aHubCertificateTheCaDoesNotVouchForNamesTheCaFile() throws Exception {
        serve(false);

        Run r = hub("submit", "--url", url(), "--cert", PKI.p12("lancs-police").toString(),
                "--ca", OTHER.caPem().toString(), anySealedFile().toString());

        assertThat(r.exit()).isEqualTo(CommandErrors.UNREACHABLE);
        assertOneLine(r);
        assertThat(r.err()).contains("the hub's certificate at " + url() + " is not trusted by --ca " + OTHER.caPem())
                .contains("give the partnership CA").doesNotContain("PKIX path");
    }

    @Test
    void aRepeatSubmissionSaysItIsARepeatOfTheFirstReceipt() throws Exception {
        serve(true);
        String receipt = "{\"submissionId\":\"5d0e7f0e-1a2b-4c3d-8e9f-000000000001\",\"receiptId\":"
                + "\"7a1b2c3d-0000-4000-8000-000000000042\",\"status\":\"ACCEPTED\"}";
        server.createContext("/api/v1/submissions", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                byte[] body = receipt.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });

        Run r = hub("submit", "--url", url(), "--cert", PKI.p12("lancs-police").toString(),
                "--ca", PKI.caPem().toString(), anySealedFile().toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().trim()).isEqualTo(receipt);
        assertThat(r.err()).contains("a repeat").contains("first receipt 7a1b2c3d-0000-4000-8000-000000000042")
                .contains("nothing new was accepted");
    }

    @Test
    void aStackTraceOnlyWithDebug() {
        StringWriter err = new StringWriter();
        int exit = HubCommand.execute(new String[] {"submit", "--cert", PKI.p12("lancs-police").toString(), "--ca",
                dir.resolve("none.pem").toString(), "x.p7m"}, new PrintWriter(new StringWriter()), new PrintWriter(err),
                true);

        assertThat(exit).isEqualTo(CommandErrors.USAGE);
        assertThat(err.toString()).startsWith("hub: cannot read ").contains("NoSuchFileException").contains("\tat ");
    }

    @Test
    void helpListsTheExitCodes() {
        for (String[] args : new String[][] {{"--help"}, {"submit", "--help"}, {"pki", "issue", "--help"}}) {
            Run r = hub(args);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("Exit codes:").contains("5   the hub could not be reached")
                    .contains("2   the command line, or a file or folder it names, cannot be used")
                    .contains("HUB_DEBUG=1");
        }
    }

    private String url() {
        return "https://localhost:" + server.getAddress().getPort() + "/";
    }

    /** A hub-shaped HTTPS server with the hub's certificate, asking for (and checking) a client certificate. */
    private void serve(boolean clientAuth) throws Exception {
        char[] pw = TestPki.PASSWORD.toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(PKI.p12("hub"))) {
            ks.load(in, pw);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificate(PKI.caPem()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ssl.getDefaultSSLParameters();
                p.setNeedClientAuth(clientAuth);
                params.setSSLParameters(p);
            }
        });
        server.start();
    }
}
