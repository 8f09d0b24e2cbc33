package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerSink;
import dev.tollgate.gateway.scheduling.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Write-ahead journal in front of the ledger writer, so that a kill -9 loses no row of a served request.
 *
 * <p>{@link #record} appends the row to the active segment on the caller's thread (under a lock, no hand-off) before
 * the response goes out, so the row is in the operating system's page cache and survives the death of the process; a
 * background thread forces the segment to disk every {@code syncInterval}, so a crash of the whole machine loses at
 * most that interval. (An fsync per request cost a disk round trip on the request path.) Segments are mapped into
 * memory where the runtime allows ({@link MappedJournalSegment}): a {@code write} per request was one system call in
 * ten and 6 % of the gateway's CPU at 32 connections (bench/RESULTS.md). A segment is rolled at
 * {@value #SEGMENT_ROWS} rows or when the next row does not fit; a killed process leaves a mapped segment with a
 * zero-filled tail, which {@link LedgerLines#read} skips.
 * The writer reports rows it stored or spilled ({@link #done}); a segment is deleted once all its rows are done.
 * At start, {@link #recover} moves every row a crash left in segments to the spill file, which is then replayed
 * (stored request ids are skipped, so nothing is written twice).
 */
public final class LedgerJournal implements LedgerSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerJournal.class);
    private static final int SEGMENT_ROWS = 10_000;

    private record Segment(Path file, long endSeq) {
    }

    private final Path dir;
    private final LedgerSink next;
    private final Deque<Segment> closedSegments = new ArrayDeque<>();
    private final AtomicLong doneSeq = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledExecutorService syncer;
    private long journaledSeq;
    private long segmentRows;
    private long segmentNumber;
    private boolean dirty;
    private JournalSegment active;
    private Path activeFile;
    private volatile boolean closed;

    /**
     * @param dir          journal directory; segments left by an earlier process must be {@link #recover recovered} first
     * @param next         where journaled rows go (the ledger writer)
     * @param syncInterval how often written rows are forced to disk
     */
    public LedgerJournal(Path dir, LedgerSink next, Duration syncInterval) {
        this.dir = dir;
        this.next = next;
        try {
            Files.createDirectories(dir);
            openSegment(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the ledger journal in " + dir, e);
        }
        this.syncer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tollgate-ledger-journal").daemon(true).factory());
        Periodic.schedule(syncer, syncInterval, this::sync);
    }

    public LedgerJournal(Path dir, LedgerSink next) {
        this(dir, next, Duration.ofMillis(200));
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
            List<LedgerEntry> rows;
            try {
                rows = LedgerLines.read(segment);
            } catch (NoSuchFileException gone) {
                continue; // deleted meanwhile by the process that wrote it, which had stored its rows
            }
            if (!rows.isEmpty()) {
                target.append(rows);
            }
            Files.deleteIfExists(segment);
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
        byte[] line = LedgerLines.encode(List.of(entry));
        lock.lock();
        try {
            try {
                if (active == null || !active.append(line)) {
                    rollSegment(line.length);
                    if (active == null || !active.append(line)) {
                        throw new IOException("no segment has room for the row");
                    }
                }
                dirty = true;
            } catch (IOException e) {
                LOG.error("Ledger journal {} cannot be written ({}); the row goes to the writer without it", activeFile, e.toString());
            }
            journaledSeq++;
            if (++segmentRows >= SEGMENT_ROWS) {
                rollSegment(0);
            }
        } finally {
            lock.unlock();
        }
        next.record(entry);
    }

    /** Called by the writer (on its thread, in order) with rows it stored or spilled. */
    public void done(List<LedgerEntry> rows) {
        doneSeq.addAndGet(rows.size());
    }

    /** Forces what is written to disk, then stops; segments stay until their rows are done (or recovered at next start). */
    @Override
    public void close() {
        closed = true;
        syncer.shutdownNow();
        lock.lock();
        try {
            closeSegment();
        } finally {
            lock.unlock();
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

    /** Forces written rows to disk; this runs outside the lock, so requests never wait for the disk. */
    private void sync() {
        JournalSegment toForce;
        lock.lock();
        try {
            if (!dirty || active == null) {
                return;
            }
            toForce = active;
            dirty = false;
        } finally {
            lock.unlock();
        }
        try {
            toForce.force();
        } catch (IOException e) {
            LOG.error("Ledger journal {} cannot be forced to disk: {}", activeFile, e.toString());
        }
    }

    /** Called under the lock: closes the active segment and opens the next, with room for at least {@code minBytes}. */
    private void rollSegment(int minBytes) {
        closeSegment();
        synchronized (closedSegments) {
            closedSegments.addLast(new Segment(activeFile, journaledSeq));
        }
        try {
            openSegment(minBytes);
        } catch (IOException e) {
            LOG.error("Ledger journal cannot start a new segment: {}", e.toString());
        }
    }

    /** Called under the lock. */
    private void closeSegment() {
        if (active == null) {
            return;
        }
        try {
            active.close();
        } catch (IOException e) {
            LOG.error("Ledger journal {} cannot be closed cleanly: {}", activeFile, e.toString());
        }
        active = null;
        dirty = false;
    }

    private void openSegment(int minBytes) throws IOException {
        activeFile = dir.resolve(String.format("%013d-%06d.journal", System.currentTimeMillis(), segmentNumber++));
        active = JournalSegment.create(activeFile, minBytes);
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
