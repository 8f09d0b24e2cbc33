package dev.tollgate.api.config;

import java.time.Duration;

/**
 * How ledger rows leave the request path.
 *
 * @param batchSize      rows written in one batch at most
 * @param flushInterval  longest time a row waits before it is written
 * @param queueCapacity  rows held in memory at most; a full queue makes requests wait (no row is dropped)
 */
public record LedgerSettings(int batchSize, Duration flushInterval, int queueCapacity) {

    public static LedgerSettings defaults() {
        return new LedgerSettings(500, Duration.ofMillis(500), 100_000);
    }
}
