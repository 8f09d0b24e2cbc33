package dev.tollgate.gateway.ledger;

import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.config.LedgerSettings;
import dev.tollgate.gateway.testing.FreezingTcpProxy;
import dev.tollgate.gateway.testing.RestartablePostgres;
import dev.tollgate.gateway.usage.Usage;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static dev.tollgate.gateway.ledger.TestDatabases.countRows;
import static dev.tollgate.gateway.ledger.TestDatabases.entry;
import static dev.tollgate.gateway.ledger.TestDatabases.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Each test has its own database (SQLite file or PostgreSQL server) and registry, so they run side by side. */
@Execution(ExecutionMode.CONCURRENT)
class LedgerWriterTest {

    private static final Duration NEVER = Duration.ofHours(1);
    private static final LedgerWriter.Options FAST_RETRY = new LedgerWriter.Options(
            Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(10), FailedBatchHandler.RETRY_IN_MEMORY);

    @TempDir
    Path tempDir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private LedgerDatabase db;

    @AfterEach
    void closeAll() throws Exception {
        while (!toClose.isEmpty()) {
            toClose.pop().close();
        }
    }

    private LedgerDatabase open(DatabaseSettings settings, Duration waitTimeout) {
        db = new LedgerDatabase(settings.withTimeout(waitTimeout));
        toClose.push(db);
        return db;
    }

    private LedgerDatabase openSqlite() {
        return open(TestDatabases.fresh(Backend.SQLITE, tempDir), Duration.ofMillis(300));
    }

    private LedgerWriter writer(int batchSize, Duration flushInterval, int queueCapacity, LedgerWriter.Options options) {
        LedgerWriter writer = new LedgerWriter(new LedgerStore(db),
                new LedgerSettings(batchSize, flushInterval, queueCapacity), registry, options);
        toClose.push(writer);
        return writer;
    }

    @Test
    void writesAFullBatchWithoutWaitingForTheInterval() throws Exception {
        openSqlite();
        LedgerWriter writer = writer(5, NEVER, 100, FAST_RETRY);

        IntStream.range(0, 12).forEach(i -> writer.record(entry("r" + i).build()));

        await().untilAsserted(() -> {
            assertThat(rowsWritten()).isEqualTo(10);
            assertThat(queueDepth()).isEqualTo(2);
        });
        assertThat(countRows(db.dataSource())).isEqualTo(10);
        writer.flush();
        assertThat(countRows(db.dataSource())).isEqualTo(12);
    }

    @Test
    void writesAPartialBatchOnceTheIntervalHasPassed() {
        openSqlite();
        LedgerWriter writer = writer(1000, Duration.ofMillis(100), 100, FAST_RETRY);

        IntStream.range(0, 3).forEach(i -> writer.record(entry("r" + i).build()));

        await().until(() -> countRows(db.dataSource()) == 3);
        assertThat(rowsWritten()).isEqualTo(3);
    }

    @Test
    void flushReturnsOnceEverythingRecordedBeforeIsWritten() throws Exception {
        openSqlite();
        LedgerWriter writer = writer(1000, NEVER, 100, FAST_RETRY);

        IntStream.range(0, 7).forEach(i -> writer.record(entry("r" + i).build()));
        writer.flush();

        assertThat(countRows(db.dataSource())).isEqualTo(7);
        assertThat(queueDepth()).isZero();
    }

