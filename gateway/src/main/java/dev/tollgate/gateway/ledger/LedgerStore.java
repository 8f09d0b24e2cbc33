package dev.tollgate.gateway.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes ledger rows. A row whose {@code request_id} is already stored is skipped, so replaying a batch never
 * writes a row twice. Instants are stored as epoch milliseconds (finer precision is dropped), the cost as
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

    private final DataSource dataSource;

    public LedgerStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts the rows in one transaction: all of them are stored (or were already) when this returns.
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
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    for (LedgerEntry entry : entries) {
                        bind(insert, entry);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                restoreAutoCommitQuietly(connection, e);
                throw e;
            }
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
