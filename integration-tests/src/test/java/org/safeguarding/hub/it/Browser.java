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
 */
final class Browser {
    private Browser() {
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
        return new String(run(List.of("--dump-dom", url)), StandardCharsets.UTF_8);
    }

    /** A screenshot of {@code url} at {@code width} x {@code height} CSS pixels, written to {@code png}. */
    static void screenshot(String url, Path png, int width, int height) {
        try {
            Files.createDirectories(png.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars", url));
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("Chromium wrote no screenshot of " + url);
        }
    }

    private static byte[] run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--user-data-dir=" + profile()));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
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
