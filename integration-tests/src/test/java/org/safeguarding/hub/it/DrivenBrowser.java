package org.safeguarding.hub.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.safeguarding.hub.crypto.testing.Await;

/**
 * A person at a browser: Debian's Chromium, headless, driven through ChromeDriver (package {@code chromium-driver},
 * which {@code .ci/run} installs) by the W3C WebDriver protocol, so a test can type into a form and press its button
 * as a person does. It runs with a HOME of its own (see {@link Browser#as}: the person's certificate in its NSS
 * database). Close it to end the browser.
 */
final class DrivenBrowser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private final Process driver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI session;

    private DrivenBrowser(Process driver, URI session) {
        this.driver = driver;
        this.session = session;
    }

    /** A browser whose HOME is {@code home} (null: a fresh one, holding no certificate). */
    static DrivenBrowser start(Path home) {
        Path chromedriver = Path.of(System.getenv().getOrDefault("HUB_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromedriver)) {
            throw new IllegalStateException("the console's form tests need ChromeDriver: apt-get install chromium-driver"
                    + " (.ci/run does), or set HUB_TEST_CHROMEDRIVER");
        }
        Process p = null;
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path profile = Files.createTempDirectory("hub-test-driven-");
            ProcessBuilder b = new ProcessBuilder(chromedriver.toString(), "--port=" + port)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            b.environment().put("HOME", (home != null ? home : profile).toString());
            p = b.start();
            URI base = URI.create("http://127.0.0.1:" + port + "/");
            HttpClient http = HttpClient.newHttpClient();
            Await.until("ChromeDriver to be ready", Duration.ofSeconds(30), () -> {
                try {
                    return JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("status")).build(),
                            HttpResponse.BodyHandlers.ofString()).body()).path("value").path("ready").asBoolean();
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
            ObjectNode caps = JSON.createObjectNode();
            ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
            always.put("browserName", "chrome");
            ObjectNode chrome = always.putObject("goog:chromeOptions");
            chrome.put("binary", Browser.binary().toString());
            var args = chrome.putArray("args");
            List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                    "--window-size=1280,1600", "--user-data-dir=" + profile.resolve("chrome")).forEach(args::add);
            JsonNode created = call(http, "POST", base.resolve("session"), caps);
            return new DrivenBrowser(p, base.resolve("session/" + created.path("sessionId").asText()));
        } catch (IOException e) {
            if (p != null) {
                p.destroyForcibly();
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (p != null) {
                p.destroyForcibly();
            }
            throw e;
        }
    }

    private static JsonNode call(HttpClient http, String method, URI uri, JsonNode body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90))
                    .header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode n = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("WebDriver " + method + " " + uri.getPath() + " answered "
                        + r.statusCode() + ": " + n.path("value").path("message").asText());
            }
            return n.has("sessionId") ? n : n.path("value");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode call(String method, String path, JsonNode body) {
        return call(http, method, URI.create(session + "/" + path), body);
    }

    void open(String url) {
        call("POST", "url", JSON.createObjectNode().put("url", url));
    }

    /** The address the browser shows now. */
    String url() {
        return call("GET", "url", null).asText();
    }

    /** The document as the browser holds it now. */
    String source() {
        return call("GET", "source", null).asText();
    }

    /**
     * The document once {@code shown} holds for it (a click that sends a form returns before the next page is in):
     * waits, bounded, through the shared helper.
     */
    String sourceOnce(String what, java.util.function.Predicate<String> shown) {
        String[] last = {""};
        Await.until(what, Duration.ofSeconds(30), () -> shown.test(last[0] = source()));
        return last[0];
    }

    private String element(String css) {
        return call("POST", "element", JSON.createObjectNode().put("using", "css selector").put("value", css))
                .path(ELEMENT).asText();
    }

    /** Types {@code text} into the element {@code css} names, as keystrokes. */
    void type(String css, String text) {
        call("POST", "element/" + element(css) + "/value", JSON.createObjectNode().put("text", text));
    }

    /**
     * Puts {@code text} into the field {@code css} names at once, as pasting does (typing a whole file key by key
     * would take minutes). Runs through the driver, not as the page's script: the page's CSP still lets none run.
     */
    void paste(String css, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("script", "arguments[0].value = arguments[1];");
        var args = body.putArray("args");
        args.addObject().put(ELEMENT, element(css));
        args.add(text);
        call("POST", "execute/sync", body);
    }

    /** Clicks the element {@code css} names (a button, an option) and lets the page it leads to load. */
    void click(String css) {
        call("POST", "element/" + element(css) + "/click", JSON.createObjectNode());
    }

    void screenshot(Path png) {
        try {
            Files.createDirectories(png.getParent());
            Files.write(png, Base64.getDecoder().decode(call("GET", "screenshot", null).asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            call(http, "DELETE", session, null);
        } catch (RuntimeException e) {
            // the browser is ended with the driver below
        } finally {
            driver.destroy();
        }
    }
}
