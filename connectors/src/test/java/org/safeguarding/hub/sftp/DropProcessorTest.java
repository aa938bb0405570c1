package org.safeguarding.hub.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropProcessorTest {
    private static final String PARTNER = "lancs-police";

    @TempDir
    Path root;

    private final List<String> submitted = new CopyOnWriteArrayList<>();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final DropIntake intake = (partner, cert, body) -> {
        String text;
        try (java.io.InputStream in = body.open()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        submitted.add(partner + ":" + text);
        if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return DropAnswer.retryLater();
        }
        return text.startsWith("sealed")
                ? DropAnswer.receipt(("{\"status\":\"ACCEPTED\",\"of\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8))
                : DropAnswer.problem("{\"code\":\"UNDECRYPTABLE\"}".getBytes(StandardCharsets.UTF_8));
    };
    private DropFolders folders;
    private DropProcessor processor;

    private DropProcessor processor(java.util.function.BiPredicate<String, String> beingWritten) throws Exception {
        folders = new DropFolders(root);
        folders.ensure(PARTNER);
        processor = new DropProcessor(folders, intake, p -> null, beingWritten, Duration.ofMillis(10),
                Duration.ofMillis(40));
        return processor;
    }

    @AfterEach
    void stop() {
        if (processor != null) {
            processor.close();
        }
    }

    private Path drop(String name, String content) throws Exception {
        return Files.writeString(folders.inbound(PARTNER).resolve(name), content);
    }

    private String outbound(String name) throws Exception {
        return Files.readString(folders.outbound(PARTNER).resolve(name));
    }

    @Test
    void aDroppedFileIsAnsweredWithItsReceiptAndThenRemoved() throws Exception {
        processor(( p, n) -> false);
        drop("a.p7m", "sealed-a");
        processor.uploaded(PARTNER, "a.p7m");
        processor.drain();

        assertThat(outbound("a.p7m.receipt.json")).contains("ACCEPTED").contains("sealed-a");
        assertThat(folders.inbound(PARTNER).resolve("a.p7m")).doesNotExist();
        assertThat(folders.claimed(PARTNER)).isEmptyDirectory();
        assertThat(submitted).containsExactly(PARTNER + ":sealed-a");
    }

    @Test
    void aProblemIsWrittenAsErrorJsonAndReplacesNoReceipt() throws Exception {
        processor(( p, n) -> false);
        drop("junk.p7m", "junk");
        processor.uploaded(PARTNER, "junk.p7m");
        processor.drain();

        assertThat(outbound("junk.p7m.error.json")).contains("UNDECRYPTABLE");
        assertThat(folders.outbound(PARTNER).resolve("junk.p7m.receipt.json")).doesNotExist();
        assertThat(folders.inbound(PARTNER)).isEmptyDirectory();
    }

    @Test
    void aCompletedUploadIsProcessedOnceEvenWhenAnnouncedTwice() throws Exception {
        processor(( p, n) -> false);
        drop("a.p7m", "sealed-a");
        processor.uploaded(PARTNER, "a.p7m");
        processor.uploaded(PARTNER, "a.p7m");
        processor.drain();

        assertThat(submitted).containsExactly(PARTNER + ":sealed-a");
    }

    @Test
    void atStartWhatACrashLeftClaimedIsTakenOnceAndWhatWaitsInInboundIsRemovedUnanswered() throws Exception {
        processor(( p, n) -> false);
        Files.writeString(folders.claimed(PARTNER).resolve("claimed.p7m"), "sealed-claimed"); // an earlier version's claim
        Files.writeString(folders.claimed(PARTNER).resolve("0000000000000000001~stamped.p7m"), "sealed-stamped");
        drop("waiting.p7m", "sealed-wai"); // an upload the hub never saw closed
        processor.recover();
        processor.drain();

        assertThat(submitted).containsExactlyInAnyOrder(PARTNER + ":sealed-claimed", PARTNER + ":sealed-stamped");
        assertThat(outbound("claimed.p7m.receipt.json")).contains("sealed-claimed");
        assertThat(outbound("stamped.p7m.receipt.json")).contains("sealed-stamped");
        assertThat(folders.outbound(PARTNER).resolve("waiting.p7m.error.json")).doesNotExist();
        assertThat(folders.outbound(PARTNER).resolve("waiting.p7m.receipt.json")).doesNotExist();
        assertThat(folders.inbound(PARTNER)).isEmptyDirectory();
        assertThat(folders.claimed(PARTNER)).isEmptyDirectory();
    }

    @Test
    void anAnswerWrittenBeforeACrashIsPublishedAtStartWithoutTakingTheUploadAgain() throws Exception {
        processor(( p, n) -> false);
        Path claimed = folders.claimed(PARTNER);
        // crashed after the answer was written, before the upload was deleted
        Files.writeString(claimed.resolve("0000000000000000001~a.p7m"), "sealed-a");
        Files.writeString(claimed.resolve("0000000000000000001~a.p7m.receipt.json"), "{\"receiptId\":\"first\"}");
        // crashed after the upload was deleted, before the answer was published; an older answer of the other kind
        Files.writeString(claimed.resolve("0000000000000000002~b.p7m.error.json"), "{\"code\":\"UNDECRYPTABLE\"}");
        Files.writeString(folders.outbound(PARTNER).resolve("b.p7m.receipt.json"), "{\"receiptId\":\"older\"}");
        Files.writeString(claimed.resolve("0000000000000000003~c.p7m.receipt.json.part"), "{\"rece");
        processor.recover();
        processor.drain();

        assertThat(submitted).isEmpty();
        assertThat(outbound("a.p7m.receipt.json")).contains("first");
        assertThat(outbound("b.p7m.error.json")).contains("UNDECRYPTABLE");
        assertThat(folders.outbound(PARTNER).resolve("b.p7m.receipt.json")).doesNotExist();
        assertThat(claimed).isEmptyDirectory();
    }

    @Test
    void aFileStillBeingWrittenOrNotAP7mIsLeftAloneAndAtStartAnUnclosedUploadIsRemoved() throws Exception {
        processor(( p, n) -> n.equals("open.p7m"));
        drop("open.p7m", "sealed-open");
        drop("upload.p7m.filepart", "sealed-part");
        processor.uploaded(PARTNER, "open.p7m");
        processor.uploaded(PARTNER, "upload.p7m.filepart");
        processor.drain();

        assertThat(submitted).isEmpty();
        assertThat(folders.inbound(PARTNER).resolve("open.p7m")).exists();
        assertThat(folders.inbound(PARTNER).resolve("upload.p7m.filepart")).exists();

        processor.recover(); // as at a start: nothing is open, so open.p7m is what a cut upload left
        processor.drain();
        assertThat(submitted).isEmpty();
        assertThat(folders.inbound(PARTNER).resolve("open.p7m")).doesNotExist();
        assertThat(folders.inbound(PARTNER).resolve("upload.p7m.filepart")).exists();
        assertThat(folders.outbound(PARTNER)).isEmptyDirectory();
    }

    @Test
    void aCutUploadIsRemovedAndNeverTaken() throws Exception {
        processor(( p, n) -> false);
        drop("cut.p7m", "sealed-c");
        processor.abandoned(PARTNER, "cut.p7m");
        processor.drain();

        assertThat(submitted).isEmpty();
        assertThat(folders.inbound(PARTNER)).isEmptyDirectory();
        assertThat(folders.outbound(PARTNER)).isEmptyDirectory();
    }

    @Test
    void whenTheHubCannotStoreItTheFileIsKeptAndOfferedAgain() throws Exception {
        processor(( p, n) -> false);
        unavailable.set(2);
        drop("a.p7m", "sealed-a");
        processor.uploaded(PARTNER, "a.p7m");
        processor.drain();
        try (var claimed = Files.list(folders.claimed(PARTNER))) {
            assertThat(claimed.map(p -> p.getFileName().toString())).singleElement().asString().endsWith("~a.p7m");
        }
        assertThat(folders.outbound(PARTNER)).isEmptyDirectory();

        Path receipt = folders.outbound(PARTNER).resolve("a.p7m.receipt.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(receipt) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(receipt).exists();
        assertThat(folders.outbound(PARTNER).resolve("a.p7m.error.json")).doesNotExist();
        assertThat(submitted).hasSize(3);
        processor.drain();
        assertThat(folders.claimed(PARTNER)).isEmptyDirectory();
    }

    @Test
    void theSameNameDroppedAgainWhileTheFirstIsInHandIsTakenAfterIt() throws Exception {
        processor(( p, n) -> false);
        unavailable.set(1);
        drop("a.p7m", "sealed-first");
        processor.uploaded(PARTNER, "a.p7m");
        processor.drain();
        drop("a.p7m", "sealed-second");
        processor.uploaded(PARTNER, "a.p7m"); // the first is still claimed: this one waits in inbound

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (submitted.size() < 3 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        processor.drain();
        assertThat(submitted).containsExactly(PARTNER + ":sealed-first", PARTNER + ":sealed-first",
                PARTNER + ":sealed-second");
        assertThat(outbound("a.p7m.receipt.json")).contains("sealed-second");
        assertThat(folders.inbound(PARTNER)).isEmptyDirectory();
    }

    @Test
    void folderNamesAreConfined() {
        assertThat(DropFolders.isAccountName("lancs-police")).isTrue();
        assertThat(DropFolders.isAccountName("..")).isFalse();
        assertThat(DropFolders.isAccountName(".processing")).isFalse();
        assertThat(DropFolders.isAccountName("a/b")).isFalse();
        assertThat(DropFolders.isDropName("x.p7m")).isTrue();
        assertThat(DropFolders.isDropName(".x.p7m")).isFalse();
        assertThat(DropFolders.isDropName("x.p7m.part")).isFalse();
    }
}
