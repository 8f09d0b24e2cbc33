package dev.tollgate.gateway.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.config.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's connection pool (HikariCP) on SQLite or PostgreSQL, migrated to the latest schema when it opens.
 *
 * <p>SQLite ({@code jdbc:sqlite:<file>}) runs in WAL journal mode with {@code synchronous=NORMAL} and a busy
 * timeout, in a pool of at most 4 connections; the file's parent directories are
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
     * @param waitTimeout longest wait for a pooled connection, and on SQLite for the file lock (busy timeout);
     *                    at least 250 ms
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
        // HikariCP logs the URL (at debug level) but masks the password property: keep secrets out of the URL.
        UrlWithoutPassword url = UrlWithoutPassword.of(settings.url());
        config.setJdbcUrl(url.url());
        if (settings.username() != null) {
            config.setUsername(settings.username());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        } else if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setConnectionTimeout(waitTimeout.toMillis());
        config.setValidationTimeout(Math.min(waitTimeout.toMillis(), 2_000));
        int poolSize = Math.max(1, settings.maxPoolSize());
        if (dialect == Dialect.SQLITE) {
            createParentDirectories(settings.url());
            SqliteWalSwitch.apply(url.url(), waitTimeout);
            config.setMaximumPoolSize(Math.min(poolSize, SQLITE_MAX_POOL_SIZE));
            // Passed to the sqlite-jdbc driver as connection properties (pragmas run on every new connection).
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("busy_timeout", String.valueOf(waitTimeout.toMillis()));
            // Transactions stay DEFERRED (the driver's default): sqlite-jdbc begins the next transaction inside
            // setAutoCommit(false) and commit(), and an IMMEDIATE begin failing there with SQLITE_BUSY leaves the
            // connection claiming a transaction it does not have. Ledger writes start with their first INSERT,
            // which waits up to busy_timeout for the lock.
        } else {
            config.setMaximumPoolSize(poolSize);
        }
        return config;
    }

    /** A JDBC URL with its {@code password=} query parameter taken out. */
    record UrlWithoutPassword(String url, String password) {

        static UrlWithoutPassword of(String url) {
            int query = url.indexOf('?');
            if (query < 0) {
                return new UrlWithoutPassword(url, null);
            }
            String password = null;
            StringJoiner kept = new StringJoiner("&");
            for (String parameter : url.substring(query + 1).split("&")) {
                if (parameter.regionMatches(true, 0, "password=", 0, "password=".length())) {
                    password = URLDecoder.decode(parameter.substring("password=".length()), StandardCharsets.UTF_8);
                } else if (!parameter.isEmpty()) {
                    kept.add(parameter);
                }
            }
            String base = url.substring(0, query);
            return new UrlWithoutPassword(kept.length() == 0 ? base : base + "?" + kept, password);
        }
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
