package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.gateway.ledger.FailedBatchHandler;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Where ledger rows go while the database is down: {@code spill.jsonl}, append-only, fsync'd once per batch.
 *
 * <p>As a {@link FailedBatchHandler} it takes every batch the writer could not store. {@link #replay} moves the
 * file aside ({@code spill-<n>.replay}; new rows start a fresh file), inserts its rows {@value #REPLAY_BATCH} at a time
 * (never the whole file in memory: an outage can leave millions of rows) and deletes it. The
 * ledger's primary key is the request id and inserts skip stored ids, so a replay that is interrupted and repeated,
 * or that meets rows already written, never writes a row twice. Replays run at start and on a schedule.
 *
 * <p>Rows this process spilled are reported to the {@linkplain #onReplayed replay listeners} once they are stored, as
 * the writer reports the batches it stores; rows an earlier run left ({@link #inherit}) are not: this run never
 * counted them.
 */
public final class SpillFile implements FailedBatchHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SpillFile.class);
    private static final int REPLAY_BATCH = 500;

    private final Path dir;
    private final Path active;
    private final AtomicLong spilledRows = new AtomicLong();
    private final Counter spilled;
    private final Counter replayed;
    /** Replay files holding rows this process spilled, with how many of their rows were already reported stored. */
    private final Map<Path, Long> ownFiles = new ConcurrentHashMap<>();
    private final List<Consumer<List<LedgerEntry>>> replayListeners = new CopyOnWriteArrayList<>();
    private final Object replaying = new Object();
    private long replaySequence;

    public SpillFile(Path dir, MeterRegistry registry) {
        this.dir = dir;
        this.active = dir.resolve("spill.jsonl");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the ledger spill directory " + dir, e);
        }
        this.spilled = Counter.builder("tollgate.ledger.spilled").description("Ledger rows written to the spill file").register(registry);
        this.replayed = Counter.builder("tollgate.ledger.replayed").description("Spilled ledger rows replayed into the database").register(registry);
        Gauge.builder("tollgate.ledger.spill.pending", spilledRows, AtomicLong::get)
                .description("Ledger rows in spill files, not yet replayed").strongReference(true).register(registry);
    }

    @Override
    public boolean handle(List<LedgerEntry> rows, Exception failure) {
        try {
            append(rows);
            return true;
        } catch (IOException e) {
            LOG.error("Ledger spill file {} cannot be written ({}); keeping the rows in memory", active, e.toString());
            return false;
        }
    }

    /** Appends rows and forces them to disk before returning. */
    public synchronized void append(List<LedgerEntry> rows) throws IOException {
        try (FileChannel channel = FileChannel.open(active, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(LedgerLines.encode(rows));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        spilled.increment(rows.size());
        spilledRows.addAndGet(rows.size());
    }

    /** Calls {@code listener} (on the replaying thread) with each batch of this process's spilled rows once stored. */
    public void onReplayed(Consumer<List<LedgerEntry>> listener) {
        replayListeners.add(listener);
    }

    /**
     * Inserts every spilled row and deletes the files that made it in.
     *
     * @return rows replayed (already stored ones included)
     * @throws Exception if the database is still down; the rows stay spilled
     */
    public int replay(LedgerStore store) throws Exception {
        synchronized (replaying) { // not the append lock: the writer keeps spilling during a long replay
            rotate(true);
            int total = 0;
            for (Path file : replayFiles()) {
                long rows = replayFile(store, file);
                Files.delete(file);
                ownFiles.remove(file);
                replayed.increment((double) rows);
                spilledRows.addAndGet(-rows);
                total += (int) rows;
                LOG.info("Replayed {} spilled ledger rows", rows);
            }
            return total;
        }
    }

    /** Rows in spill files, not yet replayed (gauge {@code tollgate.ledger.spill.pending}). */
    public long pendingRows() {
        return spilledRows.get();
    }

    /** Whether any rows wait to be replayed. */
    public boolean hasPending() {
        try {
            return Files.exists(active) || !replayFiles().isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Whether the directory takes a new file now (it exists, is a directory, is writable and has room for an entry):
     * checked by creating and deleting one, which also holds for root, to whom permission bits do not apply.
     */
    public boolean writable() {
        try {
            Files.delete(Files.createTempFile(dir, ".writable-", ".probe"));
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Sets aside the rows an earlier run left (its spill file, and the journal rows just appended to it): they are
     * replayed like the others but never reported to the replay listeners. Call at start, before any row is spilled.
     */
    void inherit() throws IOException {
        rotate(false);
    }

    /** Inserts a file's rows a batch at a time and reports this process's rows; returns the rows read. */
    private long replayFile(LedgerStore store, Path file) throws IOException, SQLException {
        Long reported = ownFiles.get(file);
        long rows = 0;
        try (LedgerLines.Reader reader = new LedgerLines.Reader(file)) {
            for (List<LedgerEntry> batch = reader.next(REPLAY_BATCH); !batch.isEmpty(); batch = reader.next(REPLAY_BATCH)) {
                store.insertBatch(batch);
                rows += batch.size();
                if (reported != null && rows > reported) {
                    // a replay interrupted and repeated reports each row once
                    report(batch.subList((int) Math.max(0, batch.size() - (rows - reported)), batch.size()));
                    reported = rows;
                    ownFiles.put(file, rows);
                }
            }
        }
        return rows;
    }

    private void report(List<LedgerEntry> rows) {
        for (Consumer<List<LedgerEntry>> listener : replayListeners) {
            try {
                listener.accept(rows);
            } catch (RuntimeException e) {
                LOG.error("Ledger replay listener failed", e);
            }
        }
    }

    /** Moves the active file aside, so appends go to a new one while it is replayed. */
    private synchronized void rotate(boolean own) throws IOException {
        if (Files.exists(active)) {
            Path target;
            do {
                target = dir.resolve("spill-" + System.currentTimeMillis() + "-" + replaySequence++ + ".replay");
            } while (Files.exists(target));
            Files.move(active, target, StandardCopyOption.ATOMIC_MOVE);
            if (own) {
                ownFiles.put(target, 0L);
            }
        }
    }

    private List<Path> replayFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".replay")).sorted().toList();
        }
    }

    /** Counts rows already in spill files when the gateway starts. */
    void countExisting() {
        try {
            long rows = LedgerLines.count(active);
            for (Path f : replayFiles()) {
                rows += LedgerLines.count(f);
            }
            spilledRows.set(rows);
        } catch (IOException e) {
            LOG.warn("Cannot read ledger spill files in {}: {}", dir, e.toString());
        }
    }
}
