package dev.tollgate.gateway.ledger;

import java.util.List;

/**
 * The ledger's schema, one list of {@link Migration}s for both databases.
 *
 * <p>Table {@code ledger} has one column per field of a {@link LedgerEntry}'s parts in snake_case (the end user is
 * {@code end_user}, tags a JSON array in {@code tags}, see {@link LedgerTags}); instants are
 * {@code BIGINT} epoch milliseconds, the cost is {@code cost_pico} ({@link Picodollars}), booleans are
 * {@code SMALLINT} 0/1. Table {@code spend_buckets} ({@link SpendBuckets}) holds per-key and per-team sums of the
 * ledger in 15-minute buckets; {@code budget_alerts} the budget alerts claimed and delivered (gateway.alerts);
 * {@code spend_daily}, {@code spend_daily_users} and {@code spend_daily_tags}
 * ({@link SpendRollup}) its sums per UTC day and attribution. New steps are appended; a released step is never edited.
 */
final class LedgerSchema {

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "ledger table and indexes", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS ledger (
                        request_id        TEXT     NOT NULL PRIMARY KEY,
                        parent_request_id TEXT,
                        endpoint          TEXT     NOT NULL,
                        started_at        BIGINT   NOT NULL,
                        first_token_at    BIGINT,
                        ended_at          BIGINT,
                        key_name          TEXT     NOT NULL,
                        team              TEXT,
                        requested_model   TEXT,
                        backend           TEXT,
                        provider          TEXT,
                        upstream_model    TEXT,
                        prompt_tokens     BIGINT   NOT NULL,
                        completion_tokens BIGINT   NOT NULL,
                        cached_tokens     BIGINT   NOT NULL,
                        reasoning_tokens  BIGINT   NOT NULL,
                        cost_pico         BIGINT   NOT NULL,
                        status            INTEGER  NOT NULL,
                        error_type        TEXT,
                        streamed          SMALLINT NOT NULL,
                        estimated         SMALLINT NOT NULL
                    )""",
                    "CREATE INDEX IF NOT EXISTS ledger_started_at ON ledger (started_at)",
                    "CREATE INDEX IF NOT EXISTS ledger_key_started_at ON ledger (key_name, started_at)",
                    "CREATE INDEX IF NOT EXISTS ledger_team_started_at ON ledger (team, started_at)",
                    "CREATE INDEX IF NOT EXISTS ledger_model_started_at ON ledger (requested_model, started_at)")),
            new Migration(2, "content log table (content logging policy redacted or full)", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS content_log (
                        request_id  TEXT    NOT NULL PRIMARY KEY,
                        created_at  BIGINT  NOT NULL,
                        key_name    TEXT    NOT NULL,
                        policy      TEXT    NOT NULL,
                        request     TEXT,
                        response    TEXT
                    )""",
                    "CREATE INDEX IF NOT EXISTS content_log_created_at ON content_log (created_at)")),
            new Migration(3, "spend_buckets: cost and requests per key and team in 15-minute buckets, backfilled", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS spend_buckets (
                        subject_kind TEXT   NOT NULL,
                        subject      TEXT   NOT NULL,
                        bucket_start BIGINT NOT NULL,
                        cost_pico    BIGINT NOT NULL,
                        requests     BIGINT NOT NULL,
                        PRIMARY KEY (subject_kind, subject, bucket_start)
                    )""",
                    // Budget refreshes read every subject of a kind since a period start.
                    "CREATE INDEX IF NOT EXISTS spend_buckets_kind_start ON spend_buckets (subject_kind, bucket_start)",
                    // The step runs in one transaction; emptying first keeps it correct should it ever run again.
                    "DELETE FROM spend_buckets",
                    backfill(SpendBuckets.KEY, "key_name"),
                    backfill(SpendBuckets.TEAM, "team"))),
            // No query reads by model (spend per model is a range of started_at grouped by model); the index only cost
            // disk and upkeep on every insert.
            new Migration(4, "drop the unused index on ledger (requested_model, started_at)", List.of(
                    "DROP INDEX IF EXISTS ledger_model_started_at")),
            // One row per budget alert and webhook: the primary key lets one pod of a fleet claim a crossing (the others'
            // inserts do nothing), and survives restarts; delivered_at stays null until the receiver answered 2xx.
            new Migration(5, "budget_alerts: which budget threshold alerts were claimed and delivered, per webhook", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS budget_alerts (
                        webhook      TEXT    NOT NULL,
                        scope        TEXT    NOT NULL,
                        name         TEXT    NOT NULL,
                        threshold    INTEGER NOT NULL,
                        period_start BIGINT  NOT NULL,
                        period_end   BIGINT  NOT NULL,
                        period       TEXT    NOT NULL,
                        spent_usd    TEXT    NOT NULL,
                        budget_usd   TEXT    NOT NULL,
                        fired_at     BIGINT  NOT NULL,
                        claimed_at   BIGINT  NOT NULL,
                        delivered_at BIGINT,
                        attempts     INTEGER NOT NULL,
                        PRIMARY KEY (webhook, scope, name, period_start, threshold)
                    )""",
                    "CREATE INDEX IF NOT EXISTS budget_alerts_claimed_at ON budget_alerts (claimed_at)")),
            // ADD COLUMN has no IF NOT EXISTS on SQLite; the step is one transaction on both databases (their DDL is
            // transactional), so it never runs twice.
            new Migration(6, "attribution: ledger end_user and tags; daily rollups spend_daily (backfilled), "
                    + "spend_daily_users, spend_daily_tags", List.of(
                    "ALTER TABLE ledger ADD COLUMN end_user TEXT",
                    "ALTER TABLE ledger ADD COLUMN tags TEXT",
                    rollup("spend_daily", "", """
                            no_user_requests BIGINT NOT NULL, no_user_prompt_tokens BIGINT NOT NULL,
                            no_user_completion_tokens BIGINT NOT NULL, no_user_cost_pico BIGINT NOT NULL,"""),
                    rollup("spend_daily_users", "end_user TEXT NOT NULL, ", ""),
                    rollup("spend_daily_tags", "tag TEXT NOT NULL, ", ""),
                    "DELETE FROM spend_daily",
                    SpendRollup.backfillDaily())));

    private LedgerSchema() {
    }

    /** Sums the existing ledger rows into buckets of one kind ({@code column} is a constant, never input). */
    private static String backfill(String kind, String column) {
        return """
                INSERT INTO spend_buckets (subject_kind, subject, bucket_start, cost_pico, requests)
                SELECT '%1$s', subject, bucket, SUM(cost_pico), SUM(CASE WHEN parent_request_id IS NULL THEN 1 ELSE 0 END)
                FROM (SELECT %2$s AS subject, %3$s AS bucket, cost_pico, parent_request_id
                      FROM ledger WHERE %2$s IS NOT NULL) AS r
                GROUP BY subject, bucket""".formatted(kind, column, SpendBuckets.BUCKET_OF_STARTED_AT);
    }

    /** A daily rollup table: the day, {@code extraKeys}, key, team and model as its primary key, the sums and {@code extraSums}. */
    private static String rollup(String table, String extraKeys, String extraSums) {
        String keys = "day, " + extraKeys.replace(" TEXT NOT NULL", "") + "key_name, team, requested_model";
        return """
                CREATE TABLE IF NOT EXISTS %s (
                    day               BIGINT NOT NULL,
                    %skey_name TEXT NOT NULL, team TEXT NOT NULL, requested_model TEXT NOT NULL,
                    requests          BIGINT NOT NULL,
                    prompt_tokens     BIGINT NOT NULL,
                    completion_tokens BIGINT NOT NULL,
                    cost_pico         BIGINT NOT NULL,
                    %s
                    PRIMARY KEY (%s)
                )""".formatted(table, extraKeys, extraSums, keys);
    }

    /** The version a fully migrated database has (tests check migrations reach it). */
    static int latestVersion() {
        return MIGRATIONS.getLast().version();
    }
}
