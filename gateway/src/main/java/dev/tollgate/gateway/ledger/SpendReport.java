package dev.tollgate.gateway.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Spend grouped and filtered by key, team, model, user, tag and UTC day, read from the daily rollups
 * ({@link SpendRollup}), never from the ledger rows:
 * <ul>
 *   <li>without user or tag: {@code spend_daily}, a few thousand rows a month;</li>
 *   <li>with a user (grouped or filtered): {@code spend_daily_users}; spend without a user (the {@code null} user group,
 *       or {@code user=} with an empty value) is {@code spend_daily}'s {@code no_user_*} columns;</li>
 *   <li>with a tag: {@code spend_daily_tags}, tagged requests only, each counted under each of its tags. It has no
 *       user, so a query cannot involve both tag and user ({@link Query} refuses it).</li>
 * </ul>
 * Without a tag, totals equal the ledger's to the picodollar.
 */
public final class SpendReport {

    /** What spend can be grouped and filtered by; {@link #DAY} only grouped (the range filters days). */
    public enum Dimension {
        KEY("key_name"),
        TEAM("team"),
        MODEL("requested_model"),
        USER("end_user"),
        TAG("tag"),
        DAY("day");

        private final String column;

        Dimension(String column) {
            this.column = column;
        }

        /** The name in query parameters and answers: {@code key}, {@code team}, … */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One report.
     *
     * @param groupBy dimensions to group by, in order (none: one total row)
     * @param filters per dimension the values a row must have one of (empty string: rows without one)
     * @param from    first UTC day, inclusive
     * @param to      last UTC day, exclusive
     * @param limit   most rows returned
     */
    public record Query(List<Dimension> groupBy, Map<Dimension, List<String>> filters, LocalDate from, LocalDate to, int limit) {

        public Query {
            groupBy = List.copyOf(groupBy);
            Map<Dimension, List<String>> copy = new EnumMap<>(Dimension.class);
            filters.forEach((dimension, values) -> copy.put(dimension, List.copyOf(values)));
            filters = Collections.unmodifiableMap(copy);
            if (filters.containsKey(Dimension.DAY)) {
                throw new IllegalArgumentException("days are filtered by from and to");
            }
            if (involves(groupBy, filters, Dimension.TAG) && involves(groupBy, filters, Dimension.USER)) {
                throw new IllegalArgumentException("tag and user cannot be combined");
            }
        }

        boolean involves(Dimension d) {
            return involves(groupBy, filters, d);
        }

        private static boolean involves(List<Dimension> groupBy, Map<Dimension, List<String>> filters, Dimension d) {
            return groupBy.contains(d) || filters.containsKey(d);
        }

        /** Whether requests without an end user are asked for: grouped by user, or filtered by an empty user. */
        boolean withoutUser() {
            return groupBy.contains(Dimension.USER) || filters.getOrDefault(Dimension.USER, List.of()).contains("");
        }
    }

    /**
     * One group's spend.
     *
     * @param group            the group's value per dimension of {@link Query#groupBy}, in that order; null for rows without
     *                         one (no team, no user); the day as {@code 2026-12-05}
     * @param requests         client requests (attempts not counted)
     * @param promptTokens     prompt tokens of every billed row
     * @param completionTokens completion tokens of every billed row
     * @param costUsd          exact cost, scale 12
     */
    public record Row(List<String> group, long requests, long promptTokens, long completionTokens, BigDecimal costUsd) {
    }

    /**
     * A report's rows and the total of every row matching the filters.
     *
     * @param rows    at most {@link Query#limit} rows, ordered by group (absent values last)
     * @param hasMore whether rows beyond the limit were left out
     * @param total   the total of all groups (not only those returned); one group per request unless tagged
     */
    public record Result(List<Row> rows, boolean hasMore, Row total) {
    }

    private final DataSource dataSource;

