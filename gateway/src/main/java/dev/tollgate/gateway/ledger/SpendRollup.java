package dev.tollgate.gateway.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tables {@code spend_daily} and {@code spend_daily_tags}: requests, tokens and cost per UTC day of {@code started_at},
 * key, team, requested model and end user ({@code spend_daily_tags} also per tag), kept in step with the ledger by
 * {@link LedgerStore} in the transaction that inserts the rows. {@link SpendReport} answers {@code /admin/spend} from
 * them, so a report reads one row per day and combination, not one per request.
 *
 * <p>A row with several tags counts once per tag in {@code spend_daily_tags}; a row without tags counts under the tag
 * {@code ''}. Absent values (no team, no user, no model) are stored as {@code ''}: key columns of a primary key cannot
 * be NULL on PostgreSQL. Costs are {@code BIGINT} picodollars that saturate, as in {@link SpendBuckets}.
 */
final class SpendRollup {

    /** One UTC day in milliseconds. */
    static final long DAY_MILLIS = 24 * 60 * 60 * 1000L;

    /** Stored for an absent team, user, model or tag. */
    static final String ABSENT = "";

    /** SQL expression of the UTC day of {@code started_at} (a floor that also holds before 1970). */
    static final String DAY_OF_STARTED_AT =
            "started_at - ((started_at % " + DAY_MILLIS + " + " + DAY_MILLIS + ") % " + DAY_MILLIS + ")";

    private static final String SATURATED_COST = """
                cost_pico = CASE
                    WHEN excluded.cost_pico <= 0 THEN %1$s.cost_pico + excluded.cost_pico
                    WHEN %1$s.cost_pico > 9223372036854775807 - excluded.cost_pico THEN 9223372036854775807
                    ELSE %1$s.cost_pico + excluded.cost_pico END""";

    private static final String UPSERT_DAILY = """
            INSERT INTO spend_daily (day, key_name, team, requested_model, end_user,
                                     requests, prompt_tokens, completion_tokens, cost_pico)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (day, key_name, team, requested_model, end_user) DO UPDATE SET
                requests = spend_daily.requests + excluded.requests,
                prompt_tokens = spend_daily.prompt_tokens + excluded.prompt_tokens,
                completion_tokens = spend_daily.completion_tokens + excluded.completion_tokens,
            """ + SATURATED_COST.formatted("spend_daily");

    private static final String UPSERT_TAGGED = """
            INSERT INTO spend_daily_tags (day, tag, key_name, team, requested_model, end_user,
                                          requests, prompt_tokens, completion_tokens, cost_pico)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (day, tag, key_name, team, requested_model, end_user) DO UPDATE SET
                requests = spend_daily_tags.requests + excluded.requests,
                prompt_tokens = spend_daily_tags.prompt_tokens + excluded.prompt_tokens,
                completion_tokens = spend_daily_tags.completion_tokens + excluded.completion_tokens,
            """ + SATURATED_COST.formatted("spend_daily_tags");

    /** One rollup row: day and combination; {@code tag} is null for {@code spend_daily}. */
    record Key(long day, String tag, String keyName, String team, String model, String user) {

        /** The order every writer locks rows in, so concurrent upserts cannot deadlock. */
        static final Comparator<Key> ORDER = Comparator.comparingLong(Key::day)
                .thenComparing(Key::tag, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Key::keyName).thenComparing(Key::team).thenComparing(Key::model).thenComparing(Key::user);
    }

    /** Amounts added to one rollup row. */
    static final class Sums {
        long requests;
        long promptTokens;
        long completionTokens;
        long costPico;
    }

    private SpendRollup() {
    }

    /** Adds the rows (newly stored, inside the caller's transaction) to both tables. */
    static void add(Connection connection, List<LedgerEntry> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<Key, Sums> daily = new TreeMap<>(Key.ORDER);
        Map<Key, Sums> tagged = new TreeMap<>(Key.ORDER);
        aggregate(rows, daily, tagged);
        upsert(connection, UPSERT_DAILY, daily, false);
        upsert(connection, UPSERT_TAGGED, tagged, true);
    }

