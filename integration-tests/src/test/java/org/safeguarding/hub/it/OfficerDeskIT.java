package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.safeguarding.hub.crypto.testing.Await;
import org.safeguarding.hub.crypto.testing.OpenSsl;
import org.safeguarding.hub.desk.Desk;
import org.safeguarding.hub.desk.StoredPackage;
import org.safeguarding.hub.inbox.HubClient;
import org.safeguarding.hub.inbox.InboxReader;

/**
 * The officer's desk against a real hub: Lancashire Constabulary submits C01, the desk of police-fib (started in this
 * process with police-fib's own key, a temporary data folder and a free port) fetches its package, keeps it encrypted
 * and acknowledges it (the hub's inbox for police-fib is then empty), and an officer reads it in a real browser
 * (headless Chromium) from the launch address: the subjects, contexts and handling in words and what was withheld,
 * never the child's health, which C01 withholds from police-fib. A request with another Host, or without the token,
 * gets nothing of it. A screenshot is kept in target/screenshots/desk.png. A package that cannot be kept is not
 * acknowledged (mash-bpl's of the same submission, read the desk's way with a keeper that fails).
 */
class OfficerDeskIT {
    static RunningHub hub;
    static Desk desk;
    static Path data;
    static String packageId;

    @BeforeAll
    static void start() throws Exception {
        hub = RunningHub.start();
        NotifyBuilder routed = hub.routedNotifier(1);
        byte[] json = Submissions.current("C01-police-cce-blackpool.json");
        byte[] sealed = OpenSsl.signAndEncrypt(json, hub.pki().cert("lancs-police"), hub.pki().key("lancs-police"),
                hub.pki().cert("hub"), "-aes-256-gcm");
        assertThat(hub.client("lancs-police").submit(sealed).statusCode()).isEqualTo(202);
        assertThat(routed.matches(60, TimeUnit.SECONDS)).isTrue();
        hub.awaitPackages("police-fib", 1);

        data = Files.createTempDirectory("officer-desk-");
        desk = Desk.start(new Desk.Settings(URI.create(hub.baseUrl()), data.resolve("police-fib"), 0,
                Duration.ofSeconds(1), Duration.ofDays(90)), hub.pki().identity("police-fib"), hub.pki().caPem(),
                "police-fib", Clock.systemUTC());
        Await.until("the desk to keep its package and the hub's inbox for police-fib to be empty",
                Duration.ofSeconds(60), () -> desk.store().size() == 1
                        && HubHttpClient.json(hub.client("police-fib").get("api/v1/inbox")).isEmpty());
        packageId = desk.store().all().get(0).packageId();
    }

    @AfterAll
    static void stop() throws IOException {
        if (desk != null) {
            desk.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (data != null) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The launch address, opening a given page of the desk. */
    private static String launch(String path) {
        return desk.launchUrl().replace("/?token=", path + "?token=");
    }

    @Test
    void theDeskKeepsThePackageEncryptedAndTheHubHasItAcknowledged() throws Exception {
        StoredPackage kept = desk.store().get(packageId).orElseThrow();
        assertThat(kept.json().path("recipient").asText()).isEqualTo("police-fib");
        assertThat(kept.json().path("redactions").toString()).isEqualTo("[\"subjects[0].health\"]");
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                        .doesNotContain("Jamie Example").doesNotContain("lancs-police").doesNotContain("PN19 XYZ");
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .isEqualTo("rw-------");
            }
        }
        assertThat(HubHttpClient.json(hub.client("police-fib").get("api/v1/inbox"))).isEmpty();
    }

