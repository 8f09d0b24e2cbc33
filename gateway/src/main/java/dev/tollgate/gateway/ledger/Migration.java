package dev.tollgate.gateway.ledger;

import java.util.List;

/**
 * One versioned schema change: SQL statements valid on both SQLite and PostgreSQL. Every statement must
 * tolerate an object that already exists ({@code IF NOT EXISTS}), so a half-applied step can run again.
 *
 * @param version     applied in increasing order, recorded in {@code schema_version}
 * @param description what the step does, for logs
 * @param statements  DDL run in one transaction
 */
record Migration(int version, String description, List<String> statements) {

    Migration {
        statements = List.copyOf(statements);
    }
}
