package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.crypto.AlgorithmPolicy;
import org.safeguarding.hub.crypto.CmsSealer;
import org.safeguarding.hub.crypto.ContentEncryption;
import org.safeguarding.hub.crypto.Pem;
import org.safeguarding.hub.crypto.testing.TestPki;

/**
 * {@code ./hub receive} against an inbox that pages as the hub's does (CONTRACT.md: {@code limit} 100 by default,
 * {@code Link: <...?after=ID&limit=N>; rel="next"} while more remain, {@code Inbox-Pending}): every page is read,
 * every package fetched, opened, saved and acknowledged; a next page elsewhere, or one that does not advance, is
 * not followed.
 */
class ReceiveCommandTest {
    private static final TestPki PKI = TestPki.ec();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PACKAGES = 250;
    private static final Map<String, byte[]> SEALED = new HashMap<>();
    private static final List<String> IDS = new ArrayList<>();

    @TempDir
    Path dir;

    private HttpsServer server;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final List<String> listings = new CopyOnWriteArrayList<>();
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    /** When set, the Link header the inbox gives instead of its own next page. */
    private volatile String link;
    private String out;
    private String err;

    @BeforeAll
    static void packages() throws Exception {
        CmsSealer sealer = new CmsSealer(AlgorithmPolicy.defaults());
        var recipient = PKI.identity("police-fib").certificate();
        for (int i = 1; i <= PACKAGES; i++) {
            String id = String.format("00000000-0000-4000-8000-%012d", i);
            IDS.add(id);
            byte[] pkg = ("{\"packageId\":\"" + id + "\",\"recipient\":\"police-fib\"}").getBytes(StandardCharsets.UTF_8);
            SEALED.put(id, sealer.seal(pkg, PKI.identity("hub"), List.of(recipient), ContentEncryption.AES_256_GCM));
        }
    }

    @BeforeEach
    void inbox() throws Exception {
        pending.addAll(IDS);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext ssl = serverTls();
        server.setHttpsConfigurator(new HttpsConfigurator(ssl) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = ssl.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/api/v1/inbox", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static SSLContext serverTls() throws Exception {
        char[] pw = TestPki.PASSWORD.toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(PKI.p12("hub"))) {
            ks.load(in, pw);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (var c : Pem.readCertificates(PKI.caPem())) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }

    /** The inbox, paged over the order of routing; {@code after} continues after a package even once it is acknowledged. */
    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.equals("/api/v1/inbox") && ex.getRequestMethod().equals("GET")) {
                String query = ex.getRequestURI().getRawQuery();
                listings.add(query == null ? "" : query);
                Map<String, String> q = new HashMap<>();
                if (query != null) {
                    for (String kv : query.split("&")) {
                        String[] p = kv.split("=", 2);
                        q.put(p[0], p.length > 1 ? p[1] : "");
                    }
                }
                int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 100;
                int from = q.containsKey("after") ? IDS.indexOf(q.get("after")) + 1 : 0;
                List<String> page = new ArrayList<>();
                int i = from;
                for (; i < IDS.size() && page.size() <= limit; i++) {
                    if (pending.contains(IDS.get(i))) {
                        page.add(IDS.get(i));
                    }
                }
                boolean more = page.size() > limit;
                if (more) {
                    page = page.subList(0, limit);
                }
                ArrayNode list = JSON.createArrayNode();
                for (String id : page) {
                    list.addObject().put("packageId", id).put("submissionId", id).put("kind", "package");
                }
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.getResponseHeaders().add("Inbox-Pending", Integer.toString(pending.size()));
                if (link != null) {
                    ex.getResponseHeaders().add("Link", link);
                } else if (more) {
                    ex.getResponseHeaders().add("Link", "</api/v1/inbox?after=" + page.get(page.size() - 1)
                            + "&limit=" + limit + ">; rel=\"next\"");
                }
                send(ex, 200, JSON.writeValueAsBytes(list));
                return;
            }
            String rest = path.substring("/api/v1/inbox/".length());
            if (rest.endsWith("/ack") && ex.getRequestMethod().equals("POST")) {
                String id = rest.substring(0, rest.length() - "/ack".length());
                ex.getRequestBody().readAllBytes();
                if (pending.remove(id)) {
                    acknowledged.add(id);
                    ex.sendResponseHeaders(204, -1);
                } else {
                    send(ex, 404, new byte[0]);
                }
                return;
            }
            if (pending.contains(rest) && ex.getRequestMethod().equals("GET")) {
                ex.getResponseHeaders().add("Content-Type", "application/pkcs7-mime");
                send(ex, 200, SEALED.get(rest));
                return;
            }
            send(ex, 404, new byte[0]);
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private int receive() {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = HubCommand.execute(new String[] {"receive", "--url",
                        "https://localhost:" + server.getAddress().getPort() + "/", "--cert",
                        PKI.p12("police-fib").toString(), "--ca", PKI.caPem().toString(), "--out",
                        dir.resolve("received").toString()},
                new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private List<String> saved() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("received"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyPageIsReadAndEveryPackageSavedAndAcknowledged() throws Exception {
        assertThat(receive()).as(err).isZero();

        assertThat(listings).containsExactly("", "after=" + IDS.get(99) + "&limit=100",
                "after=" + IDS.get(199) + "&limit=100");
        assertThat(acknowledged).containsExactlyElementsOf(IDS);
        assertThat(pending).isEmpty();
        assertThat(saved()).containsExactlyElementsOf(IDS.stream().map(id -> id + ".json").toList());
        assertThat(JSON.readTree(dir.resolve("received").resolve(IDS.get(249) + ".json").toFile())
                .path("packageId").asText()).isEqualTo(IDS.get(249));
        assertThat(Files.getPosixFilePermissions(dir.resolve("received").resolve(IDS.get(0) + ".json")))
                .as("opened content is the owner's alone")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("received"))).as("and so is their folder")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThat(out).contains(PACKAGES + " packages received").doesNotContain("NOT acknowledged");
        assertThat(err).contains("[1/" + PACKAGES + "]").contains("[" + PACKAGES + "/" + PACKAGES + "]");
    }

    @Test
    void aNextPageOnAnotherHostIsNotFollowed() {
        link = "<https://elsewhere.example/api/v1/inbox?after=" + IDS.get(99) + "&limit=100>; rel=\"next\"";

        assertThat(receive()).isNotZero();
        assertThat(err).contains("not on the same hub");
        assertThat(listings).hasSize(1);
    }

    @Test
    void aNextPageThatDoesNotAdvanceEndsTheRunWithAReason() {
        link = "</api/v1/inbox?after=" + IDS.get(0) + "&limit=100>; rel=\"next\"";

        assertThat(receive()).isNotZero();
        assertThat(err).contains("did not end");
        assertThat(listings).hasSize(2); // the first page, then the same next page once: not asked again
    }
}
