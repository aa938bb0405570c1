package org.safeguarding.hub.jdbc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system for tests, {@code jdbc:h2:faulty:/abs/path}: the real disk underneath, but it counts every
 * {@code force} (fsync) and every write, and while {@link #diskFull} is set every write, force and truncate fails
 * as a full disk does ({@code IOException("No space left on device")}).
 */
public final class FaultyFilePath extends FilePathWrapper {
    public static final String SCHEME = "faulty";
    /** While set, writes fail. */
    public static final AtomicBoolean diskFull = new AtomicBoolean();
    public static final AtomicLong forces = new AtomicLong();
    public static final AtomicLong writes = new AtomicLong();
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    /** Registers the scheme once per JVM. */
    public static void register() {
        if (REGISTERED.compareAndSet(false, true)) {
            FilePath.register(new FaultyFilePath());
        }
    }

    /** The JDBC URL of an H2 database at {@code absolutePath} on this file system. */
    public static String url(java.nio.file.Path absolutePath) {
        register();
        return "jdbc:h2:" + SCHEME + ":" + absolutePath.toAbsolutePath();
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(super.open(mode));
    }

    private static void failIfFull() throws IOException {
        if (diskFull.get()) {
            throw new IOException("No space left on device");
        }
    }

    private static final class Channel extends FileBase {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            failIfFull();
            writes.incrementAndGet();
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            failIfFull();
            writes.incrementAndGet();
            return base.write(src, position);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            failIfFull();
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            failIfFull();
            forces.incrementAndGet();
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }
    }
}
