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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Where ledger rows go while the database is down: {@code spill.jsonl}, append-only, fsync'd once per batch.
 *
 * <p>As a {@link FailedBatchHandler} it takes every batch the writer could not store. {@link #replay} moves the
 * file aside ({@code spill-<n>.replay}; new rows start a fresh file), inserts its rows and deletes it. The
 * ledger's primary key is the request id and inserts skip stored ids, so a replay that is interrupted and repeated,
 * or that meets rows already written, never writes a row twice. Replays run at start and on a schedule.
 */
public final class SpillFile implements FailedBatchHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SpillFile.class);
    private static final int REPLAY_BATCH = 500;

    private final Path dir;
    private final Path active;
    private final AtomicLong spilledRows = new AtomicLong();
    private final Counter spilled;
    private final Counter replayed;
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

    /**
     * Inserts every spilled row and deletes the files that made it in.
     *
     * @return rows replayed (already stored ones included)
     * @throws Exception if the database is still down; the rows stay spilled
     */
    public int replay(LedgerStore store) throws Exception {
        rotate();
        int total = 0;
        for (Path file : replayFiles()) {
            List<LedgerEntry> rows = LedgerLines.read(file);
            for (int i = 0; i < rows.size(); i += REPLAY_BATCH) {
                store.insertBatch(rows.subList(i, Math.min(rows.size(), i + REPLAY_BATCH)));
            }
            Files.delete(file);
            replayed.increment(rows.size());
            spilledRows.addAndGet(-rows.size());
            total += rows.size();
            LOG.info("Replayed {} spilled ledger rows", rows.size());
        }
        return total;
    }

    /** Whether any rows wait to be replayed. */
    public boolean hasPending() {
        try {
            return Files.exists(active) || !replayFiles().isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    /** Moves the active file aside, so appends go to a new one while it is replayed. */
    private synchronized void rotate() throws IOException {
        if (Files.exists(active)) {
            Path target;
            do {
                target = dir.resolve("spill-" + System.currentTimeMillis() + "-" + (replaySequence++) + ".replay");
            } while (Files.exists(target));
            Files.move(active, target, StandardCopyOption.ATOMIC_MOVE);
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
            long rows = LedgerLines.read(active).size();
            for (Path f : replayFiles()) {
                rows += LedgerLines.read(f).size();
            }
            spilledRows.set(rows);
        } catch (IOException e) {
            LOG.warn("Cannot read ledger spill files in {}: {}", dir, e.toString());
        }
    }
}
