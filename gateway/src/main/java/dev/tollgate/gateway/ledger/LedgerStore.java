package dev.tollgate.gateway.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes ledger rows and keeps {@code spend_buckets} ({@link SpendBuckets}) and the daily rollups ({@link SpendRollup})
 * in step, in the same transaction. A row whose
 * {@code request_id} is already stored is skipped, and not counted again, so replaying a batch never writes or counts a
 * row twice ({@link LedgerRowInsert}). Instants are stored as epoch milliseconds (finer precision is dropped), the cost
 * as {@link Picodollars}.
 */
public final class LedgerStore {

    /** Adds to a bucket; its cost saturates at the largest BIGINT rather than fail every later write. */
    private static final String UPSERT_BUCKET = """
            INSERT INTO spend_buckets (subject_kind, subject, bucket_start, cost_pico, requests)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (subject_kind, subject, bucket_start) DO UPDATE SET
                cost_pico = CASE
                    WHEN excluded.cost_pico <= 0 THEN spend_buckets.cost_pico + excluded.cost_pico
                    WHEN spend_buckets.cost_pico > 9223372036854775807 - excluded.cost_pico THEN 9223372036854775807
                    ELSE spend_buckets.cost_pico + excluded.cost_pico END,
                requests = spend_buckets.requests + excluded.requests""";

    private final LedgerDatabase database;
    private final DataSource dataSource;
    private final Dialect dialect;

    public LedgerStore(LedgerDatabase database) {
        this.database = database;
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
    }

    /** Whether the database is up ({@link LedgerDatabase#isUp()}): while it is not, {@link #insertBatch} fails at once. */
    public boolean databaseUp() {
        return database.isUp();
    }

    /**
     * Inserts the rows and adds the new ones to {@code spend_buckets}, in one transaction: all of them are stored (or
     * were already) when this returns, and a row already stored is counted in the buckets only once.
     *
     * @throws SQLException if the database fails; usually nothing was stored, but a failure after the commit is
     *                      possible, so the caller retries the same batch (rows already stored are skipped). A broken
     *                      connection marks the database down ({@link LedgerDatabase#isUp()})
     */
    public void insertBatch(List<LedgerEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try {
            insert(entries);
        } catch (SQLException e) {
            database.failed(e);
            throw e;
        }
    }

    private void insert(List<LedgerEntry> entries) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try {
                write(connection -> {
                    LedgerRowInsert.insertAllPostgres(connection, entries);
                    return entries;
                });
                return;
            } catch (SQLException e) {
                if (!LedgerRowInsert.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                // a row already stored (a replay, a retry after a lost commit) or repeated in the batch: skip those
            }
        }
        write(connection -> LedgerRowInsert.insert(connection, dialect, entries));
    }

    /** Runs {@code insert} and adds the rows it stored to the buckets, in one transaction. */
    private void write(RowInsert insert) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try {
                if (dialect == Dialect.POSTGRESQL) {
                    // a batch takes milliseconds; the timeout fails a write to a database that stopped answering
                    connection.setNetworkTimeout(Runnable::run, (int) database.writeTimeout().toMillis());
                }
                connection.setAutoCommit(false);
                List<LedgerEntry> stored = insert.apply(connection);
                upsertBuckets(connection, SpendBuckets.aggregate(stored));
                SpendRollup.add(connection, stored);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                restoreAutoCommitQuietly(connection, e);
                throw e;
            }
        }
    }

    /** Inserts rows on a connection inside the caller's transaction and returns those it stored. */
    @FunctionalInterface
    private interface RowInsert {
        List<LedgerEntry> apply(Connection connection) throws SQLException;
    }

    private static void upsertBuckets(Connection connection, Map<SpendBuckets.Key, SpendBuckets.Amount> buckets)
            throws SQLException {
        if (buckets.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_BUCKET)) {
            for (Map.Entry<SpendBuckets.Key, SpendBuckets.Amount> bucket : buckets.entrySet()) {
                upsert.setString(1, bucket.getKey().kind());
                upsert.setString(2, bucket.getKey().subject());
                upsert.setLong(3, bucket.getKey().bucketStart());
                upsert.setLong(4, bucket.getValue().costPico);
                upsert.setLong(5, bucket.getValue().requests);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /**
     * Leaves a connection that failed mid-transaction in auto-commit mode before it returns to the pool: the pool
     * only resets auto-commit if it saw the change succeed, and a driver may have changed it anyway.
     */
    private static void restoreAutoCommitQuietly(Connection connection, Exception failure) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException resetFailure) {
            failure.addSuppressed(resetFailure);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
