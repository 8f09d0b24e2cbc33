package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Write-ahead journal in front of the ledger writer, so that a kill -9 loses no row of a served request.
 *
 * <p>{@link #record} returns once the row is on disk: one thread appends the rows of all concurrent requests
 * and forces them with one fsync (group commit), then hands them, in journal order, to the writer. The writer
 * reports rows it stored or spilled ({@link #done}); a journal segment is deleted once all its rows are done.
 * At start, {@link #recover} moves every row a crash left in segments to the spill file, which is then replayed
 * (stored request ids are skipped, so nothing is written twice).
 */
public final class LedgerJournal implements LedgerSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerJournal.class);
    private static final int SEGMENT_ROWS = 10_000;
    private static final int GROUP_MAX = 1_000;

    private record Pending(LedgerEntry entry, CompletableFuture<Void> durable) {
    }

    private record Segment(Path file, long endSeq) {
    }

    private final Path dir;
    private final LedgerSink next;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Deque<Segment> closedSegments = new ArrayDeque<>();
    private final AtomicLong doneSeq = new AtomicLong();
    private final Thread thread;
    private long journaledSeq;
    private long segmentRows;
    private long segmentNumber;
    private FileChannel channel;
    private Path activeFile;
    private volatile boolean closed;

    /**
     * @param dir  journal directory; segments left by an earlier process must be {@link #recover recovered} first
     * @param next where journaled rows go (the ledger writer)
     */
    public LedgerJournal(Path dir, LedgerSink next) {
        this.dir = dir;
        this.next = next;
        try {
            Files.createDirectories(dir);
            openSegment();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the ledger journal in " + dir, e);
        }
        this.thread = Thread.ofPlatform().name("tollgate-ledger-journal").daemon(true).start(this::run);
    }

    /**
     * Hands the rows of every segment an earlier process left to {@code target} (durably), then deletes the
     * segments. Call before a journal opens in the same directory.
     *
     * @return rows found
     */
    public static int recover(Path dir, SpillFile target) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".journal")).sorted().toList();
        }
        int total = 0;
        for (Path segment : segments) {
            List<LedgerEntry> rows = LedgerLines.read(segment);
            if (!rows.isEmpty()) {
                target.append(rows);
            }
            Files.delete(segment);
            total += rows.size();
        }
        if (total > 0) {
            LOG.info("Recovered {} ledger rows from the journal of an earlier run", total);
        }
        return total;
    }

    @Override
    public void record(LedgerEntry entry) {
        if (closed) {
            throw new IllegalStateException("ledger journal is closed");
        }
        Pending p = new Pending(entry, new CompletableFuture<>());
        queue.add(p);
        boolean interrupted = false;
        while (true) {
            try {
                p.durable().get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("ledger row could not be journaled", e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called by the writer (on its thread, in order) with rows it stored or spilled. */
    public void done(List<LedgerEntry> rows) {
        doneSeq.addAndGet(rows.size());
    }

    /** Journals what is queued, then stops; segments stay until their rows are done (or recovered at next start). */
    @Override
    public void close() {
        closed = true;
        queue.add(new Pending(null, null));
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes segments whose rows are all done; call after the writer has drained. */
    public void deleteDoneSegments() {
        synchronized (closedSegments) {
            long done = doneSeq.get();
            while (!closedSegments.isEmpty() && closedSegments.peekFirst().endSeq() <= done) {
                deleteQuietly(closedSegments.pollFirst().file());
            }
        }
        if (closed && doneSeq.get() >= journaledSeq && activeFile != null) {
            deleteQuietly(activeFile);
        }
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                stop = true;
            }
            queue.drainTo(group, GROUP_MAX);
            List<Pending> rows = new ArrayList<>(group.size());
            for (Pending p : group) {
                if (p.entry() == null) {
                    stop = true;
                } else {
                    rows.add(p);
                }
            }
            group.clear();
            if (!rows.isEmpty()) {
                writeGroup(rows);
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a forced file
        }
    }

    private void writeGroup(List<Pending> rows) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(LedgerLines.encode(rows.stream().map(Pending::entry).toList()));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            LOG.error("Ledger journal {} cannot be written ({}); rows go to the writer without it", activeFile, e.toString());
        }
        journaledSeq += rows.size();
        segmentRows += rows.size();
        for (Pending p : rows) {
            try {
                next.record(p.entry());
                p.durable().complete(null);
            } catch (RuntimeException e) {
                p.durable().completeExceptionally(e);
            }
        }
        try {
            if (segmentRows >= SEGMENT_ROWS) {
                channel.close();
                synchronized (closedSegments) {
                    closedSegments.addLast(new Segment(activeFile, journaledSeq));
                }
                openSegment();
            }
        } catch (IOException e) {
            LOG.error("Ledger journal cannot start a new segment: {}", e.toString());
        }
        deleteDoneSegments();
    }

    private void openSegment() throws IOException {
        activeFile = dir.resolve(String.format("%013d-%06d.journal", System.currentTimeMillis(), segmentNumber++));
        channel = FileChannel.open(activeFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        segmentRows = 0;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete ledger journal segment {}: {}", file.getFileName(), e.toString());
        }
    }
}
