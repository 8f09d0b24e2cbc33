package dev.tollgate.gateway.ledger;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads spend from the ledger, on SQLite and PostgreSQL alike.
 *
 * <p>A row counts in a range when its {@code started_at} is in {@code [from, to)}. Only client requests
 * ({@code parent_request_id IS NULL}) count as requests, but tokens and cost sum every row: a retried or
 * failed-over attempt was billed by its provider too. Costs are exact ({@link Picodollars}); on SQLite a sum
 * past about 9.2 million USD in one query fails with an integer overflow.
 *
 * <p>The per-period costs budgets poll read {@code spend_buckets} ({@link SpendBuckets}), so their cost grows with keys
 * and buckets, not with rows; spend reports are {@link SpendReport}'s.
 */
public final class SpendQueries {

    private final DataSource dataSource;

    public SpendQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Exact cost per key of every row started at or after {@code from}; keys without rows are absent.
     *
     * @throws LedgerException if the database fails
     */
    public Map<String, BigDecimal> costByKeySince(Instant from) {
        return costSince(SpendBuckets.KEY, "key_name", from);
    }

    /**
     * Exact cost per team of every row started at or after {@code from}; rows without team are left out.
     *
     * @throws LedgerException if the database fails
     */
    public Map<String, BigDecimal> costByTeamSince(Instant from) {
        return costSince(SpendBuckets.TEAM, "team", from);
    }

    /**
     * Exact cost of one key's rows started at or after {@code from} (zero without rows): a key's own view of its spend.
     *
     * @throws LedgerException if the database fails
     */
    public BigDecimal costOfKeySince(String keyName, Instant from) {
        return costOfSince(SpendBuckets.KEY, "key_name", keyName, from);
    }

    /**
     * Exact cost of one team's rows started at or after {@code from} (zero without rows).
     *
     * @throws LedgerException if the database fails
     */
    public BigDecimal costOfTeamSince(String team, Instant from) {
        return costOfSince(SpendBuckets.TEAM, "team", team, from);
    }

    /**
     * Whole buckets from the first boundary at or after {@code from}, plus the ledger rows between {@code from} and that
     * boundary (none when {@code from} is a boundary, as every budget period start of 15-minute granularity is).
     */
    private Map<String, BigDecimal> costSince(String kind, String column, Instant from) {
        long start = from.toEpochMilli();
        long boundary = SpendBuckets.nextBoundary(start);
        String sql = """
                SELECT subject, SUM(cost_pico) FROM (
                    SELECT subject, cost_pico FROM spend_buckets WHERE subject_kind = ? AND bucket_start >= ?
                    UNION ALL
                    SELECT %1$s, cost_pico FROM ledger WHERE started_at >= ? AND started_at < ? AND %1$s IS NOT NULL
                ) AS spend
                GROUP BY subject""".formatted(column);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, kind);
            query.setLong(2, boundary);
            query.setLong(3, start);
            query.setLong(4, boundary);
            try (ResultSet rs = query.executeQuery()) {
                Map<String, BigDecimal> costs = new LinkedHashMap<>();
                while (rs.next()) {
                    costs.put(rs.getString(1), usd(rs.getObject(2)));
                }
                return costs;
            }
        } catch (SQLException e) {
            throw new LedgerException("cost query failed", e);
        }
    }

    /** {@link #costSince} of one subject, on the primary key of {@code spend_buckets} and the ledger's subject index. */
    private BigDecimal costOfSince(String kind, String column, String subject, Instant from) {
        long start = from.toEpochMilli();
        long boundary = SpendBuckets.nextBoundary(start);
        String sql = """
                SELECT SUM(cost_pico) FROM (
                    SELECT cost_pico FROM spend_buckets WHERE subject_kind = ? AND subject = ? AND bucket_start >= ?
                    UNION ALL
                    SELECT cost_pico FROM ledger WHERE %1$s = ? AND started_at >= ? AND started_at < ?
                ) AS spend""".formatted(column);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, kind);
            query.setString(2, subject);
            query.setLong(3, boundary);
            query.setString(4, subject);
            query.setLong(5, start);
            query.setLong(6, boundary);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return usd(rs.getObject(1));
            }
        } catch (SQLException e) {
            throw new LedgerException("cost query failed", e);
        }
    }

    /** A SUM of picodollars: a 64-bit integer on SQLite, an exact numeric on PostgreSQL. */
    static BigDecimal usd(Object sumPico) {
        return switch (sumPico) {
            case null -> Picodollars.toUsd(0);
            case BigDecimal exact -> Picodollars.toUsd(exact);
            case Long integral -> Picodollars.toUsd(integral);
            case Integer integral -> Picodollars.toUsd(integral);
            case BigInteger integral -> Picodollars.toUsd(new BigDecimal(integral));
            default -> throw new IllegalStateException("unexpected SUM type " + sumPico.getClass().getName());
        };
    }
}