    @Test
    void theOfficerReadsThePackageInABrowserAndNeverTheWithheldHealth() {
        String list = Browser.renderedDom(launch("/"));
        String dom = Browser.renderedDom(launch("/package/" + packageId));

        assertThat(list).contains("Officer's desk: police-fib").contains("<h2>Packages (1)</h2>")
                .contains("Child criminal exploitation in Blackpool").contains("/package/" + packageId);
        assertThat(dom).contains("<h1>Child criminal exploitation in Blackpool</h1>")
                .containsPattern("Subject 1: child at risk, age \\d+")
                .contains("Subject 2: person of concern")
                .contains("<dt>Name</dt><dd>Jamie Example</dd>").contains("<dt>NHS number</dt><dd>9990000018</dd>")
                .contains("<strong>location</strong>; Takeaway used as meeting point; postcode FY1 4AB")
                .contains("<strong>vehicle</strong>; Grey hatchback collecting children after school; vehicle PN19 XYZ")
                .contains("<strong>online</strong>; Recruitment messages; on Snapchat; handle @fastcash_fy1")
                .contains("P: lawful sharing permitted")
                .contains("source 2: untested source; intelligence B: known indirectly to the source, corroborated")
                .contains("OFFICIAL-SENSITIVE")
                .contains("<li>health details of subject 1 <code>subjects[0].health</code></li>")
                .contains("Handled source S-117, reporting since 2024")
                .containsPattern("Mark as read|Marked read\\."); // another test marks it read
        for (String page : new String[] {list, dom}) {
            assertThat(page).as("the health C01 withholds from police-fib").doesNotContain("Facial bruising")
                    .doesNotContain("bruising to left cheek").doesNotContain("<script");
            assertThat(page).as("the token is not left in the page").doesNotContain("token=");
        }
        Browser.screenshot(launch("/package/" + packageId), Path.of("target", "screenshots", "desk.png"), 1280, 2200);
    }

    @Test
    void theOfficerSearchesAndMarksAPackageReadByTheFormsAsAPersonDoes() {
        try (DrivenBrowser browser = DrivenBrowser.start(null)) {
            browser.open(launch("/"));
            browser.sourceOnce("the desk's list", page -> page.contains("Packages (1)"));
            browser.type("#q", "hatchback");
            browser.click("form.search button[type='submit']");
            String found = browser.sourceOnce("the search's answer", page -> page.contains("<h1>Search</h1>")
                    || page.contains("403") || page.contains("Forbidden"));
            assertThat(found).contains("/package/" + packageId).doesNotContain("403");
            assertThat(browser.url()).doesNotContain("hatchback");

            browser.open("http://127.0.0.1:" + desk.port() + "/package/" + packageId);
            browser.click("form[action='/read'] button[type='submit']");
            assertThat(browser.sourceOnce("the package marked read", page -> page.contains("Marked read.")))
                    .contains("Child criminal exploitation in Blackpool");
        }
        assertThat(desk.store().get(packageId).orElseThrow().read()).isTrue();
    }

    @Test
    void withoutTheTokenOrWithAnotherHostNothingOfThePackageIsShown() throws Exception {
        String base = "http://127.0.0.1:" + desk.port();
        String browser = Browser.renderedDom(base + "/package/" + packageId);
        HttpResponse<String> plain = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        String rebound = raw("GET " + launch("/").substring(base.length()) + " HTTP/1.1\r\nHost: evil.example:"
                + desk.port() + "\r\nConnection: close\r\n\r\n");

        assertThat(plain.statusCode()).isEqualTo(401);
        assertThat(rebound).startsWith("HTTP/1.1 421").doesNotContainIgnoringCase("Set-Cookie");
        for (String page : new String[] {browser, plain.body(), rebound}) {
            assertThat(page).doesNotContain("Jamie Example").doesNotContain("Blackpool").doesNotContain(packageId)
                    .doesNotContain("lawful sharing");
        }
    }

    /**
     * The desk acknowledges a package only once it is kept: a keeper that fails (a full disk, say) leaves mash-bpl's
     * package of the same submission in its inbox, and the next read, with a keeper that keeps, takes it.
     */
    @Test
    void aPackageThatCannotBeKeptIsNotAcknowledged() throws Exception {
        hub.awaitPackages("mash-bpl", 1);
        InboxReader inbox = new InboxReader(new HubClient(URI.create(hub.baseUrl()), hub.pki().identity("mash-bpl"),
                hub.pki().caPem()), URI.create(hub.baseUrl()), hub.pki().identity("mash-bpl"), hub.pki().caPem());
        InboxReader.Progress quiet = new InboxReader.Progress() {
        };

        assertThatThrownBy(() -> inbox.readAll((id, opened) -> {
            throw new IOException("no space left on device");
        }, quiet)).hasMessageContaining("no space left");
        assertThat(HubHttpClient.json(hub.client("mash-bpl").get("api/v1/inbox"))).as("still waiting").hasSize(1);

        List<String> kept = new ArrayList<>();
        assertThat(inbox.readAll((id, opened) -> kept.add(id), quiet)).isEqualTo(1);
        assertThat(kept).hasSize(1);
        assertThat(HubHttpClient.json(hub.client("mash-bpl").get("api/v1/inbox"))).isEmpty();
    }

    private static String raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), desk.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
