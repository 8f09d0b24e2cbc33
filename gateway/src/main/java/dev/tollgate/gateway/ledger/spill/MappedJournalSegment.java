package dev.tollgate.gateway.ledger.spill;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A journal segment mapped into memory: a row is a copy into the page cache, no system call. The mapping belongs to
 * its own {@code java.lang.foreign.Arena} and is unmapped when the segment closes. (A plain {@link MappedByteBuffer}
 * is unmapped only when a garbage collection finds it: at 32 connections up to 15 rolled segments were still mapped,
 * +67 MB of resident memory.) The Arena API is final from JDK 22; the code targets Java 21, so it is reached through
 * method handles, looked up once, called once per segment.
 */
final class MappedJournalSegment implements JournalSegment {

    private static final MethodHandle OPEN_ARENA;
    private static final MethodHandle MAP;
    private static final MethodHandle AS_BYTE_BUFFER;
    private static final MethodHandle CLOSE_ARENA;
    static final boolean AVAILABLE;

    static {
        MethodHandle open = null, map = null, asBuffer = null, close = null;
        if (Runtime.version().feature() >= 22) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                open = lookup.findStatic(arena, "ofShared", MethodType.methodType(arena));
                map = lookup.findVirtual(FileChannel.class, "map",
                        MethodType.methodType(segment, FileChannel.MapMode.class, long.class, long.class, arena));
                asBuffer = lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class));
                close = lookup.findVirtual(arena, "close", MethodType.methodType(void.class));
            } catch (ReflectiveOperationException e) {
                open = null;
            }
        }
        OPEN_ARENA = open;
        MAP = map;
        AS_BYTE_BUFFER = asBuffer;
        CLOSE_ARENA = close;
        AVAILABLE = open != null;
    }

    private final FileChannel channel;
    private final Object arena;
    private final MappedByteBuffer rows;
    private volatile int written;

    private MappedJournalSegment(FileChannel channel, Object arena, MappedByteBuffer rows) {
        this.channel = channel;
        this.arena = arena;
        this.rows = rows;
    }

    static MappedJournalSegment create(Path file, int bytes) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            Object arena = OPEN_ARENA.invoke();
            Object segment = MAP.invoke(channel, FileChannel.MapMode.READ_WRITE, 0L, (long) bytes, arena);
            return new MappedJournalSegment(channel, arena, (MappedByteBuffer) (ByteBuffer) AS_BYTE_BUFFER.invoke(segment));
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        } catch (Throwable e) {
            channel.close();
            throw new IOException("cannot map the journal segment " + file, e);
        }
    }

    @Override
    public boolean append(byte[] row) throws IOException {
        int at = written; // one writer (appends come under the journal's lock); force() reads it on another thread
        if (row.length > rows.capacity() - at) {
            return false;
        }
        try {
            rows.put(at, row);
        } catch (InternalError e) {
            // the JVM's answer to SIGBUS: the file system had no block for the page (disk full)
            throw new IOException("no room on the disk for the journal", e);
        }
        written = at + row.length;
        return true;
    }

    @Override
    public void force() throws IOException {
        try {
            rows.force(0, written);
        } catch (IllegalStateException closed) {
            // closing forced it
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() throws IOException {
        // closed in reverse order, the channel then the mapping; a failure of either is added to an earlier one
        try (Closeable unmapping = this::unmap; channel) {
            force();
            channel.truncate(written);
        }
    }

    private void unmap() throws IOException {
        try {
            CLOSE_ARENA.invoke(arena);
        } catch (Throwable e) {
            throw new IOException("cannot unmap the journal segment", e);
        }
    }
}
