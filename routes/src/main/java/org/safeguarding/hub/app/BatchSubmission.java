package org.safeguarding.hub.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.safeguarding.hub.inbox.HubClient;

/**
 * Sends every sealed file of a folder with bounded concurrency, shows progress, and keeps a
 * ledger ({@value #LEDGER}) in the folder so that a second run resumes where the first
 * stopped: a file the hub answered (accepted, repeated or refused) is not sent again; one
 * that met a passing failure (503, a broken connection) is.
 */
final class BatchSubmission {
    static final String LEDGER = ".hub-submit.log";

    /** How the hub answered one file. */
    enum Outcome { ACCEPTED, REFUSED, RETRY }

    record Summary(int files, int alreadyDone, int accepted, int refused, int toRetry) {
        boolean complete() {
            return refused == 0 && toRetry == 0;
        }
    }

    private final HubClient client;
    private final Path dir;
    private final int concurrency;
    private final PrintWriter progress;
    private final boolean terminal;

    /** {@code terminal}: whether {@code progress} is a terminal, where the progress bar is drawn. */
    BatchSubmission(HubClient client, Path dir, int concurrency, PrintWriter progress, boolean terminal) {
        this.client = client;
        this.dir = dir;
        this.concurrency = concurrency;
        this.progress = progress;
        this.terminal = terminal;
    }

    Summary run() throws IOException, InterruptedException {
        Map<String, Outcome> done = readLedger();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".p7m")).sorted().toList();
        }
        List<Path> todo = files.stream().filter(p -> !done.containsKey(p.getFileName().toString())).toList();
        ProgressBar bar = new ProgressBar(progress, terminal, todo.size());
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger retry = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Path file : todo) {
                futures.add(pool.submit(() -> {
                    Outcome o = send(file);
                    (o == Outcome.ACCEPTED ? accepted : o == Outcome.REFUSED ? refused : retry).incrementAndGet();
                    bar.answered(o);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    retry.incrementAndGet();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        bar.finish();
        return new Summary(files.size(), files.size() - todo.size(), accepted.get(), refused.get(), retry.get());
    }

    private Outcome send(Path file) {
        String name = file.getFileName().toString();
        try {
            var r = client.post("api/v1/submissions", "application/pkcs7-mime", Files.readAllBytes(file));
            String body = new String(r.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            Outcome o = r.statusCode() == 200 || r.statusCode() == 202 ? Outcome.ACCEPTED
                    : r.statusCode() == 503 || r.statusCode() >= 500 ? Outcome.RETRY : Outcome.REFUSED;
            if (o != Outcome.RETRY) {
                record(name, o, r.statusCode(), body);
            }
            return o;
        } catch (IOException e) {
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.RETRY;
        }
    }

    private synchronized void record(String name, Outcome o, int status, String answer) throws IOException {
        Files.writeString(dir.resolve(LEDGER), name + "\t" + o + "\t" + status + "\t" + answer + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private Map<String, Outcome> readLedger() throws IOException {
        Map<String, Outcome> done = new HashMap<>();
        Path ledger = dir.resolve(LEDGER);
        if (Files.exists(ledger)) {
            for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
                String[] parts = line.split("\t", 3);
                if (parts.length >= 2) {
                    done.put(parts[0], Outcome.valueOf(parts[1]));
                }
            }
        }
        return done;
    }
}
