package dev.tollgate.gateway.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Brings a database to the latest {@link Migration} and records each applied step in {@code schema_version}.
 *
 * <p>All pending steps run in one transaction. On PostgreSQL that transaction first takes a transaction-level
 * advisory lock, so pods that start together migrate one after the other; the later ones find the steps
 * recorded and do nothing. On SQLite the database file's own write lock serializes writers.
 */
final class SchemaMigrator {

    /** Advisory lock key of ledger migrations (any constant shared by all pods; "tollgate" in ASCII). */
    static final long PG_LOCK_KEY = 0x746f6c6c67617465L;

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final List<Migration> migrations;

    SchemaMigrator(DataSource dataSource, Dialect dialect, List<Migration> migrations) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.migrations = List.copyOf(migrations);
    }

    /**
     * Applies the steps this database lacks.
     *
     * @return the schema version after migration
     */
    int migrate() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            begin(connection);
            try {
                int version = migrate(connection);
                commit(connection);
                return version;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    /**
     * On SQLite the transaction is begun in SQL as {@code BEGIN IMMEDIATE}: it takes the write lock first (waiting
     * up to the busy timeout), so two migrators never both read the version and then fail to upgrade to writing.
     */
    private void begin(Connection connection) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            execute(connection, "BEGIN IMMEDIATE");
        } else {
            connection.setAutoCommit(false);
        }
    }

    private void commit(Connection connection) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            execute(connection, "COMMIT");
        } else {
            connection.commit();
        }
    }

    private void rollbackQuietly(Connection connection, Exception failure) {
        try {
            if (dialect == Dialect.SQLITE) {
                // Fails harmlessly ("no transaction is active") when BEGIN itself failed.
                execute(connection, "ROLLBACK");
            } else {
                connection.rollback();
            }
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private int migrate(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                statement.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK_KEY + ")");
            }
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                        version     INTEGER NOT NULL PRIMARY KEY,
                        description TEXT    NOT NULL,
                        applied_at  BIGINT  NOT NULL
                    )""");
        }
        int current = currentVersion(connection);
        for (Migration migration : migrations) {
            if (migration.version() <= current) {
                continue;
            }
            try (Statement statement = connection.createStatement()) {
                for (String sql : migration.statements()) {
                    statement.execute(sql);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, migration.version());
                insert.setString(2, migration.description());
                insert.setLong(3, System.currentTimeMillis());
                insert.executeUpdate();
            }
            LOG.info("Ledger schema migrated to version {}: {}", migration.version(), migration.description());
            current = migration.version();
        }
        return current;
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
