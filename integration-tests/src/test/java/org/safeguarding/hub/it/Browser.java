package org.safeguarding.hub.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real browser for the pages' tests: Debian's Chromium, headless ({@code .ci/run} installs the {@code chromium}
 * package; {@code HUB_TEST_CHROMIUM} names another binary). It loads a page as a person's browser does (its
 * stylesheet, its Content-Security-Policy) and gives the document it rendered, or a screenshot of it.
 *
 * <p>{@link #as} gives a browser holding one person's client certificate, as a browser they imported it into: an NSS
 * database of its own (made with {@code certutil} and {@code pk12util}, package {@code libnss3-tools}) holding that
 * certificate and trusting the partnership CA, and Chromium's {@code AutoSelectCertificateForUrls} policy
 * ({@value #POLICY}, which {@code .ci/run} writes) to present it to the hub on loopback without a prompt.
 */
final class Browser {
    static final String POLICY = "/etc/chromium/policies/managed/hub-tests.json";
    /** The HOME whose {@code .pki/nssdb} holds the person's certificate; null: no certificate at all. */
    private final Path home;

    private Browser(Path home) {
        this.home = home;
    }

    /** A browser holding the certificate and key of {@code p12} (password {@code password}), trusting {@code caPem}. */
    static Browser as(Path p12, String password, Path caPem) {
        if (!Files.isRegularFile(Path.of(POLICY))) {
            throw new IllegalStateException("the console's browser tests need Chromium's client-certificate policy "
                    + POLICY + " (.ci/run writes it)");
        }
        try {
            Path home = Files.createTempDirectory("hub-test-browser-home-");
            Path db = home.resolve(".pki/nssdb");
            Files.createDirectories(db);
            String sql = "sql:" + db;
            tool(List.of("certutil", "-N", "-d", sql, "--empty-password"));
            tool(List.of("certutil", "-A", "-d", sql, "-n", "partnership-ca", "-t", "C,,", "-i", caPem.toString()));
            tool(List.of("pk12util", "-i", p12.toString(), "-d", sql, "-W", password));
            return new Browser(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tool(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " failed (install libnss3-tools; .ci/run does): "
                        + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is needed: install libnss3-tools (.ci/run does)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** This person's browser, driven: to type into forms and press their buttons. Close it when done. */
    DrivenBrowser drive() {
        return DrivenBrowser.start(home);
    }

    /** The document this person's browser rendered from {@code url}, serialised. */
    String dom(String url) {
        return new String(run(home, List.of("--dump-dom", url)), StandardCharsets.UTF_8);
    }

    /** A screenshot of {@code url} in this person's browser. */
    void screenshotOf(String url, Path png, int width, int height) {
        screenshot(home, url, png, width, height);
    }

    static Path binary() {
        String named = System.getenv("HUB_TEST_CHROMIUM");
        for (String candidate : named != null ? List.of(named) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("the pages' tests need Chromium: apt-get install chromium (.ci/run does), or set"
                + " HUB_TEST_CHROMIUM to its binary");
    }

    /** The document Chromium rendered from {@code url}, serialised. */
    static String renderedDom(String url) {
        return new String(run(null, List.of("--dump-dom", url)), StandardCharsets.UTF_8);
    }

    /** A screenshot of {@code url} at {@code width} x {@code height} CSS pixels, written to {@code png}. */
    static void screenshot(String url, Path png, int width, int height) {
        screenshot(null, url, png, width, height);
    }

    private static void screenshot(Path home, String url, Path png, int width, int height) {
        try {
            Files.createDirectories(png.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(home, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", url));
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("Chromium wrote no screenshot of " + url);
        }
    }

    private static byte[] run(Path home, List<String> args) {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + profile()));
        command.addAll(args);
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            b.environment().put("HOME", (home != null ? home : profile()).toString());
            Process p = b.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Chromium did not finish: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("Chromium exited " + p.exitValue() + ": " + command);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path profile() {
        try {
            return Files.createTempDirectory("hub-test-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
