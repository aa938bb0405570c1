package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.audit.AuditEventType;
import org.safeguarding.hub.audit.AuditQuery;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * A recipient registers a webhook; when an urgent package arrives for it the hub posts, over mutual TLS with its own
 * certificate, a notice signed by the hub (OpenSSL verifies it against the partnership CA) naming the package and
 * its deadline and nothing of its content; a routine package gives no notice; bad registrations are refused at the
 * url field; a partner may not register one; removing it works. Real sockets both ways.
 */
class WebhookIT {
    static RunningHub hub;
    static HttpsServer endpoint;
    static final List<byte[]> received = new CopyOnWriteArrayList<>();
    static final List<String> clients = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        hub = RunningHub.start(TestPki.ec(), "");
        TestPki pki = hub.pki();
        // the recipient's own endpoint: a server certificate of the partnership CA (the test borrows the hub's, the
        // one with a localhost name), client certificates required
        endpoint = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.setHttpsConfigurator(new HttpsConfigurator(RetryingPartner.sslContext(pki.p12("hub"), pki.caPem())) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        endpoint.createContext("/notices", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                clients.add(((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession().getPeerPrincipal()
                        .getName());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                clients.add("no client certificate");
            }
            received.add(body);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        endpoint.start();
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.stop(0);
        }
        if (hub != null) {
            hub.close();
        }
    }

    static String url() {
        return "https://localhost:" + endpoint.getAddress().getPort() + "/notices";
    }

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    String submit(String file, java.util.function.Consumer<ObjectNode> change) throws Exception {
        TestPki pki = hub.pki();
        ObjectNode n = (ObjectNode) HubHttpClient.JSON.readTree(Submissions.current(file));
        change.accept(n);
        HttpResponse<byte[]> r = hub.client("lancs-police").submit(OpenSsl.signAndEncrypt(
                HubHttpClient.JSON.writeValueAsBytes(n), pki.cert("lancs-police"), pki.key("lancs-police"),
                pki.cert("hub"), "-aes-256-gcm"));
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        return n.path("submissionId").asText();
    }

    @Test
    void anUrgentPackageIsAnnouncedToTheRecipientsWebhookSignedAndWithoutContent() throws Exception {
        TestPki pki = hub.pki();
        HubHttpClient fib = hub.client("police-fib");
        for (String bad : List.of("{\"url\":\"http://localhost/x\"}", "{\"url\":\"not a url at all\"}",
                "{\"url\":\"https://user:secret@localhost/x\"}", "{}", "[1]", "{\"url\":\"https:/x\"}")) {
            HttpResponse<byte[]> r = fib.put("api/v1/inbox/webhook", json(bad));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as("names the field, not the value")
                    .contains("url").doesNotContain("secret");
        }
        assertThat(hub.client("lancs-police").put("api/v1/inbox/webhook", json("{\"url\":\"" + url() + "\"}"))
                .statusCode()).as("a partner has no inbox").isEqualTo(403);
        assertThat(fib.put("api/v1/inbox/webhook", json("{\"url\":\"" + url() + "\"}")).statusCode()).isEqualTo(200);
        assertThat(HubHttpClient.json(fib.get("api/v1/inbox/webhook")).path("url").asText()).isEqualTo(url());

        // routine first (its partner says so), then urgent (handling code C: PRIORITY by the partnership's rules)
        String routine = submit("C01-police-cce-blackpool.json", n -> n.put("urgency", "ROUTINE"));
        String urgent = submit("C06-police-trafficking-placed-child.json", n -> { });
        JsonNode notice = Await.value("the webhook notice of the urgent package", Duration.ofSeconds(60), () -> {
            for (byte[] b : received) {
                JsonNode n = HubHttpClient.JSON.readTree(OpenSsl.verify(b, pki.caPem()));
                if (n.path("submissionId").asText().equals(urgent)) {
                    return n;
                }
            }
            return null;
        }, n -> n != null);
        assertThat(notice.path("kind").asText()).isEqualTo("urgent-package-waiting");
        assertThat(notice.path("recipient").asText()).isEqualTo("police-fib");
        assertThat(notice.path("urgency").asText()).isEqualTo("PRIORITY");
        assertThat(notice.path("acknowledgeBy").asText()).isNotBlank();
        assertThat(notice.has("submission")).isFalse();
        assertThat(notice.toString()).as("no content").doesNotContain("Nail bar").doesNotContain("Taylor");
        assertThat(clients).as("the hub authenticated with its own certificate").allSatisfy(c ->
                assertThat(c).contains("CN=hub"));
        hub.awaitRecorded();
        List<JsonNode> inbox = HubHttpClient.json(fib.get("api/v1/inbox")).findParents("packageId");
        assertThat(inbox).anySatisfy(e -> assertThat(e.path("packageId").asText())
                .isEqualTo(notice.path("packageId").asText()));
        for (byte[] b : received) {
            assertThat(HubHttpClient.JSON.readTree(OpenSsl.verify(b, pki.caPem())).path("submissionId").asText())
                    .as("the routine package, routed before the urgent one, gave no notice").isNotEqualTo(routine);
        }
        Await.until("the notice audited", Duration.ofSeconds(30), () -> !hub.app().auditTrail().find(
                new AuditQuery(urgent, null, AuditEventType.WEBHOOK_NOTIFIED, null, null, null, 10)).isEmpty());

        assertThat(fib.delete("api/v1/inbox/webhook").statusCode()).isEqualTo(204);
        assertThat(fib.get("api/v1/inbox/webhook").statusCode()).isEqualTo(404);
        assertThat(hub.app().auditTrail().find(new AuditQuery(null, "police-fib", AuditEventType.WEBHOOK_CHANGED,
                null, null, null, 10))).hasSize(2);
    }
}
