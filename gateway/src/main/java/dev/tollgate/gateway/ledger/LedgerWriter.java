package dev.tollgate.gateway.ledger;

import dev.tollgate.api.config.LedgerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Takes ledger rows off the request path and writes them in batches on one background thread.
 *
 * <p>{@link #record} puts a row in a bounded queue; when the queue is full the caller waits (backpressure), so
 * no row is dropped. The writer thread writes up to {@code batchSize} rows at once, or whatever arrived within
 * {@code flushInterval} of the first row of a batch. A failed write is counted, handed to the
 * {@link FailedBatchHandler} and, unless the handler took it, retried with exponential backoff until it
 * succeeds; later rows wait behind it in order.
 *
 * <p>Metrics: gauges {@code tollgate.ledger.queue.depth} (rows recorded and not yet written) and
 * {@code tollgate.ledger.lag.seconds} (age of the oldest of them), counters
 * {@code tollgate.ledger.write.failures} (failed batch writes, each retry counts) and
 * {@code tollgate.ledger.rows.written} (rows in committed batches; Prometheus adds {@code _total}). One writer per
 * registry: a second one would share the counters and its gauge would not be registered.
 */
public final class LedgerWriter implements AutoCloseable {

    /**
     * Tuning of the writer beyond {@link LedgerSettings}.
     *
     * @param initialBackoff     wait before the first retry of a failed batch; doubles on each failure
     * @param maxBackoff         longest wait between retries
     * @param closeTimeout       how long {@link #close()} waits for queued rows to be written before it stops
     *                           the writer and hands the rest to the failed-batch handler
     * @param failedBatchHandler what happens to rows that could not be written
     */
    public record Options(Duration initialBackoff, Duration maxBackoff, Duration closeTimeout,
                          FailedBatchHandler failedBatchHandler) {

        public Options {
            requirePositive(initialBackoff, "initialBackoff");
            requirePositive(maxBackoff, "maxBackoff");
            requirePositive(closeTimeout, "closeTimeout");
            Objects.requireNonNull(failedBatchHandler, "failedBatchHandler");
        }

        /** 200 ms first retry, at most 10 s between retries, 20 s to drain on close, retry in memory. */
        public static Options defaults() {
            return new Options(Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(20),
                    FailedBatchHandler.RETRY_IN_MEMORY);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LedgerWriter.class);
    private static final long ENQUEUE_RECHECK_MILLIS = 100;
    private static final long COLLECT_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final LedgerStore store;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final Options options;
    private final BlockingQueue<Item> queue;
    private final AtomicLong pendingRows = new AtomicLong();
    private final Counter writeFailures;
    private final Counter rowsWritten;
    private final List<Consumer<List<LedgerEntry>>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean terminated;
    private volatile boolean rowsLost;
    /** Queue time of the oldest row the writer has taken and not yet written or handed over; 0 when none. */
    private volatile long takenSince;
    /** Writer thread only: the last write failed (failures after the first are logged at debug level). */
    private boolean failing;

    /** Starts a writer and its background thread. */
    public LedgerWriter(LedgerStore store, LedgerSettings settings, MeterRegistry registry, Options options) {
        if (settings.batchSize() < 1 || settings.queueCapacity() < 1) {
            throw new IllegalArgumentException("ledger batchSize and queueCapacity must be positive: " + settings);
        }
        requirePositive(settings.flushInterval(), "flushInterval");
        this.store = store;
        this.batchSize = settings.batchSize();
        this.flushIntervalNanos = settings.flushInterval().toNanos();
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        Gauge.builder("tollgate.ledger.queue.depth", pendingRows, AtomicLong::get)
                .description("Ledger rows recorded and not yet written")
                .strongReference(true)
                .register(registry);
        Gauge.builder("tollgate.ledger.lag.seconds", this, LedgerWriter::lagSeconds)
                .description("Age of the oldest ledger row recorded and not yet written (0 when none waits)")
                .strongReference(true)
                .register(registry);
        this.writeFailures = Counter.builder("tollgate.ledger.write.failures")
                .description("Failed ledger batch writes; each retry counts")
                .register(registry);
        this.rowsWritten = Counter.builder("tollgate.ledger.rows.written")
                .description("Ledger rows in committed batches")
                .register(registry);
        this.thread = Thread.ofPlatform().name("tollgate-ledger-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /**
     * Queues a row for writing, waiting while the queue is full. An interrupt does not abandon the row: the
     * call keeps waiting and returns with the interrupt flag set.
     *
     * @throws NullPointerException     if the request id, endpoint, start, key name or cost is null
     * @throws ArithmeticException      if the cost does not fit the ledger (see {@link Picodollars})
     * @throws IllegalStateException    if the writer is closed
     */
    public void record(LedgerEntry entry) {
        Objects.requireNonNull(entry.requestId(), "requestId");
        Objects.requireNonNull(entry.what().endpoint(), "endpoint");
        Objects.requireNonNull(entry.startedAt(), "startedAt");
        Objects.requireNonNull(entry.keyName(), "keyName");
        Picodollars.fromUsd(Objects.requireNonNull(entry.costUsd(), "costUsd"));
        if (closed) {
            throw new IllegalStateException("ledger writer is closed");
        }
        pendingRows.incrementAndGet();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!enqueue(new Row(entry))) {
                        pendingRows.decrementAndGet();
                        throw new IllegalStateException("ledger writer has stopped");
                    }
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until every row recorded before this call is written (or taken by the failed-batch handler).
     *
     * @throws IllegalStateException if the writer stopped and some of those rows were lost
     */
    public void flush() throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed || !enqueue(new Flush(done))) {
            thread.join();
            if (rowsLost) {
                throw new IllegalStateException("ledger writer stopped before all rows were written");
            }
            return;
        }
        try {
            done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("ledger rows were not written", e.getCause());
        }
    }

    /**
     * Registers a listener called on the writer thread after each committed batch, with its rows in order.
     * Rows that were already stored (a replay) are passed too. A listener that throws is logged and ignored.
     */
    public void addListener(Consumer<List<LedgerEntry>> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Whether {@link #record} takes a row now without waiting: the writer runs and its queue has room. The queue fills
     * only when rows come faster than the writer stores or spills them (a spill file that cannot be written, a
     * database that stalls without failing).
     */
    public boolean acceptsRows() {
        return !closed && !terminated && queue.remainingCapacity() > 0;
    }

    /**
     * Stops accepting rows, writes everything queued and stops the writer thread. If the rows cannot be written
     * within {@link Options#closeTimeout()}, the writer is stopped and the rest go to the failed-batch handler
     * (or are logged as lost).
     */
    @Override
    public void close() {
        closed = true;
        // Wakes an idle writer; if the queue is full the writer sees `closed` once it has drained it.
        queue.offer(Stop.INSTANCE);
        try {
            if (!thread.join(options.closeTimeout())) {
                LOG.warn("Ledger writer did not finish within {}; stopping it", options.closeTimeout());
                thread.interrupt();
                if (!thread.join(options.closeTimeout())) {
                    LOG.error("Ledger writer ignored the stop request; giving up on it");
                }
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Offers an item until it is queued or the writer has terminated.
     *
     * @return false if the writer terminated and will never take the item
     */
    private boolean enqueue(Item item) throws InterruptedException {
        while (!queue.offer(item, ENQUEUE_RECHECK_MILLIS, TimeUnit.MILLISECONDS)) {
            if (terminated) {
                return false;
            }
        }
        // The writer drains the queue after it sets `terminated`: either it took the item, or we take it back.
        return !(terminated && queue.remove(item));
    }

    private void run() {
        Batch current = new Batch();
        Exception stopCause = null;
        try {
            while (!current.stop && !(closed && queue.isEmpty())) {
                current = new Batch();
                takeNextBatch(current);
                writeUntilDone(current);
                current.completeFlushes();
            }
            terminated = true;
            // Rows of record() calls that raced with close().
            current = drainQueue();
            writeUntilDone(current);
            current.completeFlushes();
        } catch (InterruptedException e) {
            stopCause = e;
        } catch (RuntimeException | Error e) {
            LOG.error("Ledger writer failed", e);
            stopCause = e instanceof Exception exception ? exception : new RuntimeException(e);
        } finally {
            terminated = true;
            if (stopCause != null) {
                abandon(current, stopCause);
            }
        }
    }

    /**
     * Fills the next batch: waits for a first item, then collects up to {@code batchSize} rows within the interval
     * by draining the queue every {@link #COLLECT_TICK_NANOS}. Between drains the writer sleeps instead of waiting
     * on the queue, so a request that records a row does not wake this thread (a wake-up per row cost a context
     * switch per request; see bench/RESULTS.md). A flush marker is therefore seen within one tick. Once the writer is
     * closed it stops waiting for more (close cannot always queue its stop marker: the queue may be full).
     */
    private void takeNextBatch(Batch batch) throws InterruptedException {
        batch.add(queue.take());
        takenSince = batch.oldestNanos;
        long deadline = System.nanoTime() + flushIntervalNanos;
        List<Item> drained = new ArrayList<>();
        while (!(batch.stop || !batch.flushes.isEmpty() || batch.rows.size() >= batchSize || closed)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, COLLECT_TICK_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            queue.drainTo(drained, batchSize - batch.rows.size());
            drained.forEach(batch::add);
            drained.clear();
        }
    }

    private Batch drainQueue() {
        List<Item> items = new ArrayList<>();
        queue.drainTo(items);
        Batch batch = new Batch();
        items.forEach(batch::add);
        return batch;
    }

    /**
     * Writes the rows, retrying with backoff, until they are stored or the failed-batch handler takes them. While the
     * database is down a write fails at once ({@link FailFastDataSource}), so with a handler that spills, batches
     * leave as fast as rows come and the queue does not fill.
     */
    private void writeUntilDone(Batch current) throws InterruptedException {
        List<LedgerEntry> rows = current.rows;
        if (rows.isEmpty()) {
            return;
        }
        takenSince = current.oldestNanos == 0 ? takenSince : current.oldestNanos;
        try {
            writeUntilDone(rows);
        } finally {
            takenSince = 0;
        }
    }

    private void writeUntilDone(List<LedgerEntry> rows) throws InterruptedException {
        List<LedgerEntry> batch = List.copyOf(rows);
        Duration backoff = options.initialBackoff();
        while (true) {
            try {
                store.insertBatch(batch);
                break;
            } catch (SQLException | RuntimeException e) {
                writeFailures.increment();
                if (takenByHandler(batch, e)) {
                    logFailure("Ledger write of {} rows failed; handed to the failed-batch handler: {}", batch.size(), e);
                    pendingRows.addAndGet(-batch.size());
                    rows.clear();
                    return;
                }
                logFailure("Ledger write of {} rows failed; retrying in " + backoff.toMillis() + " ms: {}", batch.size(), e);
                Thread.sleep(backoff);
                backoff = min(backoff.multipliedBy(2), options.maxBackoff());
            }
        }
        if (failing) {
            failing = false;
            LOG.info("Ledger writes to the database succeed again");
        }
        rowsWritten.increment(batch.size());
        pendingRows.addAndGet(-batch.size());
        rows.clear();
        for (Consumer<List<LedgerEntry>> listener : listeners) {
            try {
                listener.accept(batch);
            } catch (RuntimeException e) {
                LOG.error("Ledger listener failed", e);
            }
        }
    }

    /** The first failure of a run is a warning; the rest (one per batch while the database is down) are debug lines. */
    private void logFailure(String format, int rows, Exception e) {
        if (failing) {
            LOG.debug(format, rows, e.toString());
        } else {
            failing = true;
            LOG.warn(format, rows, e.toString());
        }
    }

    /** The writer stops with rows unwritten: last chance for the handler, else they are lost. */
    private void abandon(Batch current, Exception cause) {
        Batch rest = drainQueue();
        List<LedgerEntry> rows = new ArrayList<>(current.rows);
        rows.addAll(rest.rows);
        List<CompletableFuture<Void>> flushes = new ArrayList<>(current.flushes);
        flushes.addAll(rest.flushes);
        if (!rows.isEmpty()) {
            LedgerException failure = new LedgerException("ledger writer stopped before writing these rows", cause);
            if (takenByHandler(rows, failure)) {
                pendingRows.addAndGet(-rows.size());
            } else {
                rowsLost = true;
                LOG.error("Ledger writer stopped: {} ledger rows were not written", rows.size());
                flushes.forEach(f -> f.completeExceptionally(failure));
                return;
            }
        }
        flushes.forEach(f -> f.complete(null));
    }

    private boolean takenByHandler(List<LedgerEntry> rows, Exception failure) {
        try {
            return options.failedBatchHandler().handle(List.copyOf(rows), failure);
        } catch (RuntimeException e) {
            LOG.error("Ledger failed-batch handler failed", e);
            return false;
        }
    }

    /** Seconds since the oldest unwritten row was recorded: the batch being written, else the head of the queue. */
    private double lagSeconds() {
        long since = takenSince;
        if (since == 0) {
            Item head = queue.peek();
            since = head instanceof Row row ? row.queuedNanos : 0;
        }
        return since == 0 ? 0 : Math.max(0, System.nanoTime() - since) / 1e9;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    /** What the queue holds: rows, and markers that end a batch early. */
    private sealed interface Item permits Row, Flush, Stop {
    }

    /** Compared by identity, so that {@code queue.remove} takes back exactly the caller's item. */
    private static final class Row implements Item {
        final LedgerEntry entry;
        final long queuedNanos = System.nanoTime();

        Row(LedgerEntry entry) {
            this.entry = entry;
        }
    }

    private record Flush(CompletableFuture<Void> done) implements Item {
    }

    private enum Stop implements Item {
        INSTANCE
    }

    /** Items taken off the queue together. */
    private static final class Batch {
        final List<LedgerEntry> rows = new ArrayList<>();
        final List<CompletableFuture<Void>> flushes = new ArrayList<>();
        boolean stop;
        /** When the oldest of its rows was queued, 0 before the first. */
        long oldestNanos;

        void add(Item item) {
            switch (item) {
                case Row row -> {
                    if (rows.isEmpty()) {
                        oldestNanos = row.queuedNanos;
                    }
                    rows.add(row.entry);
                }
                case Flush flush -> flushes.add(flush.done());
                case Stop ignored -> stop = true;
            }
        }

        void completeFlushes() {
            flushes.forEach(f -> f.complete(null));
        }
    }
}
