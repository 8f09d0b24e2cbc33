package dev.tollgate.gateway.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.usage.Usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The newest ledger rows, filtered: what {@code GET /admin/requests} lists. Reads ledger fields only (there is no
 * content in the ledger). Ordered by {@code started_at} descending on its index; a key or team filter uses the
 * {@code (key_name, started_at)} or {@code (team, started_at)} index.
 */
public final class RecentRequests {

    /** What rows can be filtered by: the column of each. */
    public enum Filter {
        KEY("key_name"),
        TEAM("team"),
        MODEL("requested_model"),
        USER("end_user"),
        TAG("tags");

        private final String column;

        Filter(String column) {
            this.column = column;
        }
    }

    /**
     * One page.
     *
     * @param filters per filter the value a row must have (empty string: rows without one)
     * @param from    earliest start, inclusive, or null
     * @param to      latest start, exclusive, or null
     * @param limit   most rows
     */
    public record Query(Map<Filter, String> filters, Instant from, Instant to, int limit) {

        public Query {
            filters = Map.copyOf(filters);
        }
    }

    /** At most {@link Query#limit} rows, newest first, and whether older ones matched too. */
    public record Page(List<LedgerEntry> rows, boolean hasMore) {
    }

    private final LedgerDatabase database;

    public RecentRequests(LedgerDatabase database) {
        this.database = database;
    }

    /** The newest rows that match {@code query}; throws {@link LedgerException} if the database fails. */
    public Page newest(Query query) {
        StringBuilder sql = new StringBuilder("SELECT * FROM ledger WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (query.from() != null) {
            sql.append(" AND started_at >= ?");
            params.add(query.from().toEpochMilli());
        }
        if (query.to() != null) {
            sql.append(" AND started_at < ?");
            params.add(query.to().toEpochMilli());
        }
        for (Map.Entry<Filter, String> filter : query.filters().entrySet()) {
            String column = filter.getKey().column; // from the enum, never from input; values are bound
            if (filter.getValue().isEmpty()) {
                sql.append(" AND ").append(column).append(" IS NULL");
            } else if (filter.getKey() == Filter.TAG) {
                // the tag as a JSON string, quotes included, is in the column's JSON array exactly when it is a tag
                sql.append(database.dialect() == Dialect.POSTGRESQL ? " AND strpos(tags, ?) > 0" : " AND instr(tags, ?) > 0");
                params.add(jsonString(filter.getValue()));
            } else {
                sql.append(" AND ").append(column).append(" = ?");
                params.add(filter.getValue());
            }
        }
        sql.append(" ORDER BY started_at DESC, request_id DESC LIMIT ?");
        params.add(query.limit() + 1);
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
            }
            List<LedgerEntry> rows = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(entry(rs));
                }
            }
            boolean hasMore = rows.size() > query.limit();
            return new Page(hasMore ? List.copyOf(rows.subList(0, query.limit())) : List.copyOf(rows), hasMore);
        } catch (SQLException e) {
            throw new LedgerException("recent requests query failed", e);
        }
    }

    /** A stored row back as an entry (instants at millisecond precision, as stored). */
    static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(rs.getString("request_id"), rs.getString("parent_request_id"),
                new LedgerEntry.Who(rs.getString("key_name"), rs.getString("team")),
                new LedgerEntry.What(rs.getString("endpoint"), rs.getString("requested_model"), rs.getString("backend"),
                        rs.getString("provider"), rs.getString("upstream_model"), rs.getInt("streamed") == 1),
                new LedgerEntry.Timing(instant(rs, "started_at"), instant(rs, "first_token_at"), instant(rs, "ended_at")),
                new Usage(rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), rs.getLong("cached_tokens"),
                        rs.getLong("reasoning_tokens"), rs.getInt("estimated") == 1),
                Picodollars.toUsd(rs.getLong("cost_pico")),
                new LedgerEntry.Outcome(rs.getInt("status"), rs.getString("error_type")),
                new LedgerEntry.Attribution(rs.getString("end_user"), LedgerTags.decode(rs.getString("tags"))));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static String jsonString(String value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string is always JSON", e);
        }
    }
}
