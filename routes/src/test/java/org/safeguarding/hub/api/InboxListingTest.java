package org.safeguarding.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.broker.BrokerInbox;
import org.safeguarding.hub.broker.EmbeddedBroker;
import org.safeguarding.hub.broker.QueueNames;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.http.HttpsApiServer;
import org.safeguarding.hub.http.TlsMaterial;
import org.safeguarding.hub.registry.DeliveryRecord;
import org.safeguarding.hub.registry.DeliveryState;
import org.safeguarding.hub.settings.HubSettings;
import org.safeguarding.hub.testing.RealParts;

/**
 * {@code GET /api/v1/inbox} over real mutual TLS against the real registry and broker, with 4,000 packages pending
 * for one recipient: followed page by page through {@code Link rel="next"}, every pending package appears on exactly
 * one page, oldest first, with {@code Inbox-Pending} giving the total; ten listings in a row agree exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboxListingTest {
    static final int PENDING = 4_000;
    static final String RECIPIENT = "police-fib";
    static final Pattern NEXT = Pattern.compile("<(/api/v1/inbox\\?after=([0-9a-f-]{36})&limit=([0-9]+))>; rel=\"next\"");

    @TempDir
    static Path dir;
    RealParts parts;
    EmbeddedBroker broker;
    Vertx vertx;
    HttpsApiServer server;
    HttpClient client;
    final List<String> expected = new ArrayList<>();
    org.safeguarding.hub.auditing.AuditFeed feed;

    @BeforeAll
    void start() throws Exception {
        Clock clock = Clock.systemUTC();
        parts = new RealParts(dir, clock);
        broker = new EmbeddedBroker(new HubSettings.Broker(dir.resolve("broker"), 0, 0, 3, Duration.ZERO,
                Duration.ZERO), List.of(RECIPIENT, "mash-bpl"), id -> true, (who, what) -> { });
        broker.start();
        HubApiService api = new HubApiService(null, parts.partnership, parts.registry,
                new BrokerInbox(broker.connectionFactory()), parts.audit, null, null, RealParts.JSON, parts.spool,
                feed = parts.feed(broker));
        vertx = Vertx.vertx();
        server = new HttpsApiServer(vertx, new HubSettings.Http("127.0.0.1", 0, 64 * 1024, 4),
                TlsMaterial.keyManager(parts.hub), parts.trust.tlsTrustManager(clock), api, parts.spool);
        server.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl(RECIPIENT)).build();
        route();
    }

    /** 4,000 packages as routing leaves them: on the recipient's queue and in the registry; some share a time. */
    void route() throws Exception {
        Instant t0 = Instant.parse("2026-11-27T09:00:00Z");
        List<DeliveryRecord> records = new ArrayList<>();
        try (Connection c = broker.connectionFactory().createConnection();
             Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = s.createProducer(s.createQueue(QueueNames.inbox(RECIPIENT)));
            for (int i = 0; i < PENDING; i++) {
                DeliveryRecord d = new DeliveryRecord("lancs-police", UUID.randomUUID().toString(), RECIPIENT,
                        UUID.randomUUID().toString(), t0.plusMillis(i / 4 * 10L), List.of("CSE"), 1000 + i,
                        DeliveryRecord.PACKAGE);
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(new byte[(int) d.size()]);
                m.setStringProperty(QueueNames.PACKAGE_ID, d.packageId());
                m.setStringProperty(QueueNames.SUBMISSION_ID, d.submissionId());
                m.setStringProperty(QueueNames.ROUTED_AT, d.routedAt().toString());
                p.send(m);
                records.add(d);
                if (i % 500 == 499) {
                    s.commit();
                }
            }
            s.commit();
        }
        // recorded in another order than routed: the listing orders by routing time, then package id
        for (int i = records.size() - 1; i >= 0; i--) {
            parts.registry.recordDelivery(records.get(i));
        }
        parts.registry.recordDelivery(new DeliveryRecord("lancs-police", "s-x", "mash-bpl",
                UUID.randomUUID().toString(), t0, List.of(), 1, DeliveryRecord.PACKAGE));
        // one acknowledged earlier: not pending, never listed
        parts.registry.setDeliveryState(records.get(7).packageId(), DeliveryState.ACKNOWLEDGED);
        records.remove(7);
        records.sort(java.util.Comparator.comparing(DeliveryRecord::routedAt)
                .thenComparing(DeliveryRecord::packageId));
        records.forEach(r -> expected.add(r.packageId()));
    }

    @AfterAll
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        feed.close();
        broker.close();
        parts.close();
    }

    HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Follows the pages from {@code first}; each page's ids, in order. */
    List<List<String>> pages(String first, int limit) throws Exception {
        List<List<String>> pages = new ArrayList<>();
        String next = first;
        while (next != null) {
            HttpResponse<byte[]> r = get(next);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Inbox-Pending")).hasValue(Integer.toString(expected.size()));
            JsonNode list = RealParts.JSON.readTree(r.body());
            List<String> ids = new ArrayList<>();
            list.forEach(n -> ids.add(n.path("packageId").asText()));
            assertThat(ids.size()).isLessThanOrEqualTo(limit);
            pages.add(ids);
            next = r.headers().firstValue("Link").map(link -> {
                Matcher m = NEXT.matcher(link);
                assertThat(m.matches()).as(link).isTrue();
                assertThat(m.group(2)).isEqualTo(ids.get(ids.size() - 1));
                assertThat(m.group(3)).isEqualTo(Integer.toString(limit));
                return m.group(1);
            }).orElse(null);
        }
        return pages;
    }

    @Test
    void everyPendingPackageIsOnExactlyOnePageInOrderTenTimesOver() throws Exception {
        List<List<String>> first = pages("/api/v1/inbox?limit=1000", 1000);
        for (int i = 0; i < 9; i++) {
            assertThat(pages("/api/v1/inbox?limit=1000", 1000)).as("listing %d", i + 2).isEqualTo(first);
        }

        assertThat(first).hasSize(4);
        assertThat(first.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(expected);
    }

    @Test
    void theDefaultPageIsAHundredAndCarriesWhatTheContractNames() throws Exception {
        HttpResponse<byte[]> r = get("/api/v1/inbox");
        JsonNode list = RealParts.JSON.readTree(r.body());

        assertThat(list).hasSize(100);
        JsonNode e = list.get(0);
        assertThat(e.path("packageId").asText()).isEqualTo(expected.get(0));
        assertThat(e.path("submissionId").asText()).hasSize(36);
        assertThat(Instant.parse(e.path("routedAt").asText())).isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
        assertThat(e.path("categories").get(0).asText()).isEqualTo("CSE");
        assertThat(e.path("size").asLong()).isGreaterThanOrEqualTo(1000);
        assertThat(e.path("kind").asText()).isEqualTo("package");
        assertThat(r.headers().firstValue("Link")).hasValueSatisfying(l -> assertThat(l).contains("limit=100>"));
        assertThat(pages("/api/v1/inbox", 100).stream().flatMap(List::stream).toList())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void aLimitOutOfRangeOrNotANumberAndAnAfterNotInTheInboxAre400() throws Exception {
        for (String q : List.of("limit=0", "limit=1001", "limit=ten", "limit=-5", "limit=")) {
            HttpResponse<byte[]> r = get("/api/v1/inbox?" + q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(RealParts.JSON.readTree(r.body()).path("detail").asText()).as(q).contains("1 to 1000");
        }
        for (String after : List.of(UUID.randomUUID().toString(), "nonsense")) {
            HttpResponse<byte[]> r = get("/api/v1/inbox?after=" + after);
            assertThat(r.statusCode()).as(after).isEqualTo(400);
            assertThat(RealParts.JSON.readTree(r.body()).path("detail").asText()).contains("after must be");
        }
    }

    @Test
    void theLastListedPackageOfThousandsIsFetchedAndAcknowledged() throws Exception {
        List<List<String>> pages = pages("/api/v1/inbox?limit=1000", 1000);
        List<String> lastPage = pages.get(pages.size() - 1);
        String last = lastPage.get(lastPage.size() - 1);

        HttpResponse<byte[]> fetched = get("/api/v1/inbox/" + last);
        assertThat(fetched.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> ack = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.port()
                + "/api/v1/inbox/" + last + "/ack")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ack.statusCode()).isEqualTo(204);
        expected.remove(last);

        assertThat(get("/api/v1/inbox/" + last).statusCode()).isEqualTo(404);
        assertThat(broker.messageCount(QueueNames.inbox(RECIPIENT))).isEqualTo(PENDING - 1);
        assertThat(get("/api/v1/inbox?limit=1").headers().firstValue("Inbox-Pending"))
                .hasValue(Integer.toString(expected.size()));
    }

    SSLContext ssl(String participant) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(parts.pki.p12(participant))) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.readCertificate(parts.pki.caPem()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }
}
