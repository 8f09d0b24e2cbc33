package dev.tollgate.gateway.ledger;

import java.sql.Array;
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
import java.util.Set;
import java.util.function.Function;

/**
 * Inserts ledger rows, skipping any whose {@code request_id} is already stored or came earlier in the same batch, and
 * returns the rows it stored, in batch order. The database names them ({@code ON CONFLICT DO NOTHING RETURNING}), so
 * no driver setting (update counts, pgjdbc's {@code reWriteBatchedInserts}) changes the answer.
 *
 * <p>{@link #insertAllPostgres} (a binary {@code COPY}) is the cheaper first try on PostgreSQL for rows that are new,
 * as a live batch's are.
 *
 * <p>On PostgreSQL a batch of any size is one statement over one array per column ({@code unnest}): one round trip,
 * one statement text, and a fraction of the database CPU of a row-by-row JDBC batch (bench/RESULTS.md). SQLite runs
 * in-process, so round trips cost nothing; it gets multi-row {@code VALUES} statements of 64, 32, ..., 1 rows.
 */
final class LedgerRowInsert {

    private static final String COLUMNS = """
            request_id, parent_request_id, endpoint, started_at, first_token_at, ended_at,
            key_name, team, requested_model, backend, provider, upstream_model,
            prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens,
            cost_pico, status, error_type, streamed, estimated, end_user, tags""";
    private static final String ON_CONFLICT = " ON CONFLICT (request_id) DO NOTHING RETURNING request_id";

    /** Each column's SQL type and value, in {@link #COLUMNS} order. */
    private static final List<Column> ROW = List.of(
            text(LedgerEntry::requestId), text(LedgerEntry::parentRequestId), text(e -> e.what().endpoint()),
            millis(e -> e.timing().startedAt()), millis(e -> e.timing().firstTokenAt()), millis(e -> e.timing().endedAt()),
            text(e -> e.who().keyName()), text(e -> e.who().team()), text(e -> e.what().requestedModel()),
            text(e -> e.what().backend()), text(e -> e.what().provider()), text(e -> e.what().upstreamModel()),
            bigint(e -> e.tokens().promptTokens()), bigint(e -> e.tokens().completionTokens()),
            bigint(e -> e.tokens().cachedTokens()), bigint(e -> e.tokens().reasoningTokens()),
            bigint(e -> Picodollars.fromUsd(e.costUsd())), new Column("integer", Types.INTEGER, e -> e.outcome().status()),
            text(e -> e.outcome().errorType()), flag(e -> e.what().streamed()), flag(e -> e.tokens().estimated()),
            text(e -> e.attribution().user()), text(e -> LedgerTags.encode(e.attribution().tags())));

    private static final String POSTGRES_INSERT = "INSERT INTO ledger (" + COLUMNS + ") SELECT * FROM unnest("
            + String.join(", ", ROW.stream().map(c -> "?::" + c.sqlType() + "[]").toList()) + ")" + ON_CONFLICT;
    private static final String POSTGRES_COPY = "COPY ledger (" + COLUMNS + ") FROM STDIN (FORMAT binary)";

    /** PostgreSQL's SQLSTATE for a unique violation. */
    static final String UNIQUE_VIOLATION = "23505";

    /** Most rows per SQLite statement (1,472 parameters, far below SQLite's limit of 32,766). */
    private static final int SQLITE_MAX_ROWS = 64;

    /** {@code SQLITE_INSERTS[i]} inserts {@code 2^i} rows. */
    private static final String[] SQLITE_INSERTS = new String[Integer.numberOfTrailingZeros(SQLITE_MAX_ROWS) + 1];

    static {
        String placeholders = "(" + String.join(", ", Collections.nCopies(ROW.size(), "?")) + ")";
        for (int i = 0; i < SQLITE_INSERTS.length; i++) {
            SQLITE_INSERTS[i] = "INSERT INTO ledger (" + COLUMNS + ") VALUES "
                    + String.join(", ", Collections.nCopies(1 << i, placeholders)) + ON_CONFLICT;
        }
    }

    private LedgerRowInsert() {
    }

    /** Inserts the rows on the connection (inside the caller's transaction) and returns those stored. */
    static List<LedgerEntry> insert(Connection connection, Dialect dialect, List<LedgerEntry> entries) throws SQLException {
        return dialect == Dialect.POSTGRESQL ? insertPostgres(connection, entries) : insertSqlite(connection, entries);
    }

