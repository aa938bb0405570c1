package org.safeguarding.hub.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Stream;
import org.safeguarding.hub.spool.SealedBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes dropped files through intake, one at a time, each complete upload answered once.
 *
 * <p>An upload is complete when the partner's SFTP client closes the file (or renames a closed file into
 * {@code inbound/}); only then, still inside the close, is the file forced to disk and moved atomically out of
 * {@code inbound/} into the claimed folder under a stamped name ({@code <stamp>~<name>}, the stamp rising), and that
 * move forced to disk too: a file in the claimed folder is a complete upload, a file in {@code inbound/} is not
 * (yet). So a partner's later upload of the same name neither changes a claimed file nor is mistaken for it, and
 * uploads of one name are answered in the order they completed.
 *
 * <p>A claimed upload is handed to {@link DropIntake}; its answer is first written durably next to it
 * ({@code <stamp>~<name>.receipt.json} or {@code .error.json}: temp file, fsync, atomic rename), then the upload is
 * deleted, then the answer is moved atomically into the partner's {@code outbound/}. At start ({@link #recover()}),
 * whatever {@code inbound/} holds is what uploads the hub never saw closed left behind (a crash mid-upload): it is
 * removed, neither processed nor answered (the partner, having no answer, uploads it again); an answer already
 * written is published without taking its upload again; a claimed upload without an answer is taken again, and
 * intake's own idempotency answers the first receipt for one that had been accepted already.
 * When intake cannot store a file just now, the file stays claimed and is offered again later
 * (from {@code firstRetry}, doubling, at most {@code maxRetry} apart) until it is taken.
 */
