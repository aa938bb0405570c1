package org.safeguarding.hub.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every option and parameter of every command says what it is for; the progress bar and {@code pki issue}'s output. */
class CommandHelpTest {
    @TempDir
    Path dir;

    @Test
    void everyOptionAndParameterOfEveryCommandHasADescription() {
        List<String> undescribed = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        walk(HubCommand.commandLine(), undescribed, seen);

        assertThat(seen).as("the walk reached the subcommands' options")
                .contains("hub submit --ca", "hub pki issue PARTICIPANT", "hub receive --as", "hub audit subjects --out");
        assertThat(undescribed).isEmpty();
    }

    private static void walk(CommandLine cl, List<String> undescribed, List<String> seen) {
        var spec = cl.getCommandSpec();
        for (var o : spec.options()) {
            String name = spec.qualifiedName() + " " + o.longestName();
            seen.add(name);
            if (String.join("", o.description()).isBlank()) {
                undescribed.add(name);
            }
        }
        for (var p : spec.positionalParameters()) {
            String name = spec.qualifiedName() + " " + p.paramLabel();
            seen.add(name);
            if (String.join("", p.description()).isBlank()) {
                undescribed.add(name);
            }
        }
        cl.getSubcommands().values().forEach(sub -> walk(sub, undescribed, seen));
    }

    @Test
    void theProgressBarIsDrawnOnlyOnATerminal() {
        StringWriter log = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(log), false, 3);
        bar.answered(BatchSubmission.Outcome.ACCEPTED);
        bar.answered(BatchSubmission.Outcome.REFUSED);
        bar.finish();
        assertThat(log.toString()).isEmpty();

        StringWriter terminal = new StringWriter();
        ProgressBar drawn = new ProgressBar(new PrintWriter(terminal), true, 2);
        drawn.answered(BatchSubmission.Outcome.ACCEPTED);
        drawn.answered(BatchSubmission.Outcome.RETRY);
        drawn.finish();
        assertThat(terminal.toString()).contains("\r[###############...............] 1/2")
                .contains("\r[##############################] 2/2  accepted 1  refused 0  to retry 1").endsWith("\n");
    }

    @Test
    void theProgressCountNeverGoesBackwardsWithManySendersAtOnce() throws Exception {
        int total = 2000;
        StringWriter terminal = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(terminal), true, total);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        try {
            for (int i = 0; i < total; i++) {
                BatchSubmission.Outcome o = BatchSubmission.Outcome.values()[i % 3];
                pool.submit(() -> {
                    go.await();
                    bar.answered(o);
                    return null;
                });
            }
            go.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        bar.finish();

        Matcher m = Pattern.compile("\r\\[[#.]{30}] (\\d+)/" + total).matcher(terminal.toString());
        List<Integer> counts = new ArrayList<>();
        while (m.find()) {
            counts.add(Integer.parseInt(m.group(1)));
        }
        assertThat(counts).hasSize(total).isSorted().startsWith(1).endsWith(total);
    }

    @Test
    void pkiIssuePrintsEveryFileItWrote() throws Exception {
        Path pki = dir.resolve("pki");
        assertThat(run("pki", "init", "--out", pki.toString())).isZero();
        StringWriter out = new StringWriter();
        int exit = HubCommand.execute(new String[] {"pki", "issue", "--pki", pki.toString(), "lancs-police"},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), false);

        assertThat(exit).isZero();
        List<String> wrote = out.toString().lines().filter(l -> l.startsWith("wrote ")).map(l -> l.substring(6)).toList();
        assertThat(wrote).hasSize(3).allSatisfy(f -> assertThat(Path.of(f)).isRegularFile().hasParent(pki))
                .anySatisfy(f -> assertThat(f).endsWith(".pem")).anySatisfy(f -> assertThat(f).endsWith(".key"))
                .anySatisfy(f -> assertThat(f).endsWith(".p12"));
        try (var files = Files.list(pki)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("lancs-police-")).map(Path::toString))
                    .as("every new file is printed").containsExactlyInAnyOrderElementsOf(wrote);
        }
    }

    private static int run(String... args) {
        return HubCommand.execute(args, new PrintWriter(new StringWriter(), true),
                new PrintWriter(new StringWriter(), true), false);
    }
}