    public SpendReport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs the report for {@code query}; throws {@link LedgerException} if the database fails. */
    public Result run(Query query) {
        // table and column names come from constants and the enum, never from input; values are bound
        List<Object> params = new ArrayList<>();
        String where = selection(query, params);
        String sums = "SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_pico)";
        String columns = query.groupBy().stream().map(d -> d.column).collect(Collectors.joining(", "));
        String order = query.groupBy().stream()
                .map(d -> d == Dimension.DAY ? "day" : "CASE WHEN " + d.column + " = '' THEN 1 ELSE 0 END, " + d.column)
                .collect(Collectors.joining(", "));
        String rowsSql = query.groupBy().isEmpty()
                ? "SELECT " + sums + where
                : "SELECT " + columns + ", " + sums + where + " GROUP BY " + columns + having(query) + " ORDER BY " + order + " LIMIT ?";
        try (Connection connection = dataSource.getConnection()) {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement select = prepare(connection, rowsSql, params, query.groupBy().isEmpty() ? null : query.limit() + 1);
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    List<String> group = new ArrayList<>(query.groupBy().size());
                    for (int i = 0; i < query.groupBy().size(); i++) {
                        group.add(value(query.groupBy().get(i), rs, i + 1));
                    }
                    rows.add(sums(group, rs, query.groupBy().size() + 1));
                }
            }
            Row total;
            if (query.groupBy().isEmpty()) {
                total = rows.getFirst();
            } else {
                try (PreparedStatement select = prepare(connection, "SELECT " + sums + where, params, null);
                     ResultSet rs = select.executeQuery()) {
                    rs.next();
                    total = sums(List.of(), rs, 1);
                }
            }
            boolean hasMore = rows.size() > query.limit();
            return new Result(hasMore ? List.copyOf(rows.subList(0, query.limit())) : List.copyOf(rows), hasMore, total);
        } catch (SQLException e) {
            throw new LedgerException("spend report query failed", e);
        }
    }

    /** Drops the groups without a user that are empty (every request of that day and combination had a user). */
    private static String having(Query query) {
        return query.involves(Dimension.TAG) || !query.involves(Dimension.USER) || !query.withoutUser() ? ""
                : " HAVING SUM(requests) <> 0 OR SUM(prompt_tokens) <> 0 OR SUM(completion_tokens) <> 0 OR SUM(cost_pico) <> 0";
    }

    /**
     * The {@code FROM} and {@code WHERE} of a query (see the class comment for which rollup), adding their values to
     * {@code params}. Spend of users and spend without a user are each summed per group first, then put together.
     */
    private static String selection(Query query, List<Object> params) {
        if (query.involves(Dimension.TAG) || !query.involves(Dimension.USER) || !query.withoutUser()) {
            String table = query.involves(Dimension.TAG) ? "spend_daily_tags"
                    : query.involves(Dimension.USER) ? "spend_daily_users" : "spend_daily";
            return " FROM " + table + where(query, params, true);
        }
        List<String> users = query.filters().getOrDefault(Dimension.USER, List.of()).stream().filter(u -> !u.isEmpty()).toList();
        boolean allUsers = !query.filters().containsKey(Dimension.USER);
        List<String> branches = new ArrayList<>(2);
        if (allUsers || !users.isEmpty()) {
            branches.add("SELECT " + branchColumns(query, "end_user") + "SUM(requests) AS requests, SUM(prompt_tokens) AS prompt_tokens,"
                    + " SUM(completion_tokens) AS completion_tokens, SUM(cost_pico) AS cost_pico FROM spend_daily_users"
                    + where(query, params, false) + (allUsers ? "" : " AND end_user IN (" + placeholders(users.size()) + ")")
                    + groupBy(query, true));
            params.addAll(users);
        }
        if (allUsers || query.filters().get(Dimension.USER).contains("")) {
            branches.add("SELECT " + branchColumns(query, "'' AS end_user") + "SUM(no_user_requests) AS requests,"
                    + " SUM(no_user_prompt_tokens) AS prompt_tokens, SUM(no_user_completion_tokens) AS completion_tokens,"
                    + " SUM(no_user_cost_pico) AS cost_pico FROM spend_daily" + where(query, params, false) + groupBy(query, false));
        }
        return " FROM (" + String.join(" UNION ALL ", branches) + ") AS spend";
    }

    /** {@code WHERE} on the day range and the filters ({@code withUser}: the user filter too). */
    private static String where(Query query, List<Object> params, boolean withUser) {
        StringBuilder where = new StringBuilder(" WHERE day >= ? AND day < ?");
        params.add(epochMillis(query.from()));
        params.add(epochMillis(query.to()));
        for (Map.Entry<Dimension, List<String>> filter : query.filters().entrySet()) {
            if (withUser || filter.getKey() != Dimension.USER) {
                where.append(" AND ").append(filter.getKey().column).append(" IN (").append(placeholders(filter.getValue().size()))
                        .append(')');
                params.addAll(filter.getValue());
            }
        }
        return where.toString();
    }

    /** The grouped columns of a union branch, the user as {@code user}, each followed by a comma. */
    private static String branchColumns(Query query, String user) {
        return query.groupBy().stream().map(d -> (d == Dimension.USER ? user : d.column) + ", ").collect(Collectors.joining());
    }

    /** {@code GROUP BY} of a union branch: the grouped columns ({@code withUser}: the user too), or none. */
    private static String groupBy(Query query, boolean withUser) {
        List<String> columns = query.groupBy().stream().filter(d -> withUser || d != Dimension.USER).map(d -> d.column).toList();
        return columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns);
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<Object> params, Integer limit)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        int i = 1;
        for (Object param : params) {
            statement.setObject(i++, param);
        }
        if (limit != null) {
            statement.setInt(i, limit);
        }
        return statement;
    }

    private static String value(Dimension dimension, ResultSet rs, int column) throws SQLException {
        if (dimension == Dimension.DAY) {
            return LocalDate.ofInstant(Instant.ofEpochMilli(rs.getLong(column)), ZoneOffset.UTC).toString();
        }
        String value = rs.getString(column);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Row sums(List<String> group, ResultSet rs, int first) throws SQLException {
        return new Row(Collections.unmodifiableList(group), rs.getLong(first), rs.getLong(first + 1), rs.getLong(first + 2),
                SpendQueries.usd(rs.getObject(first + 3)));
    }

    private static long epochMillis(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