public final class DropProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DropProcessor.class);
    private static final int STAMP_DIGITS = 19;
    private static final char STAMP_END = '~';
    private static final String PART = ".part";

    private final DropFolders folders;
    private final DropIntake intake;
    private final Function<String, X509Certificate> certificateOf;
    private final BiPredicate<String, String> beingWritten;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Map<String, Duration> retryDelays = new ConcurrentHashMap<>();
    private final AtomicLong lastStamp = new AtomicLong();
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

    /**
     * A partner's client closed {@code inbound/<name>} after writing it (or renamed a file into place): the upload
     * is complete. Claims it durably before returning (so the client's close is answered only once the hub holds the
     * whole file), then takes it through intake in the background. A failure here is the client's close failing:
     * the file stays in {@code inbound/}, is never taken, and the partner uploads it again.
     */
    public void uploaded(String partnerId, String name) throws IOException {
        if (!DropFolders.isAccountName(partnerId) || !DropFolders.isDropName(name)
                || beingWritten.test(partnerId, name)) {
            return; // another handle still writes it: its close completes the upload
        }
        Path dropped = folders.inbound(partnerId).resolve(name);
        if (!Files.isRegularFile(dropped)) {
            return;
        }
        Path claimedDir = folders.claimed(partnerId);
        Files.createDirectories(claimedDir);
        String stamped = stamp(name);
        force(dropped);
        try {
            Files.move(dropped, claimedDir.resolve(stamped), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException raced) {
            return; // taken (or removed) by another close of the same name meanwhile
        }
        forceDirectory(claimedDir);
        forceDirectory(dropped.getParent());
        submit(() -> process(partnerId, stamped));
    }

    /** A session ended with {@code inbound/<name>} open for writing and nobody else writing it: never complete. */
    public void abandoned(String partnerId, String name) {
        if (!DropFolders.isAccountName(partnerId) || !DropFolders.isDropName(name)
                || beingWritten.test(partnerId, name)) {
            return;
        }
        try {
            if (Files.deleteIfExists(folders.inbound(partnerId).resolve(name))) {
                LOG.info("sftp drop: an upload of {} cut before its close was removed, not taken", partnerId);
            }
        } catch (IOException e) {
            LOG.warn("sftp drop: cannot remove an upload of {} cut before its close: {}", partnerId, e.toString());
        }
    }

    /**
     * At start, before the drop listens: removes what uploads never seen closed left in the inbound folders (now,
     * so that no new upload can be mistaken for one), then, in the background, publishes the answers already
     * written and takes the claimed uploads that have none, oldest first.
     */
    public void recover() {
        List<String> partners;
        try {
            partners = folders.partners();
        } catch (IOException e) {
            LOG.warn("sftp drop: cannot list the drop folders: {}", e.toString());
            return;
        }
        for (String partner : partners) {
            try {
                int removed = 0;
                for (String name : DropFolders.dropNames(folders.inbound(partner))) {
                    Files.deleteIfExists(folders.inbound(partner).resolve(name));
                    removed++;
                }
                if (removed > 0) {
                    forceDirectory(folders.inbound(partner));
                    LOG.info("sftp drop: removed {} upload(s) of {} that the hub never saw complete; not answered",
                            removed, partner);
                }
                tidyClaimed(partner);
            } catch (IOException e) {
                LOG.warn("sftp drop: cannot recover the drop folders of {}: {}", partner, e.toString());
            }
        }
        submit(() -> {
            for (String partner : partners) {
                try {
                    for (String stamped : pendingUploads(partner)) {
                        process(partner, stamped);
                    }
                } catch (IOException e) {
                    LOG.warn("sftp drop: cannot list the claimed files of {}: {}", partner, e.toString());
                }
            }
        });
    }

    /** Runs queued work now and waits for it (tests). */
    void drain() throws Exception {
        executor.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    /** Drops half-written temp files; gives files claimed by an earlier version (plain names) a stamp. */
    private void tidyClaimed(String partner) throws IOException {
        Path dir = folders.claimed(partner);
        for (String file : files(dir)) {
            if (file.endsWith(PART)) {
                Files.deleteIfExists(dir.resolve(file));
            }
        }
        for (String file : files(dir)) {
            Long s = stampOf(file);
            if (s != null) {
                lastStamp.accumulateAndGet(s, Math::max);
            }
        }
        for (String file : files(dir)) {
            if (stampOf(file) == null && DropFolders.isDropName(file)) {
                Files.move(dir.resolve(file), dir.resolve(stamp(file)), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        forceDirectory(dir);
    }

    /** A new stamped name for {@code name}: stamps rise, also across restarts (time-based, past the last seen). */
    private String stamp(String name) {
        long now = System.currentTimeMillis() * 1000;
        long s = lastStamp.updateAndGet(last -> Math.max(now, last + 1));
        return String.format("%0" + STAMP_DIGITS + "d", s) + STAMP_END + name;
    }

    private static Long stampOf(String file) {
        if (file.length() <= STAMP_DIGITS + 1 || file.charAt(STAMP_DIGITS) != STAMP_END) {
            return null;
        }
        for (int i = 0; i < STAMP_DIGITS; i++) {
            if (!Character.isDigit(file.charAt(i))) {
                return null;
            }
        }
        return Long.parseLong(file.substring(0, STAMP_DIGITS));
    }

    /** The partner's file name of a stamped upload or answer. */
    private static String nameOf(String stamped) {
        return stamped.substring(STAMP_DIGITS + 1);
    }

    private static boolean isUpload(String file) {
        return stampOf(file) != null && DropFolders.isDropName(nameOf(file));
    }

    /** The claimed uploads and the answers waiting to be published, oldest first (by stamp; an upload before its answer). */
    private List<String> pendingUploads(String partner) throws IOException {
        TreeSet<String> uploads = new TreeSet<>();
        for (String file : files(folders.claimed(partner))) {
            if (isUpload(file)) {
                uploads.add(file);
            } else {
                Optional<String> upload = uploadOfAnswer(file);
                upload.ifPresent(uploads::add);
            }
        }
        return new ArrayList<>(uploads);
    }

    private static Optional<String> uploadOfAnswer(String file) {
        for (String suffix : List.of(DropFolders.RECEIPT_SUFFIX, DropFolders.ERROR_SUFFIX)) {
            if (file.endsWith(suffix)) {
                String upload = file.substring(0, file.length() - suffix.length());
                if (isUpload(upload)) {
                    return Optional.of(upload);
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        }
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

    /**
     * Takes one claimed upload to its answer, unless an earlier upload of the same name is still in hand (then this
     * one follows it). An answer already written (a crash before it was published) is published as it is: the
     * upload is never taken through intake again once its answer is on disk.
     */
    private void process(String partner, String stamped) {
        Path dir = folders.claimed(partner);
        String name = nameOf(stamped);
        String key = partner + "/" + stamped;
        try {
            Optional<String> first = firstInHand(partner, name);
            if (first.isEmpty() || !first.get().equals(stamped)) {
                return; // answered already, or an earlier upload of this name goes first and takes this one after it
            }
            Path answered = writtenAnswer(dir, stamped);
            if (answered == null) {
                Path claimed = dir.resolve(stamped);
                DropAnswer answer = intake.submit(partner, certificateOf.apply(partner), name,
                        SealedBody.spooled(claimed, Files.size(claimed)));
                if (answer.outcome() == DropAnswer.Outcome.RETRY_LATER) {
                    retryLater(partner, stamped, key);
                    return;
                }
                String suffix = answer.outcome() == DropAnswer.Outcome.RECEIPT
                        ? DropFolders.RECEIPT_SUFFIX : DropFolders.ERROR_SUFFIX;
                answered = dir.resolve(stamped + suffix);
                writeAtomically(dir.resolve(stamped + suffix + PART), answered, answer.document());
            }
            Files.deleteIfExists(dir.resolve(stamped));
            forceDirectory(dir);
            publish(partner, name, answered);
        } catch (IOException e) {
            LOG.warn("sftp drop: cannot take a claimed file of {} to its answer: {}", partner, e.toString());
            retryLater(partner, stamped, key);
            return;
        }
        retryDelays.remove(key);
        try {
            firstInHand(partner, name).ifPresent(next -> process(partner, next)); // the same name dropped again meanwhile
        } catch (IOException e) {
            LOG.warn("sftp drop: cannot list the claimed files of {}: {}", partner, e.toString());
        }
    }

    /** The oldest upload of {@code name} still in hand (claimed, or answered but not yet published). */
    private Optional<String> firstInHand(String partner, String name) throws IOException {
        for (String stamped : pendingUploads(partner)) {
            if (nameOf(stamped).equals(name)) {
                return Optional.of(stamped);
            }
        }
        return Optional.empty();
    }

    private static Path writtenAnswer(Path dir, String stamped) {
        for (String suffix : List.of(DropFolders.RECEIPT_SUFFIX, DropFolders.ERROR_SUFFIX)) {
            Path p = dir.resolve(stamped + suffix);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Moves a written answer into the partner's {@code outbound/} atomically. An answer of the other kind for the
     * same name (an earlier upload of that name) is removed first, so that a crash never leaves both standing.
     */
    private void publish(String partner, String name, Path answer) throws IOException {
        boolean receipt = answer.getFileName().toString().endsWith(DropFolders.RECEIPT_SUFFIX);
        Path outbound = folders.outbound(partner);
        Files.createDirectories(outbound);
        Files.deleteIfExists(outbound.resolve(name + (receipt ? DropFolders.ERROR_SUFFIX : DropFolders.RECEIPT_SUFFIX)));
        Files.move(answer, outbound.resolve(name + (receipt ? DropFolders.RECEIPT_SUFFIX : DropFolders.ERROR_SUFFIX)),
                StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(outbound);
        forceDirectory(answer.getParent());
        LOG.info("sftp drop: a file of {} answered with a {}", partner, receipt ? "receipt" : "problem");
    }

    private void retryLater(String partner, String stamped, String key) {
        Duration delay = retryDelays.merge(key, firstRetry, (was, first) -> min(was.multipliedBy(2), maxRetry));
        LOG.info("sftp drop: a file of {} is kept and offered again in {}", partner, delay);
        try {
            executor.schedule(guarded(() -> process(partner, stamped)), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("sftp drop stopped: the file is taken at the next start");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Writes {@code content} to {@code part}, forces it to disk, renames it atomically to {@code target}, forces the folder. */
    static void writeAtomically(Path part, Path target, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.getParent());
    }

    /** Forces a file's content to disk. */
    static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Forces a folder's entries (renames, creations, deletions in it) to disk, where the platform allows it. */
    static void forceDirectory(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // a platform that cannot open a folder (Windows) orders its own metadata
        }
        try (ch) {
            ch.force(true);
        }
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
