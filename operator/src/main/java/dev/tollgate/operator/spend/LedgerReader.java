package dev.tollgate.operator.spend;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads period totals from the gateway's PostgreSQL ledger database. Parameterized SQL only.
 *
 * <p>Cost comes from {@code spend_buckets} (the gateway's per-key and per-team sums in 15-minute buckets of
 * {@code started_at}, schema version 3): whole buckets from the first boundary at or after the period start, plus the
 * {@code ledger} rows before that boundary (none when the start is a boundary, as calendar periods and durations
 * of whole quarter hours are). Each name costs index lookups only: its buckets by primary key, and its last use as
 * {@code MAX(started_at)} of the ledger rows in its latest bucket (PostgreSQL may answer a plain
 * {@code MAX(started_at) WHERE key_name = ?} by scanning the {@code started_at} index backwards, through every row of
 * the period when the key was idle). A database a gateway has not yet migrated to version 3 is read from the ledger
 * rows alone.
 */
public final class LedgerReader {

    /** Spend in picodollars and the last request's start, for one key or team. */
    public record Total(long costPico, Instant lastUsedAt) {
    }

    /** The gateway's bucket width ({@code SpendBuckets.WIDTH_MILLIS}): 15 minutes. */
    static final long BUCKET_MILLIS = 15 * 60 * 1000L;

    private final DataSource dataSource;

    public LedgerReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<String, Total> byKey(Collection<String> keyNames, Instant since) throws SQLException {
        return totals("key", "key_name", keyNames, since);
    }

    public Map<String, Total> byTeam(Collection<String> teams, Instant since) throws SQLException {
        return totals("team", "team", teams, since);
    }

    private Map<String, Total> totals(String kind, String column, Collection<String> names, Instant since) throws SQLException {
        Map<String, Total> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        long start = since.toEpochMilli();
        long boundary = Math.floorDiv(start + BUCKET_MILLIS - 1, BUCKET_MILLIS) * BUCKET_MILLIS;
        try (Connection c = dataSource.getConnection()) {
            Array array = c.createArrayOf("varchar", names.toArray());
            boolean buckets = hasBuckets(c);
            // kind and column are constants above, never input
            String costSql = buckets
                    ? "COALESCE((SELECT SUM(cost_pico) FROM spend_buckets WHERE subject_kind = '" + kind + "' AND subject = s.name AND bucket_start >= ?), 0)"
                    + " + COALESCE((SELECT SUM(cost_pico) FROM ledger WHERE " + column + " = s.name AND started_at >= ? AND started_at < ?), 0)"
                    : "COALESCE((SELECT SUM(cost_pico) FROM ledger WHERE " + column + " = s.name AND started_at >= ?), 0)";
            // Last use: on the version-3 schema only within the subject's latest bucket (found by primary key), so a
            // key idle all period costs no scan of the period's rows, whichever ledger index the planner picks.
            String lastUsedSql = buckets
                    ? "(SELECT MAX(started_at) FROM ledger WHERE " + column + " = s.name AND started_at >= ?"
                    + " AND started_at >= lb.b AND started_at < lb.b + " + BUCKET_MILLIS + ")"
                    : "(SELECT MAX(started_at) FROM ledger WHERE " + column + " = s.name AND started_at >= ?)";
            String sql = "SELECT s.name, " + costSql + ", " + lastUsedSql + " FROM unnest(?) AS s(name)"
                    + (buckets ? " LEFT JOIN LATERAL (SELECT MAX(bucket_start) AS b FROM spend_buckets"
                    + " WHERE subject_kind = '" + kind + "' AND subject = s.name AND bucket_start >= ?) AS lb ON true" : "");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (buckets) {
                    ps.setLong(i++, boundary);
                    ps.setLong(i++, start);
                    ps.setLong(i++, boundary);
                } else {
                    ps.setLong(i++, start);
                }
                ps.setLong(i++, start);
                ps.setArray(i++, array);
                if (buckets) {
                    ps.setLong(i, Math.floorDiv(start, BUCKET_MILLIS) * BUCKET_MILLIS);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long cost = rs.getLong(2);
                        long last = rs.getLong(3);
                        Instant lastUsed = rs.wasNull() ? null : Instant.ofEpochMilli(last);
                        if (cost != 0 || lastUsed != null) {
                            out.put(rs.getString(1), new Total(cost, lastUsed));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Whether the gateway has migrated this database to schema version 3 ({@code spend_buckets}). */
    private static boolean hasBuckets(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass('spend_buckets') IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }
}
