package dev.tollgate.gateway.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    private static final String INSERT = """
            INSERT INTO ledger (
                request_id, parent_request_id, endpoint, started_at, first_token_at, ended_at,
                key_name, team, requested_model, backend, provider, upstream_model,
                prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens,
                cost_pico, status, error_type, streamed, estimated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (request_id) DO NOTHING""";

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

    /** Request ids per lookup when the driver gives no update counts (well below SQLite's parameter limit). */
    private static final int ID_LOOKUP_CHUNK = 500;

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
                List<LedgerEntry> inserted = insertedRows(entries, insertRows(connection, entries));
                if (inserted == null) {
                    // The driver did not say which rows were new: start over, asking the database first.
                    connection.rollback();
                    Set<String> stored = storedIds(connection, entries);
                    insertRows(connection, entries);
                    inserted = newRows(entries, stored);
                }
                upsertBuckets(connection, SpendBuckets.aggregate(inserted));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                restoreAutoCommitQuietly(connection, e);
                throw e;
            }
        }
    }

    private static int[] insertRows(Connection connection, List<LedgerEntry> entries) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (LedgerEntry entry : entries) {
                bind(insert, entry);
                insert.addBatch();
            }
            return insert.executeBatch();
        }
    }

    /**
     * The rows the batch inserted, from its update counts (1 inserted, 0 skipped by {@code ON CONFLICT DO NOTHING}),
     * or null when the driver reported anything else (e.g. {@link Statement#SUCCESS_NO_INFO} from PostgreSQL's
     * {@code reWriteBatchedInserts}).
     */
    static List<LedgerEntry> insertedRows(List<LedgerEntry> entries, int[] counts) {
        if (counts.length != entries.size()) {
            return null;
        }
        List<LedgerEntry> inserted = new ArrayList<>(entries.size());
        for (int i = 0; i < counts.length; i++) {
            switch (counts[i]) {
                case 1 -> inserted.add(entries.get(i));
                case 0 -> { }
                default -> {
                    return null;
                }
            }
        }
        return inserted;
    }

    /** Request ids of the batch already in the ledger. */
    private static Set<String> storedIds(Connection connection, List<LedgerEntry> entries) throws SQLException {
        Set<String> stored = new HashSet<>();
        for (int from = 0; from < entries.size(); from += ID_LOOKUP_CHUNK) {
            List<LedgerEntry> chunk = entries.subList(from, Math.min(entries.size(), from + ID_LOOKUP_CHUNK));
            String sql = "SELECT request_id FROM ledger WHERE request_id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    query.setString(i + 1, chunk.get(i).requestId());
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
        }
        return stored;
    }

    /** The rows an insert stores when {@code stored} ids exist: the first row of each other id. */
    private static List<LedgerEntry> newRows(List<LedgerEntry> entries, Set<String> stored) {
        Set<String> seen = new HashSet<>(stored);
        List<LedgerEntry> fresh = new ArrayList<>(entries.size());
        for (LedgerEntry entry : entries) {
            if (seen.add(entry.requestId())) {
                fresh.add(entry);
            }
        }
        return fresh;
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

    private static void bind(PreparedStatement insert, LedgerEntry e) throws SQLException {
        insert.setString(1, e.requestId());
        insert.setString(2, e.parentRequestId());
        insert.setString(3, e.endpoint());
        setMillis(insert, 4, e.startedAt());
        setMillis(insert, 5, e.firstTokenAt());
        setMillis(insert, 6, e.endedAt());
        insert.setString(7, e.keyName());
        insert.setString(8, e.team());
        insert.setString(9, e.requestedModel());
        insert.setString(10, e.backend());
        insert.setString(11, e.provider());
        insert.setString(12, e.upstreamModel());
        insert.setLong(13, e.promptTokens());
        insert.setLong(14, e.completionTokens());
        insert.setLong(15, e.cachedTokens());
        insert.setLong(16, e.reasoningTokens());
        insert.setLong(17, Picodollars.fromUsd(e.costUsd()));
        insert.setInt(18, e.status());
        insert.setString(19, e.errorType());
        insert.setInt(20, e.streamed() ? 1 : 0);
        insert.setInt(21, e.estimated() ? 1 : 0);
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
