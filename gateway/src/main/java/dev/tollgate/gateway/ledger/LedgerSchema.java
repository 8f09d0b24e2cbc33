package dev.tollgate.gateway.ledger;

import java.util.List;

/**
 * The ledger's schema, one list of {@link Migration}s for both databases.
 *
 * <p>Table {@code ledger} has one column per {@link LedgerEntry} component in snake_case; instants are
 * {@code BIGINT} epoch milliseconds, the cost is {@code cost_pico} ({@link Picodollars}), booleans are
 * {@code SMALLINT} 0/1. New steps are appended; a released step is never edited.
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
                    "CREATE INDEX IF NOT EXISTS content_log_created_at ON content_log (created_at)")));

    private LedgerSchema() {
    }

    /** The version a fully migrated database has. */
    static int latestVersion() {
        return MIGRATIONS.getLast().version();
    }
}
