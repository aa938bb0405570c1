package org.safeguarding.hub.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.safeguarding.hub.crypto.testing.Await;

/**
 * One broker of the hub's live/backup pair in a JVM of its own ({@code HubCommand broker run --config DIR}, as an operator
 * runs it), on a configuration directory that outlives it: killed with SIGKILL and started again on the same journal.
 * Every generation writes to the same log, {@code DIR/broker.log}, where the test reads what the broker says
 * (active, backup synchronised).
 */
final class ForkedBroker implements AutoCloseable {
    /** Artemis: this server is active (a live that started, or a backup that took over). */
    static final String ACTIVE = "AMQ221007";
    /** Artemis: the backup has the live's journal and follows it. */
    static final String BACKUP_SYNCHRONISED = "AMQ221024";

    final String name;
    final Path directory;
    final Path log;
    private Process process;
    private int starts;

    ForkedBroker(String name, Path directory) {
        this.name = name;
        this.directory = directory;
        this.log = directory.resolve("broker.log");
    }

    void start() {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "org.safeguarding.hub.app.HubCommand", "broker", "run", "--config", directory.toString());
        try {
            Files.writeString(log, "==== test: start #" + (starts + 1) + " ====\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            synchronized (this) {
                process = p;
                starts++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until this generation's log has said {@code code} (an Artemis message code) at least once. */
    void awaitSays(String code, Duration timeout) {
        int generation = starts();
        String said = Await.value(name + " (start #" + generation + ") to log " + code, timeout, () -> {
            if (!alive()) {
                return "DIED";
            }
            return sinceLastStart().contains(code) ? "SAID" : "";
        }, s -> !s.isEmpty());
        if (said.equals("DIED")) {
            throw new AssertionError(name + " died while starting:\n" + tail(60));
        }
    }

    /** SIGKILL: no shutdown, nothing flushed that was not synced. */
    void kill() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die of SIGKILL within 30 s");
        }
    }

    synchronized int starts() {
        return starts;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    private String sinceLastStart() {
        try {
            String all = Files.readString(log, StandardCharsets.UTF_8);
            int at = all.lastIndexOf("==== test: start #");
            return at < 0 ? all : all.substring(at);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** How many times the log says {@code text}, over every generation. */
    long logCount(String text) {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    String tail(int lines) {
        try {
            List<String> all = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
