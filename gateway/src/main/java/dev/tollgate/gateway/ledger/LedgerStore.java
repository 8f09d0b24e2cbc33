package dev.tollgate.gateway.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Writes ledger rows and keeps {@code spend_buckets} ({@link SpendBuckets}) in step, in the same transaction. A row whose
 * {@code request_id} is already stored is skipped, and not counted again, so replaying a batch never writes or counts a
 * row twice. Instants are stored as epoch milliseconds (finer precision is dropped), the cost as
 * {@link Picodollars}.
 */
public final class LedgerStore {

    private static final String INSERT_COLUMNS = """
            INSERT INTO ledger (
                request_id, parent_request_id, endpoint, started_at, first_token_at, ended_at,
                key_name, team, requested_model, backend, provider, upstream_model,
                prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens,
                cost_pico, status, error_type, streamed, estimated)
            VALUES\s""";
    private static final int COLUMNS = 21;
    private static final String ROW_PLACEHOLDERS = "(" + String.join(", ", Collections.nCopies(COLUMNS, "?")) + ")";

    /**
     * Most rows per INSERT statement (1,344 parameters, far below PostgreSQL's and SQLite's limits). A batch is sent as
     * statements of 64, 32, ..., 1 rows, so seven statement texts serve every batch size and stay prepared.
     */
    private static final int MAX_ROWS_PER_INSERT = 64;

    /** {@code INSERTS[i]} inserts {@code 2^i} rows and returns the request ids it stored. */
    private static final String[] INSERTS = new String[Integer.numberOfTrailingZeros(MAX_ROWS_PER_INSERT) + 1];

    static {
        for (int i = 0; i < INSERTS.length; i++) {
            INSERTS[i] = INSERT_COLUMNS + String.join(", ", Collections.nCopies(1 << i, ROW_PLACEHOLDERS))
                    + " ON CONFLICT (request_id) DO NOTHING RETURNING request_id";
        }
    }

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

    private final DataSource dataSource;

    public LedgerStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts the rows and adds the new ones to {@code spend_buckets}, in one transaction: all of them are stored (or
     * were already) when this returns, and a row already stored is counted in the buckets only once.
     *
     * @throws SQLException if the database fails; usually nothing was stored, but a failure after the commit is
     *                      possible, so the caller retries the same batch (rows already stored are skipped)
     */
    public void insertBatch(List<LedgerEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            try {
                connection.setAutoCommit(false);
                upsertBuckets(connection, SpendBuckets.aggregate(insertRows(connection, entries)));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                restoreAutoCommitQuietly(connection, e);
                throw e;
            }
        }
    }

    /**
     * Inserts the rows with multi-row statements and returns those actually stored, in batch order: a row whose
     * request id was already stored, or came earlier in the batch, is skipped. A multi-row statement costs the
     * database a fraction of a row-by-row batch (PostgreSQL's CPU per row: bench/RESULTS.md), and {@code RETURNING}
     * names the stored rows without relying on the driver's update counts.
     */
    private static List<LedgerEntry> insertRows(Connection connection, List<LedgerEntry> entries) throws SQLException {
        List<LedgerEntry> inserted = new ArrayList<>(entries.size());
        int from = 0;
        while (from < entries.size()) {
            int rows = Integer.highestOneBit(Math.min(MAX_ROWS_PER_INSERT, entries.size() - from));
            List<LedgerEntry> chunk = entries.subList(from, from + rows);
            Set<String> stored = new HashSet<>();
            try (PreparedStatement insert = connection.prepareStatement(INSERTS[Integer.numberOfTrailingZeros(rows)])) {
                for (int i = 0; i < rows; i++) {
                    bind(insert, i * COLUMNS, chunk.get(i));
                }
                try (ResultSet rs = insert.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
            for (LedgerEntry entry : chunk) {
                if (stored.remove(entry.requestId())) { // of rows repeating an id, the first is the one stored
                    inserted.add(entry);
                }
            }
            from += rows;
        }
        return inserted;
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

    private static void bind(PreparedStatement insert, int offset, LedgerEntry e) throws SQLException {
        insert.setString(offset + 1, e.requestId());
        insert.setString(offset + 2, e.parentRequestId());
        insert.setString(offset + 3, e.endpoint());
        setMillis(insert, offset + 4, e.startedAt());
        setMillis(insert, offset + 5, e.firstTokenAt());
        setMillis(insert, offset + 6, e.endedAt());
        insert.setString(offset + 7, e.keyName());
        insert.setString(offset + 8, e.team());
        insert.setString(offset + 9, e.requestedModel());
        insert.setString(offset + 10, e.backend());
        insert.setString(offset + 11, e.provider());
        insert.setString(offset + 12, e.upstreamModel());
        insert.setLong(offset + 13, e.promptTokens());
        insert.setLong(offset + 14, e.completionTokens());
        insert.setLong(offset + 15, e.cachedTokens());
        insert.setLong(offset + 16, e.reasoningTokens());
        insert.setLong(offset + 17, Picodollars.fromUsd(e.costUsd()));
        insert.setInt(offset + 18, e.status());
        insert.setString(offset + 19, e.errorType());
        insert.setInt(offset + 20, e.streamed() ? 1 : 0);
        insert.setInt(offset + 21, e.estimated() ? 1 : 0);
    }

    private static void setMillis(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, instant.toEpochMilli());
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