    @Test
    void fullQueueMakesProducersWaitAndDropsNoRow() throws Exception {
        openSqlite();
        int capacity = 4;
        int producers = 16;
        int rowsEach = 100;
        LedgerWriter writer = writer(3, Duration.ofMillis(10), capacity, FAST_RETRY);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstBatch = new AtomicBoolean(true);
        writer.addListener(rows -> {
            if (firstBatch.getAndSet(false)) {
                awaitQuietly(release); // holds the writer so that the queue fills up
            }
        });
        AtomicInteger recorded = new AtomicInteger();

        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int p = 0; p < producers; p++) {
                int producer = p;
                executor.submit(() -> {
                    for (int i = 0; i < rowsEach; i++) {
                        writer.record(entry("p" + producer + "-" + i).build());
                        recorded.incrementAndGet();
                    }
                });
            }
            try {
                await().untilAsserted(() -> {
                    // A full queue, plus one waiting row in each producer.
                    assertThat(queueDepth()).isEqualTo(capacity + producers);
                    assertThat(recorded.get()).isEqualTo((int) rowsWritten() + capacity);
                });
            } finally {
                release.countDown();
            }
        }
        writer.flush();

        assertThat(recorded.get()).isEqualTo(producers * rowsEach);
        assertThat(countRows(db.dataSource())).isEqualTo(producers * rowsEach);
        assertThat(rowsWritten()).isEqualTo(producers * rowsEach);
        assertThat(queueDepth()).isZero();
    }

    @Test
    void rowsRecordedWhileSqliteIsLockedAreWrittenOnceItIsFree() throws Exception {
        openSqlite();
        LedgerWriter writer = writer(100, Duration.ofMillis(20), 1000, FAST_RETRY);
        recordAndFlush(writer, "before", 5);

        try (SqliteLock lock = SqliteLock.take(db)) {
            IntStream.range(0, 10).forEach(i -> writer.record(entry("during" + i).build()));
            await().until(() -> writeFailures() >= 2);
            assertThat(countRows(db.dataSource())).isEqualTo(5);
            assertThat(queueDepth()).isEqualTo(10);
        }
        writer.flush();

        assertThat(countRows(db.dataSource())).isEqualTo(15);
        assertThat(rowsWritten()).isEqualTo(15);
        assertThat(queueDepth()).isZero();
    }

    @Test
    void rowsRecordedWhilePostgresIsDownAreWrittenOnceItIsBack() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres(tempDir.resolve("pgdata")).start()) {
            open(new DatabaseSettings(pg.jdbcUrl(), null, null, 2), Duration.ofMillis(500));
            LedgerWriter writer = writer(100, Duration.ofMillis(20), 1000, FAST_RETRY);
            recordAndFlush(writer, "before", 5);

            pg.stop();
            IntStream.range(0, 10).forEach(i -> writer.record(entry("during" + i).build()));
            await().until(() -> writeFailures() >= 2);
            assertThat(db.isReachable()).isFalse();
            assertThat(queueDepth()).isEqualTo(10);

            pg.start();
            writer.flush();

            assertThat(db.isReachable()).isTrue();
            assertThat(readAll(db.dataSource())).hasSize(15)
                    .extracting(LedgerEntry::requestId).doesNotHaveDuplicates();
            assertThat(rowsWritten()).isEqualTo(15);
            assertThat(queueDepth()).isZero();
        }
    }

    @Test
    void whilePostgresIsDownFailedBatchesReachTheHandlerAsFastAsRowsCome() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres(tempDir.resolve("pgdata")).start()) {
            // a pool wait of 2 s: were every batch to wait for a connection, 200 rows in batches of 5 would take 80 s
            open(new DatabaseSettings(pg.jdbcUrl(), null, null, 2), Duration.ofSeconds(2));
            List<LedgerEntry> handed = new CopyOnWriteArrayList<>();
            LedgerWriter writer = writer(5, Duration.ofMillis(20), 10, handingFailedBatchesTo(handed));
            recordAndFlush(writer, "before", 5);

            pg.stop();
            // the pool lets its connections go (as it does once they fail validation): the next one must be opened
            db.dataSource().unwrap(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
            AtomicInteger recorded = new AtomicInteger();
            Thread producer = Thread.ofVirtual().start(() -> IntStream.range(0, 200).forEach(i -> {
                writer.record(entry("during" + i).build());
                recorded.incrementAndGet();
            }));

            await().atMost(Duration.ofSeconds(30)).until(() -> handed.size() == 200);
            producer.join();
            assertThat(recorded.get()).isEqualTo(200);
            assertThat(handed).extracting(LedgerEntry::requestId).doesNotHaveDuplicates();
            assertThat(db.isUp()).isFalse();
        }
    }

    @Test
    void postgresThatStopsAnsweringMidWriteHoldsTheWriterOnlyUntilTheWriteTimesOut() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres(tempDir.resolve("pgdata")).start();
             FreezingTcpProxy network = new FreezingTcpProxy(pg.port())) {
            open(new DatabaseSettings(RestartablePostgres.jdbcUrl(network.port()), null, null, 2), Duration.ofMillis(500));
            List<LedgerEntry> handed = new CopyOnWriteArrayList<>();
            LedgerWriter writer = writer(5, Duration.ofMillis(20), 100, handingFailedBatchesTo(handed));
            recordAndFlush(writer, "before", 5);

            network.freeze(); // packets dropped: without a timeout the write would wait for TCP to give up
            IntStream.range(0, 20).forEach(i -> writer.record(entry("during" + i).build()));

            await().atMost(Duration.ofSeconds(60)).until(() -> handed.size() == 20);
            assertThat(db.isUp()).isFalse();
        }
    }

    @Test
    void acceptsRowsWhileItsQueueHasRoomAndNotOnceClosed() throws Exception {
        openSqlite();
        LedgerWriter writer = writer(1, Duration.ofMillis(10), 2, FAST_RETRY);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstBatch = new AtomicBoolean(true);
        writer.addListener(rows -> {
            if (firstBatch.getAndSet(false)) {
                awaitQuietly(release); // holds the writer so that the queue fills up
            }
        });
        assertThat(writer.acceptsRows()).isTrue();

        writer.record(entry("held").build());
        await().until(() -> rowsWritten() == 1);
        writer.record(entry("queued-1").build());
        writer.record(entry("queued-2").build());
        assertThat(writer.acceptsRows()).isFalse();

        release.countDown();
        writer.flush();
        assertThat(writer.acceptsRows()).isTrue();
        writer.close();
        assertThat(writer.acceptsRows()).isFalse();
    }

    @Test
    void failedBatchHandlerCanTakeRowsInsteadOfRetrying() throws Exception {
        openSqlite();
        List<List<LedgerEntry>> handed = new CopyOnWriteArrayList<>();
        LedgerWriter writer = writer(100, Duration.ofMillis(20), 1000, new LedgerWriter.Options(
                Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(10), (rows, failure) -> {
                    handed.add(rows);
                    return true;
                }));

        try (SqliteLock lock = SqliteLock.take(db)) {
            IntStream.range(0, 3).forEach(i -> writer.record(entry("r" + i).build()));
            writer.flush();
        }

        assertThat(handed).hasSize(1);
        assertThat(handed.getFirst()).extracting(LedgerEntry::requestId).containsExactly("r0", "r1", "r2");
        assertThat(writeFailures()).isEqualTo(1);
        assertThat(queueDepth()).isZero();
        assertThat(countRows(db.dataSource())).isZero();
    }

    @Test
    void closeWhileTheDatabaseIsDownHandsTheRestToTheHandler() throws Exception {
        openSqlite();
        List<LedgerEntry> handedAtStop = new CopyOnWriteArrayList<>();
        LedgerWriter writer = writer(100, Duration.ofMillis(20), 1000, new LedgerWriter.Options(
                Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(500), (rows, failure) -> {
                    if (failure instanceof LedgerException) { // the writer is stopping
                        handedAtStop.addAll(rows);
                        return true;
                    }
                    return false;
                }));

        try (SqliteLock lock = SqliteLock.take(db)) {
            IntStream.range(0, 4).forEach(i -> writer.record(entry("r" + i).build()));
            await().until(() -> writeFailures() >= 1);
            writer.close();
        }

        assertThat(handedAtStop).extracting(LedgerEntry::requestId).containsExactly("r0", "r1", "r2", "r3");
        assertThat(queueDepth()).isZero();
        writer.flush(); // nothing was lost: returns normally
    }

    @Test
    void closeWhileTheDatabaseIsDownWithoutHandlerReportsLostRows() throws Exception {
        openSqlite();
        // closeTimeout well above the 300 ms busy_timeout: an interrupted writer always gets out of its last
        // insert attempt before close() gives up on it, even on a loaded machine.
        LedgerWriter writer = writer(100, Duration.ofMillis(20), 1000, new LedgerWriter.Options(
                Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(1500),
                FailedBatchHandler.RETRY_IN_MEMORY));

        try (SqliteLock lock = SqliteLock.take(db)) {
            writer.record(entry("r0").build());
            await().until(() -> writeFailures() >= 1);
            writer.close();
            assertThatThrownBy(writer::flush).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("before all rows were written");
        }

        assertThat(countRows(db.dataSource())).isZero();
    }

    @Test
    void closeWritesQueuedRowsAndRefusesNewOnes() {
        openSqlite();
        LedgerWriter writer = writer(1000, NEVER, 100, FAST_RETRY);
        IntStream.range(0, 5).forEach(i -> writer.record(entry("r" + i).build()));

        writer.close();

        assertThat(countRows(db.dataSource())).isEqualTo(5);
        assertThatThrownBy(() -> writer.record(entry("late").build())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWithAFullQueueWritesEverythingWithoutWaitingForTheInterval() throws Exception {
        openSqlite();
        LedgerWriter writer = writer(10, NEVER, 2, new LedgerWriter.Options(
                Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(5), FailedBatchHandler.RETRY_IN_MEMORY));
        CountDownLatch inListener = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        writer.addListener(rows -> {
            if (inListener.getCount() > 0) {
                inListener.countDown();
                awaitQuietly(release); // holds the writer so that the queue fills up
            }
        });
        writer.record(entry("first").build());
        Thread flusher = Thread.ofVirtual().start(() -> {
            try {
                writer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        awaitQuietly(inListener);
        writer.record(entry("a").build());
        writer.record(entry("b").build()); // the queue is full: close() cannot queue its stop marker

        Thread closer = Thread.ofPlatform().start(writer::close);
        try {
            await().until(() -> closer.getState() == Thread.State.TIMED_WAITING); // closed, waiting for the writer
        } finally {
            release.countDown();
        }
        closer.join();
        flusher.join();

        assertThat(readAll(db.dataSource())).extracting(LedgerEntry::requestId).containsExactly("a", "b", "first");
        assertThat(queueDepth()).isZero();
    }

    @Test
    void listenersSeeEachCommittedBatchAndAFailingListenerChangesNothing() throws Exception {
        openSqlite();
        LedgerWriter writer = writer(4, Duration.ofMillis(20), 100, FAST_RETRY);
        List<List<LedgerEntry>> batches = new CopyOnWriteArrayList<>();
        writer.addListener(rows -> {
            throw new IllegalStateException("listener bug");
        });
        writer.addListener(batches::add);

        recordAndFlush(writer, "r", 10);

        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(4));
        assertThat(batches.stream().flatMap(List::stream).map(LedgerEntry::requestId))
                .containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
        assertThat(countRows(db.dataSource())).isEqualTo(10);
        assertThat(writeFailures()).isZero();
    }

    @Test
    void rowsTheLedgerCannotStoreAreRefusedAtRecord() throws Exception {
        openSqlite();
        LedgerWriter writer = writer(10, Duration.ofMillis(20), 100, FAST_RETRY);
        LedgerEntry withoutKey = new LedgerEntry("no-key", null, new LedgerEntry.Who(null, null),
                new LedgerEntry.What("chat", null, null, null, null, false),
                new LedgerEntry.Timing(Instant.EPOCH, null, null), new Usage(0, 0, 0, 0, false),
                BigDecimal.ONE, new LedgerEntry.Outcome(200, null), null);

        assertThatThrownBy(() -> writer.record(withoutKey)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("keyName");
        assertThatThrownBy(() -> writer.record(entry("too-expensive").cost("10000000").build()))
                .isInstanceOf(ArithmeticException.class);
        recordAndFlush(writer, "ok", 1);

        assertThat(countRows(db.dataSource())).isEqualTo(1);
        assertThat(queueDepth()).isZero();
        assertThat(writeFailures()).isZero();
    }

    @Test
    void metricsAreExportedUnderTheirPrometheusNames() throws Exception {
        openSqlite();
        LedgerWriter writer = writer(10, Duration.ofMillis(20), 100, FAST_RETRY);

        recordAndFlush(writer, "r", 3);

        assertThat(registry.scrape()).contains(
                "tollgate_ledger_rows_written_total 3.0",
                "tollgate_ledger_write_failures_total 0.0",
                "tollgate_ledger_queue_depth 0.0");
    }

    /** Fast retries, and a handler that takes every failed batch into {@code handed} (as the spill file does). */
    private static LedgerWriter.Options handingFailedBatchesTo(List<LedgerEntry> handed) {
        return new LedgerWriter.Options(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(10),
                (rows, failure) -> handed.addAll(rows));
    }

    private static void recordAndFlush(LedgerWriter writer, String prefix, int rows) throws InterruptedException {
        IntStream.range(0, rows).forEach(i -> writer.record(entry(prefix + i).build()));
        writer.flush();
    }

    private double rowsWritten() {
        return registry.get("tollgate.ledger.rows.written").counter().count();
    }

    private double writeFailures() {
        return registry.get("tollgate.ledger.write.failures").counter().count();
    }

    private double queueDepth() {
        return registry.get("tollgate.ledger.queue.depth").gauge().value();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
