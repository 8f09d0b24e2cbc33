package dev.tollgate.gateway.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.config.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's connection pool (HikariCP) on SQLite or PostgreSQL, migrated to the latest schema when it opens.
 *
 * <p>SQLite ({@code jdbc:sqlite:<file>}) runs in WAL journal mode with {@code synchronous=NORMAL}, a busy
 * timeout and immediate transactions, in a pool of at most 4 connections; the file's parent directories are
 * created. PostgreSQL ({@code jdbc:postgresql:...}) uses {@link DatabaseSettings#maxPoolSize()} connections.
 * Opening fails if the database cannot be reached or migrated. The JDBC URL and password are never logged.
 */
public final class LedgerDatabase implements AutoCloseable {

    /** How long to wait for a pooled connection, or on SQLite for a lock, unless told otherwise. */
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(5);

    private static final int SQLITE_MAX_POOL_SIZE = 4;
    private static final int REACHABLE_TIMEOUT_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(LedgerDatabase.class);

    private final Dialect dialect;
    private final HikariDataSource dataSource;

    /** Opens and migrates the database with {@link #DEFAULT_WAIT_TIMEOUT}. */
    public LedgerDatabase(DatabaseSettings settings) {
        this(settings, DEFAULT_WAIT_TIMEOUT);
    }

    /**
     * Opens and migrates the database.
     *
     * @param waitTimeout longest wait for a pooled connection, and on SQLite for the file lock (busy timeout)
     * @throws LedgerException if the database cannot be reached or migrated
     */
    public LedgerDatabase(DatabaseSettings settings, Duration waitTimeout) {
        this.dialect = Dialect.of(settings.url());
        this.dataSource = openPool(poolConfig(settings, dialect, waitTimeout));
        try {
            int version = new SchemaMigrator(dataSource, dialect, LedgerSchema.MIGRATIONS).migrate();
            LOG.info("Ledger database ready: {}, schema version {}, pool size {}",
                    dialect, version, dataSource.getMaximumPoolSize());
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            throw new LedgerException("ledger database migration failed", e);
        }
    }

    /** The pooled connections. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The database this ledger runs on. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Whether a connection can be had and answers within about two seconds; cheap enough for a readiness probe.
     * Waits at most the wait timeout for a pooled connection.
     */
    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(REACHABLE_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            LOG.debug("Ledger database not reachable: {}", e.getMessage());
            return false;
        }
    }

    /** Closes every pooled connection. */
    @Override
    public void close() {
        dataSource.close();
    }

    private static HikariDataSource openPool(HikariConfig config) {
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new LedgerException("cannot connect to the ledger database", e);
        }
    }

    private static HikariConfig poolConfig(DatabaseSettings settings, Dialect dialect, Duration waitTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("tollgate-ledger");
        config.setJdbcUrl(settings.url());
        if (settings.username() != null) {
            config.setUsername(settings.username());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setConnectionTimeout(waitTimeout.toMillis());
        config.setValidationTimeout(Math.min(waitTimeout.toMillis(), 2_000));
        int poolSize = Math.max(1, settings.maxPoolSize());
        if (dialect == Dialect.SQLITE) {
            createParentDirectories(settings.url());
            config.setMaximumPoolSize(Math.min(poolSize, SQLITE_MAX_POOL_SIZE));
            // Passed to the sqlite-jdbc driver as connection properties (pragmas run on every new connection).
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", String.valueOf(waitTimeout.toMillis()));
            // Writers take the lock at BEGIN, waiting up to busy_timeout, instead of failing on upgrade.
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        } else {
            config.setMaximumPoolSize(poolSize);
        }
        return config;
    }

    private static void createParentDirectories(String url) {
        if (url.contains(":memory:") || url.contains("mode=memory")) {
            throw new IllegalArgumentException("the SQLite ledger must be a file: an in-memory database "
                    + "would be lost, and each pooled connection would see its own");
        }
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        if (file.isEmpty()) {
            throw new IllegalArgumentException("the SQLite ledger URL names no file");
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the SQLite ledger " + parent, e);
        }
    }
}
