package org.safeguarding.hub.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-through, pasted whole into a shell, as a new partner would: against a real hub, from a copy of the
 * repository's layout ({@code demo-data/pki}, {@code docs/examples}), with only the hub's address changed. It must
 * finish without a progress meter, open the package it fetched, and leave every file it made where git ignores it.
 */
class ReadmeWalkthroughIT {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final String HUB_LINE = "HUB=https://localhost:8443";
    static RunningHub hub;
    @TempDir
    Path checkout;

    @BeforeAll
    static void start() {
        hub = RunningHub.start();
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    /** The fenced block after the walkthrough marker. */
    static String walkthrough() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- walkthrough:[^>]*-->\\n```sh\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the README marks its walk-through").isTrue();
        return m.group(1);
    }

    @Test
    void theWalkthroughPastedWholeSubmitsReceivesOpensAndAcknowledges() throws Exception {
        String block = walkthrough();
        assertThat(block).contains(HUB_LINE + "\n");
        Files.createDirectories(checkout.resolve("docs/examples"));
        Files.copy(REPOSITORY.resolve("docs/examples/C01-police-cce-blackpool.json"),
                checkout.resolve("docs/examples/C01-police-cce-blackpool.json"));
        Files.createDirectories(checkout.resolve("demo-data"));
        Files.createSymbolicLink(checkout.resolve("demo-data/pki"), hub.pki().dir());
        String script = block.replace(HUB_LINE, "HUB=" + hub.baseUrl().replaceAll("/$", ""));

        Process shell = new ProcessBuilder("bash", "-c", script).directory(checkout.toFile()).start();
        byte[] out;
        byte[] err;
        try (var stdout = shell.getInputStream(); var stderr = shell.getErrorStream()) {
            var errors = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(stderr));
            out = stdout.readAllBytes();
            err = errors.get(120, TimeUnit.SECONDS);
        }
        assertThat(shell.waitFor(120, TimeUnit.SECONDS)).as("the walk-through finishes").isTrue();
        String printed = new String(out, StandardCharsets.UTF_8);
        String complaints = new String(err, StandardCharsets.UTF_8);

        assertThat(shell.exitValue()).as(printed + complaints).isZero();
        assertThat(complaints).as("no progress meter, no curl error").doesNotContain("% Total").doesNotContain("curl:");
        List<JsonNode> documents = new ArrayList<>();
        for (String line : printed.split("\n")) {
            if (line.startsWith("{")) {
                documents.add(HubHttpClient.JSON.readTree(line));
            }
        }
        assertThat(documents).as(printed).hasSize(3);
        assertThat(documents.get(0).path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(documents.get(1).path("recipient").asText()).as("the opened package").isEqualTo("mash-bpl");
        assertThat(documents.get(1).path("submissionId").asText()).isEqualTo(documents.get(0).path("submissionId").asText());
        assertThat(printed).contains("\n204\n");
        assertThat(documents.get(2).path("recipients")).anySatisfy(r -> {
            assertThat(r.path("recipient").asText()).isEqualTo("mash-bpl");
            assertThat(r.path("state").asText()).isEqualTo("ACKNOWLEDGED");
        });

        List<String> made;
        try (Stream<Path> files = Files.walk(checkout)) {
            made = files.filter(Files::isRegularFile).map(p -> checkout.relativize(p).toString())
                    .filter(p -> !p.startsWith("docs/")).toList();
        }
        assertThat(made).contains("demo-data/walkthrough/package.json", "demo-data/walkthrough/sub.p7m");
        for (String file : made) {
            Process ignored = new ProcessBuilder("git", "-C", REPOSITORY.toString(), "check-ignore", "-q", file).start();
            assertThat(ignored.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ignored.exitValue()).as(file + " is git-ignored").isZero();
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
