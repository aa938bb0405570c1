package org.safeguarding.hub.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.safeguarding.hub.http.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes dropped files through intake, one at a time. A file is claimed by renaming it atomically out of
 * {@code inbound/} into the claimed folder (so it is never processed twice, and a partner's later upload of
 * the same name cannot change it), handed to {@link DropIntake}, its receipt or problem written to
 * {@code outbound/} atomically, and only then deleted. A crash at any point leaves the whole file in
 * {@code inbound/} or the claimed folder, and {@link #recover()} takes it again at start; intake's own
 * idempotency answers the first receipt again for a file that had been accepted already.
 * When intake cannot store a file just now, the file stays claimed and is offered again later
 * (from {@code firstRetry}, doubling, at most {@code maxRetry} apart) until it is taken.
 */
public final class DropProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DropProcessor.class);

    private final DropFolders folders;
    private final DropIntake intake;
    private final Function<String, X509Certificate> certificateOf;
    private final BiPredicate<String, String> beingWritten;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Map<String, Duration> retryDelays = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sftp-drop");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param certificateOf a currently valid certificate of the partner (or {@code null}), handed to intake
     * @param beingWritten  whether a session still has {@code inbound/<name>} of the partner open for writing
     */
    public DropProcessor(DropFolders folders, DropIntake intake, Function<String, X509Certificate> certificateOf,
                         BiPredicate<String, String> beingWritten, Duration firstRetry, Duration maxRetry) {
        this.folders = folders;
        this.intake = intake;
        this.certificateOf = certificateOf;
        this.beingWritten = beingWritten;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    /** A partner finished writing (or renamed into place) {@code inbound/<name>}: take it. */
    public void uploaded(String partnerId, String name) {
        if (DropFolders.isAccountName(partnerId) && DropFolders.isDropName(name)) {
            submit(() -> claimAndProcess(partnerId, name));
        }
    }

    /** At start: everything claimed before a crash, then everything waiting in the partners' inbound folders. */
    public void recover() {
        submit(() -> {
            try {
                for (String partner : folders.partners()) {
                    for (String name : DropFolders.dropNames(folders.claimed(partner))) {
                        LOG.info("sftp drop: taking again a file of {} claimed before the hub stopped", partner);
                        process(partner, name);
                    }
                    for (String name : DropFolders.dropNames(folders.inbound(partner))) {
                        claimAndProcess(partner, name);
                    }
                }
            } catch (IOException e) {
                LOG.warn("sftp drop: cannot list the drop folders: {}", e.toString());
            }
        });
    }

    /** Runs queued work now and waits for it (tests). */
    void drain() throws Exception {
        executor.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    private void submit(Runnable task) {
        try {
            executor.execute(guarded(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("sftp drop stopped: the file is taken at the next start");
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("sftp drop: unexpected failure; the file stays and is taken at the next start", e);
            }
        };
    }

    private void claimAndProcess(String partner, String name) {
        Path dropped = folders.inbound(partner).resolve(name);
        Path claimed = folders.claimed(partner).resolve(name);
        if (!Files.isRegularFile(dropped) || beingWritten.test(partner, name)) {
            return;
        }
        if (Files.exists(claimed)) {
            return; // the same name is still in hand; taken when that one is done
        }
        try {
            Files.createDirectories(claimed.getParent());
            Files.move(dropped, claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("sftp drop: cannot claim a file of {}: {}", partner, e.toString());
            return;
        }
        process(partner, name);
    }

    private void process(String partner, String name) {
        Path claimed = folders.claimed(partner).resolve(name);
        String key = partner + "/" + name;
        DropAnswer answer;
        try {
            answer = intake.submit(partner, certificateOf.apply(partner),
                    RequestBody.spooled(claimed, Files.size(claimed)));
        } catch (IOException e) {
            LOG.warn("sftp drop: cannot read a claimed file of {}: {}", partner, e.toString());
            retryLater(partner, name, key);
            return;
        }
        if (answer.outcome() == DropAnswer.Outcome.RETRY_LATER) {
            retryLater(partner, name, key);
            return;
        }
        boolean receipt = answer.outcome() == DropAnswer.Outcome.RECEIPT;
        Path outbound = folders.outbound(partner);
        try {
            Files.createDirectories(outbound);
            writeAtomically(claimed.resolveSibling(name + ".answer.part"),
                    outbound.resolve(name + (receipt ? DropFolders.RECEIPT_SUFFIX : DropFolders.ERROR_SUFFIX)),
                    answer.document());
            // a file of the same name answered earlier the other way: only the latest answer stands
            Files.deleteIfExists(outbound.resolve(name + (receipt ? DropFolders.ERROR_SUFFIX : DropFolders.RECEIPT_SUFFIX)));
            Files.delete(claimed);
        } catch (IOException e) {
            LOG.warn("sftp drop: cannot write the answer for a file of {}: {}", partner, e.toString());
            retryLater(partner, name, key);
            return;
        }
        retryDelays.remove(key);
        LOG.info("sftp drop: a file of {} answered with a {}", partner, receipt ? "receipt" : "problem");
        claimAndProcess(partner, name); // the same name dropped again meanwhile
    }

    private void retryLater(String partner, String name, String key) {
        Duration delay = retryDelays.merge(key, firstRetry, (was, first) -> min(was.multipliedBy(2), maxRetry));
        LOG.info("sftp drop: a file of {} is kept and offered again in {}", partner, delay);
        try {
            executor.schedule(guarded(() -> process(partner, name)), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("sftp drop stopped: the file is taken at the next start");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void writeAtomically(Path part, Path target, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
