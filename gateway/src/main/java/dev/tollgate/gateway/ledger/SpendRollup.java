package dev.tollgate.gateway.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The daily rollups of the ledger, per UTC day of {@code started_at}, kept in step with it by {@link LedgerStore} in
 * the transaction that inserts the rows; {@link SpendReport} answers {@code /admin/spend} from them:
 * <ul>
 *   <li>{@code spend_daily}: every row, per key, team and requested model, with the part without an end user again in
 *       its {@code no_user_*} columns. Small (days × keys × models), so reports by key, team, model and day read a few
 *       thousand rows a month whatever the traffic;</li>
 *   <li>{@code spend_daily_users}: rows with an end user, per user, key, team and model. End users can be many, so
 *       this table holds up to one row per user and combination and day; rows without a user cost nothing here;</li>
 *   <li>{@code spend_daily_tags}: rows with tags, once per tag, per tag, key, team and model (not per user: tags times
 *       users would make it as large as the ledger, and a report by tag as slow as reading it).</li>
 * </ul>
 * An absent team or model is stored as {@code ''}: key columns of a primary key cannot be NULL on PostgreSQL. Costs are {@code BIGINT} picodollars that saturate, as in {@link SpendBuckets}.
 */
final class SpendRollup {

    /** One UTC day in milliseconds. */
    static final long DAY_MILLIS = 24 * 60 * 60 * 1000L;

    /** Prefix of {@code spend_daily}'s columns that sum the rows without an end user. */
    static final String NO_USER = "no_user_";

    /** Stored for an absent team or model. */
    static final String ABSENT = "";

    /** SQL expression of the UTC day of {@code started_at} (a floor that also holds before 1970). */
    static final String DAY_OF_STARTED_AT =
            "started_at - ((started_at % " + DAY_MILLIS + " + " + DAY_MILLIS + ") % " + DAY_MILLIS + ")";


    private static final String UPSERT_DAILY = upsert("spend_daily", "day, key_name, team, requested_model", "", NO_USER);
    private static final String UPSERT_USERS = upsert("spend_daily_users", "day, end_user, key_name, team, requested_model", "");
    private static final String UPSERT_TAGS = upsert("spend_daily_tags", "day, tag, key_name, team, requested_model", "");

    /**
     * One rollup row: day and combination; {@code tag} is null outside {@code spend_daily_tags}, {@code user} null
     * outside {@code spend_daily_users}.
     */
    record Key(long day, String tag, String keyName, String team, String model, String user) {

