package dev.tollgate.gateway.ledger;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.tollgate.gateway.ledger.TestDatabases.countRows;
import static dev.tollgate.gateway.ledger.TestDatabases.entry;
import static dev.tollgate.gateway.ledger.TestDatabases.queryLong;
import static dev.tollgate.gateway.ledger.TestDatabases.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerStoreTest {

    @TempDir
    Path tempDir;

    private LedgerDatabase db;

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    private LedgerStore open(Backend backend) {
        db = new LedgerDatabase(TestDatabases.fresh(backend, tempDir));
        return new LedgerStore(db);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everyComponentRoundTrips(Backend backend) throws Exception {
        LedgerStore store = open(backend);
        LedgerEntry full = new LedgerEntry("req-1", null, new LedgerEntry.Who("key-a", "team-a"),
                new LedgerEntry.What("chat", "gpt-4o", "azure-eu", "azure", "gpt-4o-2024-08-06", true),
                new LedgerEntry.Timing(Instant.parse("2025-06-01T12:00:00.123Z"), Instant.parse("2025-06-01T12:00:00.456Z"), Instant.parse("2025-06-01T12:00:01.789Z")), new Usage(1200, 340, 1024, 128, true),
                new BigDecimal("0.004567890123"), new LedgerEntry.Outcome(200, null),
                new LedgerEntry.Attribution("user-17", List.of("nightly", "title=a, \"quoted\" ü")));
        LedgerEntry sparse = new LedgerEntry("req-1-attempt-1", "req-1", new LedgerEntry.Who("key-a", null),
                new LedgerEntry.What("embeddings", null, null, null, null, false),
                new LedgerEntry.Timing(Instant.parse("2025-06-01T12:00:00.124Z"), null, null), new Usage(0, 0, 0, 0, false),
                new BigDecimal("0.000000000000"), new LedgerEntry.Outcome(502, "upstream_error"), null);

        store.insertBatch(List.of(full, sparse));

        assertThat(readAll(db.dataSource())).containsExactly(full, sparse);
    }

    /** Text goes to PostgreSQL as UTF-8 bytes with their byte length (binary COPY): characters beyond ASCII too. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFullBatchOfNewRowsRoundTripsWithTextBeyondAscii(Backend backend) throws Exception {
        LedgerStore store = open(backend);
        List<LedgerEntry> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(new LedgerEntry("req-" + i, i % 3 == 0 ? "req-parent-" + i : null, new LedgerEntry.Who("clé-équipe-" + (i % 7), i % 5 == 0 ? null : "チーム-😀"),
                    new LedgerEntry.What("chat", "gpt-4o-mini", "nginx", "openai", "gpt-4o-mini", i % 2 == 0),
                    new LedgerEntry.Timing(Instant.ofEpochMilli(1_790_000_000_000L + i), i % 2 == 0 ? null : Instant.ofEpochMilli(1_790_000_000_100L + i), Instant.ofEpochMilli(1_790_000_001_000L + i)), new Usage(i, 2L * i, i % 4, 0, i % 3 == 0),
                    new BigDecimal("0.000001234567"), new LedgerEntry.Outcome(i % 11 == 0 ? 502 : 200, i % 11 == 0 ? "upstream_error" : null), null));
        }

        store.insertBatch(rows);

        assertThat(readAll(db.dataSource())).containsExactlyInAnyOrderElementsOf(rows);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void replayedRequestIdIsWrittenOnce(Backend backend) throws Exception {
        LedgerStore store = open(backend);
        LedgerEntry first = entry("b").cost("0.5").build();

        store.insertBatch(List.of(entry("a").build(), first));
        store.insertBatch(List.of(entry("b").cost("9.99").build(), entry("c").build()));
        store.insertBatch(List.of(entry("a").build(), entry("d").build(), entry("d").build()));

        assertThat(readAll(db.dataSource())).extracting(LedgerEntry::requestId).containsExactly("a", "b", "c", "d");
        assertThat(queryLong(db.dataSource(), "SELECT cost_pico FROM ledger WHERE request_id = 'b'"))
                .as("the first write of a request id wins")
                .isEqualTo(500_000_000_000L);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void batchIsAllOrNothing(Backend backend) {
        LedgerStore store = open(backend);
        LedgerEntry valid = entry("ok").build();
        LedgerEntry withoutKey = new LedgerEntry("bad", null, new LedgerEntry.Who(null, null),
                new LedgerEntry.What("chat", null, null, null, null, false),
                new LedgerEntry.Timing(Instant.EPOCH, null, null), new Usage(0, 0, 0, 0, false),
                BigDecimal.ONE, new LedgerEntry.Outcome(200, null), null);

        assertThatThrownBy(() -> store.insertBatch(List.of(valid, withoutKey))).isInstanceOf(SQLException.class);

        assertThat(countRows(db.dataSource())).isZero();
    }

    @Test
    void sqliteConnectionStaysUsableAfterALockTimeout() throws Exception {
        // One pooled connection, so the retry gets the very connection that failed.
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:sqlite:" + tempDir.resolve("one-connection.db"), null, null, 1);
        db = new LedgerDatabase(settings.withTimeout(Duration.ofMillis(300)));
        LedgerStore store = new LedgerStore(db);

        try (SqliteLock lock = SqliteLock.take(db)) {
            assertThatThrownBy(() -> store.insertBatch(List.of(entry("r1").build())))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("SQLITE_BUSY");
        }
        store.insertBatch(List.of(entry("r1").build(), entry("r2").build()));
        store.insertBatch(List.of(entry("r3").build()));

        assertThat(readAll(db.dataSource())).extracting(LedgerEntry::requestId).containsExactly("r1", "r2", "r3");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void costIsStoredAsExactPicodollars(Backend backend) throws Exception {
        LedgerStore store = open(backend);

        store.insertBatch(List.of(entry("tiny").cost("0.000000150").build(),
                entry("big").cost("9000000.123456789012").build()));

        assertThat(queryLong(db.dataSource(), "SELECT cost_pico FROM ledger WHERE request_id = 'tiny'"))
                .isEqualTo(150_000L);
        assertThat(queryLong(db.dataSource(), "SELECT cost_pico FROM ledger WHERE request_id = 'big'"))
                .isEqualTo(9_000_000_123_456_789_012L);
        assertThat(readAll(db.dataSource())).extracting(LedgerEntry::costUsd)
                .containsExactly(new BigDecimal("9000000.123456789012"), new BigDecimal("0.000000150000"));
    }
}
