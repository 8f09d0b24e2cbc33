package dev.tollgate.gateway.ledger.spill;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.config.LedgerSettings;
import dev.tollgate.gateway.ledger.FailedBatchHandler;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerSink;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.ledger.LedgerWriter;
import dev.tollgate.gateway.scheduling.Periodic;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * A ledger that loses nothing: the {@link SpillFile} takes batches the database refused and is replayed when it
 * answers again (at start, then every {@code replayInterval} while the database is up); the optional
 * {@link LedgerJournal} makes each row durable before its response is sent, so even a kill -9 is recovered at the
 * next start.
 *
 * <p>Order of use: {@link #recover()} before the writer starts; {@link #failedBatchHandler()} and
 * {@link #attach(LedgerWriter)} to build the writer; {@link #sink()} on the request path; on shutdown
 * {@link #closeJournal()}, then close the writer, then {@link #close()}.
 */
public final class LedgerDurability implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerDurability.class);

    private final Path dir;
    private final LedgerStore store;
    private final SpillFile spill;
    private final boolean journaled;
    private final Duration replayInterval;
    private final ScheduledExecutorService replayer;
    private LedgerJournal journal;
    private LedgerSink sink;

    public LedgerDurability(Path dir, LedgerStore store, boolean journaled, Duration replayInterval, MeterRegistry registry) {
        this.dir = dir;
        this.store = store;
        this.journaled = journaled;
        this.replayInterval = replayInterval;
        this.spill = new SpillFile(dir, registry);
        this.replayer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tollgate-ledger-replay").daemon(true).factory());
    }

    /** The spill directory of a configuration: as configured, else next to the SQLite file, else {@code ./tollgate-spill}. */
    public static Path directory(LedgerSettings ledger, DatabaseSettings database) {
        if (ledger.spillDirectory() != null) {
            return Path.of(ledger.spillDirectory());
        }
        if (database.isSqlite()) {
            String file = database.url().substring("jdbc:sqlite:".length());
            int query = file.indexOf('?');
            file = query >= 0 ? file.substring(0, query) : file;
            file = file.startsWith("file:") ? file.substring(5) : file;
            Path db = Path.of(file).toAbsolutePath();
            return db.resolveSibling(db.getFileName() + ".spill");
        }
        return Path.of("tollgate-spill");
    }

    /** Inserts rows an earlier run left in the journal and the spill file; leaves them if the database is down. */
    public void recover() {
        spill.countExisting();
        try {
            LedgerJournal.recover(dir, spill);
            spill.inherit();
        } catch (IOException e) {
            throw new IllegalStateException("cannot recover the ledger journal in " + dir, e);
        }
        replayQuietly();
    }

    /** Spills failed batches (and counts them as done for the journal). */
    public FailedBatchHandler failedBatchHandler() {
        return (rows, failure) -> {
            boolean taken = spill.handle(rows, failure);
            if (taken && journal != null) {
                journal.done(rows);
            }
            return taken;
        };
    }

    /** Starts the journal (if on) and the replay schedule around a writer built with {@link #failedBatchHandler()}. */
    public void attach(LedgerWriter writer) {
        if (journaled) {
            journal = new LedgerJournal(dir, writer::record);
            // The writer calls the handler for spilled rows and listeners for stored ones, in queue order.
            writer.addListener(journal::done);
            sink = journal;
        } else {
            sink = writer::record;
        }
        Periodic.schedule(replayer, replayInterval, this::replayIfPending);
    }

    /**
     * Calls {@code listener} with rows this process spilled once a replay has stored them, as the writer's listeners
     * are called with the batches it stores (budgets move their cost from "unflushed" to the database total).
     */
    public void onReplayed(Consumer<List<LedgerEntry>> listener) {
        spill.onReplayed(listener);
    }

    /** Whether the journal and spill directory takes new files now (see {@link SpillFile#writable()}). */
    public boolean writable() {
        return spill.writable();
    }

    /** Rows in spill files, not yet replayed. */
    public long spillPendingRows() {
        return spill.pendingRows();
    }

    /** Where the request path records rows. */
    public LedgerSink sink() {
        return sink;
    }

    /** Stops taking rows: journals what is queued. Call before the writer closes. */
    public void closeJournal() {
        if (journal != null) {
            journal.close();
        }
    }

    /** Deletes journal segments the closed writer finished, tries a last replay, stops the schedule. */
    @Override
    public void close() {
        replayer.shutdownNow();
        if (journal != null) {
            journal.deleteDoneSegments();
        }
        replayQuietly();
    }

    /**
     * Runs every replay interval: deletes journal segments whose rows are stored or spilled (else the journal only
     * grows, outage or not), and replays the spill once the database is up again.
     */
    private void replayIfPending() {
        if (journal != null) {
            journal.deleteDoneSegments();
        }
        if (spill.hasPending() && store.databaseUp()) {
            replayQuietly();
        }
    }

    private void replayQuietly() {
        try {
            spill.replay(store);
        } catch (Exception e) {
            LOG.debug("Ledger spill replay deferred: database not ready ({})", e.getClass().getSimpleName());
        }
    }
}
