package org.safeguarding.hub.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.safeguarding.hub.desk.PackageFixtures.bytes;
import static org.safeguarding.hub.desk.PackageFixtures.c01;
import static org.safeguarding.hub.desk.PackageFixtures.id;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.safeguarding.hub.testing.MutableClock;

/**
 * The desk's page over a real socket on 127.0.0.1: nothing of a package without the exact Host, the launch token's
 * cookie and, for a POST, the desk's own origin and the form's token; with them, the list, a package, a search and
 * "mark as read", every answer with its protective headers. Requests are written by hand, as an attacker's would be.
 */
class DeskServerTest {
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path dir;

    DeskStore store;
    DeskServer server;
    String packageId = id();
    String host;

    record Answer(int status, String head, String body) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ": ([^\r\n]*)").matcher(head);
            return m.find() ? m.group(1) : null;
        }
    }

    @BeforeEach
    void start() throws Exception {
        store = DeskStore.open(dir.resolve("desk"), new MutableClock(NOW), Duration.ofDays(90));
        store.put(packageId, bytes(c01(packageId, NOW)));
        server = DeskServer.start(0, store, "police-fib", () -> new DeskFetcher.Status(NOW, 1, ""));
        host = "127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Answer send(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split + 2);
            return new Answer(Integer.parseInt(head.substring(9, 12)), head, split < 0 ? "" : text.substring(split + 4));
        }
    }

    private Answer get(String path, String hostHeader, String cookie) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\n" + (hostHeader == null ? "" : "Host: " + hostHeader + "\r\n")
                + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "Connection: close\r\n\r\n");
    }

    private Answer post(String path, String origin, String fetchSite, String cookie, String form) throws IOException {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        return send("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + (fetchSite == null ? "" : "Sec-Fetch-Site: " + fetchSite + "\r\n")
                + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n" + form);
    }

    /** Opens the launch address as a browser would and keeps the cookie it sets. */
    private String cookie() throws IOException {
        String query = server.launchUrl().substring(server.launchUrl().indexOf('/', 7));
        Answer launch = get(query, host, null);
        assertThat(launch.status()).isEqualTo(303);
        assertThat(launch.header("Location")).isEqualTo("/");
        String setCookie = launch.header("Set-Cookie");
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private String csrf(String cookie) throws IOException {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(get("/", host, cookie).body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void itListensOnLoopbackAndPrintsATokenAddress() {
        assertThat(server.launchUrl()).matches("http://127\\.0\\.0\\.1:" + server.port() + "/\\?token=[A-Za-z0-9_-]{43}");
    }

    @Test
    void withTheLaunchCookieTheOfficerReadsThePackage() throws Exception {
        String cookie = cookie();

        Answer list = get("/", host, cookie);
        Answer pkg = get("/package/" + packageId, "localhost:" + server.port(), cookie);
        Answer css = get("/desk.css", host, cookie);

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("Child criminal exploitation in Blackpool").contains("/package/" + packageId);
        assertThat(pkg.status()).isEqualTo(200);
        assertThat(pkg.body()).contains("Jamie Example").contains("health details of subject 1");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        for (Answer a : new Answer[] {list, pkg, css}) {
            assertThat(a.header("Content-Security-Policy")).isEqualTo("default-src 'none'; style-src 'self';"
                    + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
            assertThat(a.header("Cache-Control")).isEqualTo("no-store");
            assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(a.header("Referrer-Policy")).isEqualTo("same-origin");
        }
    }

    @Test
    void aWrongHostGetsNothingOfAPackage() throws Exception {
        String cookie = cookie();
        for (String h : new String[] {"evil.com", "evil.com:" + server.port(), "127.0.0.1.evil.com:" + server.port(),
                "127.0.0.1"}) {
            for (String path : new String[] {"/", "/package/" + packageId, "/desk.css"}) {
                Answer a = get(path, h, cookie);
                assertThat(a.status()).as(h + path).isEqualTo(421);
                assertThat(a.body()).doesNotContain("Jamie").doesNotContain("Blackpool").doesNotContain(packageId);
            }
        }
        assertThat(get("/", null, cookie).status()).as("no Host").isEqualTo(400);
        String query = server.launchUrl().substring(server.launchUrl().indexOf('/', 7));
        assertThat(get(query, "evil.com:" + server.port(), null).header("Set-Cookie")).as("no cookie for a rebinder")
                .isNull();
    }

    @Test
    void withoutTheTokenNothingIsShown() throws Exception {
        for (String path : new String[] {"/", "/package/" + packageId, "/desk.css", "/?token=wrong"}) {
            Answer a = get(path, host, null);
            assertThat(a.status()).as(path).isEqualTo(401);
            assertThat(a.body()).doesNotContain("Jamie").doesNotContain("Blackpool").doesNotContain(packageId);
            assertThat(a.header("Set-Cookie")).isNull();
        }
        assertThat(get("/", host, DeskGuard.COOKIE + "=guessed").status()).isEqualTo(401);
    }

    @Test
    void aSearchIsAPostFromThisPageWithItsToken() throws Exception {
        String cookie = cookie();
        String csrf = csrf(cookie);
        String origin = "http://" + host;
        String form = "csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&q=hatchback";

        Answer found = post("/search", origin, "same-origin", cookie, form);

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body()).contains("1 document contains").contains("/package/" + packageId);
        assertThat(post("/search", origin, "same-origin", cookie, "csrf=" + csrf + "&q=nothing-like-it").body())
                .contains("0 documents contain");
        for (Answer refused : new Answer[] {
                post("/search", origin, "same-origin", cookie, "q=hatchback"),
                post("/search", origin, "same-origin", cookie, "csrf=wrong&q=hatchback"),
                post("/search", "http://evil.com", "cross-site", cookie, form),
                post("/search", origin, "cross-site", cookie, form),
                post("/search", null, null, cookie, form),
                post("/search", "null", null, cookie, form)}) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("hatchback").doesNotContain(packageId);
        }
        assertThat(post("/search", origin, "same-origin", null, form).status()).isEqualTo(401);
    }

    @Test
    void markingReadIsAPostWithTheTokenAndItIsKept() throws Exception {
        String cookie = cookie();
        String csrf = csrf(cookie);
        String origin = "http://" + host;

        assertThat(post("/read", origin, "same-origin", cookie, "id=" + packageId).status()).isEqualTo(403);
        assertThat(store.get(packageId).orElseThrow().read()).isFalse();
        Answer read = post("/read", origin, "same-origin", cookie, "csrf=" + csrf + "&id=" + packageId);

        assertThat(read.status()).isEqualTo(303);
        assertThat(read.header("Location")).isEqualTo("/package/" + packageId);
        assertThat(store.get(packageId).orElseThrow().read()).isTrue();
        assertThat(get("/package/" + packageId, host, cookie).body()).contains("Marked read.");
    }

    @Test
    void otherMethodsAndLargeFormsAreRefused() throws Exception {
        String cookie = cookie();
        assertThat(send("DELETE / HTTP/1.1\r\nHost: " + host + "\r\nCookie: " + cookie
                + "\r\nConnection: close\r\n\r\n").status()).isEqualTo(405);
        assertThat(post("/search", "http://" + host, "same-origin", cookie, "q=" + "x".repeat(DeskServer.MAX_FORM))
                .status()).isEqualTo(413);
        assertThat(get("/package/../../etc/passwd", host, cookie).status()).isEqualTo(404);
    }
}