    /** Sums rows per day and combination, and per tag too. Requests count client requests only, as everywhere. */
    static void aggregate(List<LedgerEntry> rows, Map<Key, Sums> daily, Map<Key, Sums> tagged) {
        for (LedgerEntry row : rows) {
            long day = Math.floorDiv(row.startedAt().toEpochMilli(), DAY_MILLIS) * DAY_MILLIS;
            String team = orAbsent(row.team());
            String model = orAbsent(row.what().requestedModel());
            String user = orAbsent(row.attribution().user());
            add(daily, new Key(day, null, row.keyName(), team, model, user), row);
            List<String> tags = row.attribution().tags();
            if (tags.isEmpty()) {
                add(tagged, new Key(day, ABSENT, row.keyName(), team, model, user), row);
            }
            for (String tag : tags) {
                add(tagged, new Key(day, tag, row.keyName(), team, model, user), row);
            }
        }
    }

    private static void add(Map<Key, Sums> sums, Key key, LedgerEntry row) {
        Sums s = sums.computeIfAbsent(key, k -> new Sums());
        s.requests += row.parentRequestId() == null ? 1 : 0;
        s.promptTokens += row.tokens().promptTokens();
        s.completionTokens += row.tokens().completionTokens();
        s.costPico = SpendBuckets.saturatedSum(s.costPico, Picodollars.fromUsd(row.costUsd()));
    }

    private static void upsert(Connection connection, String sql, Map<Key, Sums> rows, boolean withTag) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(sql)) {
            for (Map.Entry<Key, Sums> row : rows.entrySet()) {
                Key k = row.getKey();
                int i = 1;
                upsert.setLong(i++, k.day());
                if (withTag) {
                    upsert.setString(i++, k.tag());
                }
                upsert.setString(i++, k.keyName());
                upsert.setString(i++, k.team());
                upsert.setString(i++, k.model());
                upsert.setString(i++, k.user());
                upsert.setLong(i++, row.getValue().requests);
                upsert.setLong(i++, row.getValue().promptTokens);
                upsert.setLong(i++, row.getValue().completionTokens);
                upsert.setLong(i, row.getValue().costPico);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static String orAbsent(String value) {
        return value == null ? ABSENT : value;
    }

    /** SQL that sums existing ledger rows into {@code spend_daily}, for the migration that creates it. */
    static String backfillDaily() {
        return """
                INSERT INTO spend_daily (day, key_name, team, requested_model, end_user,
                                         requests, prompt_tokens, completion_tokens, cost_pico)
                SELECT day, key_name, team, requested_model, '', SUM(requests), SUM(prompt_tokens),
                       SUM(completion_tokens), SUM(cost_pico)
                FROM (%s) AS r
                GROUP BY day, key_name, team, requested_model""".formatted(ledgerRows());
    }

    /** SQL that sums existing ledger rows (none has tags yet) into {@code spend_daily_tags} under the tag {@code ''}. */
    static String backfillTagged() {
        return """
                INSERT INTO spend_daily_tags (day, tag, key_name, team, requested_model, end_user,
                                              requests, prompt_tokens, completion_tokens, cost_pico)
                SELECT day, '', key_name, team, requested_model, '', SUM(requests), SUM(prompt_tokens),
                       SUM(completion_tokens), SUM(cost_pico)
                FROM (%s) AS r
                GROUP BY day, key_name, team, requested_model""".formatted(ledgerRows());
    }

    private static String ledgerRows() {
        return """
                SELECT %s AS day, key_name, COALESCE(team, '') AS team, COALESCE(requested_model, '') AS requested_model,
                       CASE WHEN parent_request_id IS NULL THEN 1 ELSE 0 END AS requests,
                       prompt_tokens, completion_tokens, cost_pico
                FROM ledger""".formatted(DAY_OF_STARTED_AT);
    }
}
