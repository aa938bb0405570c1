package org.safeguarding.hub.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.FileTrustMaterial;
import org.safeguarding.hub.crypto.TrustValidator;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.TestPki;
import org.safeguarding.hub.error.ErrorCode;
import org.safeguarding.hub.settings.HubSettings;

/**
 * One partner's slow uploads cannot lock the others out: over raw TLS sockets, a partner that declares 1 MB and
 * sends a byte every second on more connections than there are slots gets at most its share of them, each cut with
 * 408 once it falls under the minimum rate; meanwhile another partner sends 2 MiB at an honest but modest
 * 256 KiB/s and is answered. Bodies being uploaded together are held to the spool limit.
 */
class SlowUploadTest {
    static final TestPki PKI = TestPki.ec();
    static final int SLOTS = 8;
    static final int PER_PARTNER = 4;

    Vertx vertx;
    HttpsApiServer server;
    final List<ErrorCode> audited = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(4);
    final List<SSLSocket> sockets = new CopyOnWriteArrayList<>();

    void start(long maxSpooledBytes) {
        vertx = Vertx.vertx();
        TrustValidator trust = new TrustValidator(new FileTrustMaterial(PKI.caPem(), PKI.crl()));
        server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, 8 * 1024 * 1024, SLOTS, PER_PARTNER,
                16 * 1024, Duration.ofMinutes(2), maxSpooledBytes, null),
                TlsMaterial.keyManager(PKI.identity("hub")), trust.tlsTrustManager(Clock.systemUTC()),
                new RecordingApi() {
                    @Override
                    public void refusedBeforeIntake(Caller caller, ErrorCode code) {
                        audited.add(code);
                    }
                });
        server.start();
    }

    @BeforeEach
    void defaults() {
        start(1024L * 1024 * 1024);
    }

    @AfterEach
    void stop() throws IOException {
        pacer.shutdownNow();
        for (SSLSocket s : sockets) {
            s.close();
        }
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    SSLSocket connect(String partner) throws Exception {
        SSLContext ssl = TlsClients.context(PKI.p12(partner), PKI.caPem());
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", server.port());
        s.setSoTimeout(60_000);
        s.startHandshake();
        sockets.add(s);
        return s;
    }

    static void head(OutputStream out, long length) throws IOException {
        out.write(("POST /api/v1/submissions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/pkcs7-mime\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The status line's code of the first answer on the socket, or -1 if it closed without one. */
    static int status(SSLSocket s) {
        try {
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            String[] parts = line.toString().split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Declares 1 MB and sends one byte a second: the answer it gets in the end. */
    CompletableFuture<Integer> slowAttacker() throws Exception {
        SSLSocket s = connect("lancs-police");
        OutputStream out = s.getOutputStream();
        head(out, 1_000_000);
        pacer.scheduleAtFixedRate(() -> {
            try {
                out.write('x');
                out.flush();
            } catch (IOException closed) {
                // the hub cut it
            }
        }, 0, 1, TimeUnit.SECONDS);
        return CompletableFuture.supplyAsync(() -> status(s));
    }

    @Test
    void aSlowPartnerTakesOnlyItsShareAndIsCutWhileAnHonestPartnersLargeUploadGetsIn() throws Exception {
        List<CompletableFuture<Integer>> attackers = new ArrayList<>();
        for (int i = 0; i < SLOTS + 2; i++) {
            attackers.add(slowAttacker());
        }
        Await.until("the slow partner to hold its share of the slots", Duration.ofSeconds(20),
                () -> server.submissionsInHand("lancs-police") == PER_PARTNER);

        // the honest partner: 2 MiB at 256 KiB/s, in 32 KiB writes every 125 ms
        SSLSocket honest = connect("nhs-lsc");
        OutputStream out = honest.getOutputStream();
        int total = 2 * 1024 * 1024;
        head(out, total);
        byte[] piece = new byte[32 * 1024];
        CompletableFuture<Void> sent = new CompletableFuture<>();
        int[] written = {0};
        pacer.scheduleAtFixedRate(() -> {
            if (sent.isDone()) {
                return;
            }
            try {
                out.write(piece);
                out.flush();
                written[0] += piece.length;
                if (written[0] >= total) {
                    sent.complete(null);
                }
            } catch (IOException e) {
                sent.completeExceptionally(e);
            }
        }, 0, 125, TimeUnit.MILLISECONDS);
        sent.get(60, TimeUnit.SECONDS);
        assertThat(status(honest)).as("the honest partner's upload is taken").isEqualTo(202);

        List<Integer> answers = new ArrayList<>();
        for (CompletableFuture<Integer> a : attackers) {
            answers.add(a.get(60, TimeUnit.SECONDS));
        }
        assertThat(answers).as("beyond its share: 503 at once; within it: cut as too slow")
                .containsOnly(503, 408);
        assertThat(answers.stream().filter(a -> a == 408).count()).isEqualTo(PER_PARTNER);
        assertThat(audited).containsOnly(ErrorCode.BODY_TOO_SLOW).hasSize(PER_PARTNER);
        Await.until("every slot to be free again", Duration.ofSeconds(10),
                () -> server.submissionsInHand("lancs-police") == 0 && server.bytesBeingSpooled() == 0);
    }

    @Test
    void bodiesBeingUploadedTogetherAreHeldToTheSpoolLimit() throws Exception {
        stop();
        start(1024 * 1024);
        SSLSocket first = connect("lancs-police");
        head(first.getOutputStream(), 900 * 1024);
        first.getOutputStream().write(new byte[800 * 1024]);
        first.getOutputStream().flush();
        Await.until("the first body to be spooling", Duration.ofSeconds(10),
                () -> server.bytesBeingSpooled() >= 800 * 1024);

        SSLSocket second = connect("nhs-lsc");
        head(second.getOutputStream(), 900 * 1024);
        try {
            second.getOutputStream().write(new byte[900 * 1024]);
            second.getOutputStream().flush();
        } catch (IOException cut) {
            // answered and closed before all of it went
        }
        assertThat(status(second)).isEqualTo(503);

        first.getOutputStream().write(new byte[100 * 1024]);
        first.getOutputStream().flush();
        assertThat(status(first)).isEqualTo(202);
        Await.until("the spool to be empty again", Duration.ofSeconds(10), () -> server.bytesBeingSpooled() == 0);
    }
}
