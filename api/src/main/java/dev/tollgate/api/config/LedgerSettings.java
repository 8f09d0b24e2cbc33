package dev.tollgate.api.config;

import java.time.Duration;

/**
 * How ledger rows leave the request path.
 *
 * @param batchSize      rows written in one batch at most
 * @param flushInterval  longest time a row waits before it is written
 * @param queueCapacity  rows held in memory at most; a full queue makes requests wait (no row is dropped)
 * @param spillDirectory where rows go when the database is down, and the crash journal; null for the default
 *                       (next to a SQLite file, else {@code ./tollgate-spill})
 * @param journal        whether each row is fsync'd to a local journal before the response is sent, so a
 *                       kill -9 loses no row (group commit: one fsync for all rows of concurrent requests)
 * @param retentionDays  ledger rows older than this are purged; 0 keeps them forever
 */
public record LedgerSettings(int batchSize, Duration flushInterval, int queueCapacity, String spillDirectory,
                             boolean journal, int retentionDays) {

    /** Settings with the default spill directory, the journal on and no retention limit. */
    public LedgerSettings(int batchSize, Duration flushInterval, int queueCapacity) {
        this(batchSize, flushInterval, queueCapacity, null, true, 0);
    }

    public static LedgerSettings defaults() {
        return new LedgerSettings(500, Duration.ofMillis(500), 100_000);
    }
}