        /** The order every writer locks rows in, so concurrent upserts cannot deadlock. */
        static final Comparator<Key> ORDER = Comparator.comparingLong(Key::day)
                .thenComparing(Key::tag, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Key::keyName).thenComparing(Key::team).thenComparing(Key::model)
                .thenComparing(Key::user, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /** Amounts added to one rollup row; {@link #withoutUser} only in {@code spend_daily}. */
    static final class Sums {
        long requests;
        long promptTokens;
        long completionTokens;
        long costPico;
        /** The part of the row's requests that named no end user ({@code spend_daily}'s {@code no_user_*} columns). */
        Sums withoutUser;
    }

    private SpendRollup() {
    }

    /** Adds the rows (newly stored, inside the caller's transaction) to the three tables. */
    static void add(Connection connection, List<LedgerEntry> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<Key, Sums> daily = new TreeMap<>(Key.ORDER);
        Map<Key, Sums> users = new TreeMap<>(Key.ORDER);
        Map<Key, Sums> tagged = new TreeMap<>(Key.ORDER);
        aggregate(rows, daily, users, tagged);
        upsert(connection, UPSERT_DAILY, daily);
        upsert(connection, UPSERT_USERS, users);
        upsert(connection, UPSERT_TAGS, tagged);
    }

    /** Sums rows per day and combination into each table's rows. Requests count client requests only, as everywhere. */
    static void aggregate(List<LedgerEntry> rows, Map<Key, Sums> daily, Map<Key, Sums> users, Map<Key, Sums> tagged) {
        for (LedgerEntry row : rows) {
            long day = Math.floorDiv(row.startedAt().toEpochMilli(), DAY_MILLIS) * DAY_MILLIS;
            String team = orAbsent(row.team());
            String model = orAbsent(row.what().requestedModel());
            String user = row.attribution().user();
            Sums all = add(daily, new Key(day, null, row.keyName(), team, model, null), row);
            if (all.withoutUser == null) {
                all.withoutUser = new Sums();
            }
            if (user == null) {
                add(all.withoutUser, row);
            } else {
                add(users, new Key(day, null, row.keyName(), team, model, user), row);
            }
            for (String tag : row.attribution().tags()) {
                add(tagged, new Key(day, tag, row.keyName(), team, model, null), row);
            }
        }
    }

    private static Sums add(Map<Key, Sums> sums, Key key, LedgerEntry row) {
        Sums s = sums.computeIfAbsent(key, k -> new Sums());
        add(s, row);
        return s;
    }

    private static void add(Sums s, LedgerEntry row) {
        s.requests += row.parentRequestId() == null ? 1 : 0;
        s.promptTokens += row.tokens().promptTokens();
        s.completionTokens += row.tokens().completionTokens();
        s.costPico = SpendBuckets.saturatedSum(s.costPico, Picodollars.fromUsd(row.costUsd()));
    }

    private static void upsert(Connection connection, String sql, Map<Key, Sums> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            for (Map.Entry<Key, Sums> row : rows.entrySet()) {
                Key k = row.getKey();
                int i = 1;
                upsert.setLong(i++, k.day());
                if (k.tag() != null) {
                    upsert.setString(i++, k.tag());
                }
                if (k.user() != null) {
                    upsert.setString(i++, k.user());
                }
                upsert.setString(i++, k.keyName());
                upsert.setString(i++, k.team());
                upsert.setString(i++, k.model());
                i = sums(upsert, i, row.getValue());
                if (row.getValue().withoutUser != null) {
                    sums(upsert, i, row.getValue().withoutUser);
                }
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static int sums(PreparedStatement upsert, int first, Sums sums) throws SQLException {
        upsert.setLong(first, sums.requests);
        upsert.setLong(first + 1, sums.promptTokens);
        upsert.setLong(first + 2, sums.completionTokens);
        upsert.setLong(first + 3, sums.costPico);
        return first + 4;
    }

    /** The update of {@code table}'s {@code <prefix>cost_pico}: a sum that stops at the largest BIGINT. */
    private static String saturatedCost(String table, String prefix) {
        return """
                %2$scost_pico = CASE
                    WHEN excluded.%2$scost_pico <= 0 THEN %1$s.%2$scost_pico + excluded.%2$scost_pico
                    WHEN %1$s.%2$scost_pico > 9223372036854775807 - excluded.%2$scost_pico THEN 9223372036854775807
                    ELSE %1$s.%2$scost_pico + excluded.%2$scost_pico END""".formatted(table, prefix);
    }

    /** Adds to one row of {@code table}, whose key is {@code keyColumns}; its cost saturates at the largest BIGINT. */
    private static String upsert(String table, String keyColumns, String... sumPrefixes) {
        List<String> sums = new ArrayList<>();
        List<String> updates = new ArrayList<>();
        for (String prefix : sumPrefixes) {
            for (String column : List.of("requests", "prompt_tokens", "completion_tokens")) {
                sums.add(prefix + column);
                updates.add("%2$s%3$s = %1$s.%2$s%3$s + excluded.%2$s%3$s".formatted(table, prefix, column));
            }
            sums.add(prefix + "cost_pico");
            updates.add(saturatedCost(table, prefix));
        }
        int values = keyColumns.split(",").length + sums.size();
        return "INSERT INTO " + table + " (" + keyColumns + ", " + String.join(", ", sums) + ") VALUES ("
                + String.join(", ", Collections.nCopies(values, "?")) + ") ON CONFLICT (" + keyColumns + ") DO UPDATE SET "
                + String.join(", ", updates);
    }

    private static String orAbsent(String value) {
        return value == null ? ABSENT : value;
    }

    /** SQL that sums existing ledger rows (none has a user or tags yet) into {@code spend_daily}, for migration 6. */
    static String backfillDaily() {
        return """
                INSERT INTO spend_daily (day, key_name, team, requested_model, requests, prompt_tokens, completion_tokens, cost_pico,
                                         no_user_requests, no_user_prompt_tokens, no_user_completion_tokens, no_user_cost_pico)
                SELECT day, key_name, team, requested_model, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_pico),
                       SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_pico)
                FROM (SELECT %s AS day, key_name, COALESCE(team, '') AS team, COALESCE(requested_model, '') AS requested_model,
                             CASE WHEN parent_request_id IS NULL THEN 1 ELSE 0 END AS requests,
                             prompt_tokens, completion_tokens, cost_pico
                      FROM ledger) AS r
                GROUP BY day, key_name, team, requested_model""".formatted(DAY_OF_STARTED_AT);
    }
}