    /**
     * PostgreSQL only: inserts every row, or fails with {@link #UNIQUE_VIOLATION} (and the caller rolls back) when a
     * request id is already stored or repeats in the batch. A binary {@code COPY}: no {@code ON CONFLICT} speculative
     * insertion (a probe of the primary key and a confirmation record in the WAL per row), no arrays to parse, and
     * PostgreSQL's multi-row heap insert; about half of the database's time per row of the skipping insert
     * (bench/RESULTS.md). New rows are the rule; replays and retries after a lost commit take {@link #insert}.
     */
    static void insertAllPostgres(Connection connection, List<LedgerEntry> entries) throws SQLException {
        PostgresBinaryCopy copy = new PostgresBinaryCopy(entries.size() * 256);
        for (LedgerEntry entry : entries) {
            copy.startRow(ROW.size());
            for (Column column : ROW) {
                Object value = column.value().apply(entry);
                switch (column.jdbcType()) {
                    case Types.VARCHAR -> copy.text((String) value);
                    case Types.BIGINT -> copy.int8((Long) value);
                    case Types.INTEGER -> copy.int4((Integer) value);
                    case Types.SMALLINT -> copy.int2((Short) value);
                    default -> throw new IllegalStateException("no binary COPY encoding for " + column.sqlType());
                }
            }
        }
        copy.into(connection, POSTGRES_COPY);
    }

    private static List<LedgerEntry> insertPostgres(Connection connection, List<LedgerEntry> entries) throws SQLException {
        List<Array> arrays = new ArrayList<>(ROW.size());
        try (PreparedStatement insert = connection.prepareStatement(POSTGRES_INSERT)) {
            for (int c = 0; c < ROW.size(); c++) {
                Column column = ROW.get(c);
                Object[] values = new Object[entries.size()];
                for (int r = 0; r < values.length; r++) {
                    values[r] = column.value().apply(entries.get(r));
                }
                Array array = connection.createArrayOf(column.sqlType(), values);
                arrays.add(array);
                insert.setArray(c + 1, array);
            }
            return stored(insert, entries);
        } finally {
            for (Array array : arrays) {
                array.free();
            }
        }
    }

    private static List<LedgerEntry> insertSqlite(Connection connection, List<LedgerEntry> entries) throws SQLException {
        List<LedgerEntry> inserted = new ArrayList<>(entries.size());
        int from = 0;
        while (from < entries.size()) {
            int rows = Integer.highestOneBit(Math.min(SQLITE_MAX_ROWS, entries.size() - from));
            List<LedgerEntry> chunk = entries.subList(from, from + rows);
            try (PreparedStatement insert = connection.prepareStatement(SQLITE_INSERTS[Integer.numberOfTrailingZeros(rows)])) {
                int index = 1;
                for (LedgerEntry entry : chunk) {
                    for (Column column : ROW) {
                        Object value = column.value().apply(entry);
                        if (value == null) {
                            insert.setNull(index++, column.jdbcType());
                        } else {
                            insert.setObject(index++, value);
                        }
                    }
                }
                inserted.addAll(stored(insert, chunk));
            }
            from += rows;
        }
        return inserted;
    }

    /** Runs the insert and returns the rows of {@code entries} it stored: of rows repeating an id, the first. */
    private static List<LedgerEntry> stored(PreparedStatement insert, List<LedgerEntry> entries) throws SQLException {
        Set<String> storedIds = new HashSet<>();
        try (ResultSet rs = insert.executeQuery()) {
            while (rs.next()) {
                storedIds.add(rs.getString(1));
            }
        }
        List<LedgerEntry> stored = new ArrayList<>(storedIds.size());
        for (LedgerEntry entry : entries) {
            if (storedIds.remove(entry.requestId())) {
                stored.add(entry);
            }
        }
        return stored;
    }

    /** A column: its SQL type (PostgreSQL's array element type), the same as a {@link Types} code, and its value. */
    private record Column(String sqlType, int jdbcType, Function<LedgerEntry, Object> value) {
    }

    private static Column text(Function<LedgerEntry, String> value) {
        return new Column("text", Types.VARCHAR, value::apply);
    }

    private static Column bigint(Function<LedgerEntry, Long> value) {
        return new Column("bigint", Types.BIGINT, value::apply);
    }

    /** An instant as epoch milliseconds (finer precision is dropped). */
    private static Column millis(Function<LedgerEntry, Instant> value) {
        return new Column("bigint", Types.BIGINT, e -> {
            Instant instant = value.apply(e);
            return instant == null ? null : instant.toEpochMilli();
        });
    }

    private static Column flag(Function<LedgerEntry, Boolean> value) {
        return new Column("smallint", Types.SMALLINT, e -> value.apply(e) ? (short) 1 : (short) 0);
    }
}
