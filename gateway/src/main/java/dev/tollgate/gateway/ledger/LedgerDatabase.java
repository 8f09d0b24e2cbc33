package dev.tollgate.gateway.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.scheduling.Periodic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The ledger's connection pool (HikariCP) on SQLite or PostgreSQL, migrated to the latest schema, and whether the
 * database can be used right now.
 *
 * <p>SQLite ({@code jdbc:sqlite:<file>}) runs in WAL journal mode with {@code synchronous=NORMAL} and a busy
 * timeout, in a pool of at most 4 connections; the file's parent directories are created, and opening fails if the
 * file cannot be migrated. PostgreSQL ({@code jdbc:postgresql:...}) uses {@link DatabaseSettings#maxPoolSize()}
 * connections and opens even when the server does not answer: the gateway must be able to start while the database
 * is away (its ledger rows go to the spill file meanwhile), so the pool starts without a connection and the schema is
 * migrated once the database answers.
 *
 * <p>The database is <em>up</em> when it answered its last use and the schema is migrated. A connection the pool
 * cannot hand out marks it down; while it is down, {@link #dataSource()} refuses connections at once (see
 * {@link FailFastDataSource}) and a probe tries to connect and migrate every {@link #PROBE_INTERVAL}. Gauge
 * {@code tollgate.ledger.database.up} ({@link #bindTo}). The JDBC URL and password are never logged.
 */
public final class LedgerDatabase implements AutoCloseable, MeterBinder {

    /** How often a database that is down is tried again. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private static final int SQLITE_MAX_POOL_SIZE = 4;
    private static final int REACHABLE_TIMEOUT_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(LedgerDatabase.class);

    private final Dialect dialect;
    private final Duration writeTimeout;
    private final HikariDataSource pool;
    private final SchemaMigrator migrator;
    private final DataSource dataSource;
    private final AtomicBoolean up = new AtomicBoolean();
    private final ScheduledExecutorService prober;
    private volatile boolean closed;

    /**
     * Opens the database and migrates it, or on PostgreSQL, if it does not answer, opens it down (see above).
     * {@link DatabaseSettings#timeout()} bounds the wait for a pooled connection, and on SQLite for the file lock
     * (busy timeout); a write to PostgreSQL may take twice that ({@link #writeTimeout()}).
     *
     * @throws LedgerException if a SQLite database cannot be opened or migrated, or the pool cannot be built
     */
    public LedgerDatabase(DatabaseSettings settings) {
        Duration waitTimeout = settings.timeout();
        this.writeTimeout = waitTimeout.multipliedBy(2);
        this.dialect = Dialect.of(settings.url());
        this.pool = openPool(poolConfig(settings, dialect, waitTimeout));
        this.migrator = new SchemaMigrator(pool, dialect, LedgerSchema.MIGRATIONS);
        this.dataSource = new FailFastDataSource(pool, up::get, this::unavailable);
        try {
            int version = migrator.migrate();
            up.set(true);
            LOG.info("Ledger database ready: {}, schema version {}, pool size {}",
                    dialect, version, pool.getMaximumPoolSize());
        } catch (SQLException | RuntimeException e) {
            if (dialect == Dialect.SQLITE) {
                pool.close();
                throw new LedgerException("ledger database migration failed", e);
            }
            LOG.warn("Ledger database unavailable at start ({}); the schema is migrated once it answers, tried every {} ms",
                    describe(e), PROBE_INTERVAL.toMillis());
        }
        this.prober = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tollgate-ledger-probe").daemon(true).factory());
        Periodic.schedule(prober, PROBE_INTERVAL, this::probeIfDown);
    }

    /** The pooled connections; refused at once while the database is down. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * How long one write on PostgreSQL may take (the connection's network timeout) before it fails: without one, a
     * database that stops answering mid-write (its node gone, packets dropped) holds the writer until TCP gives up,
     * some 15 minutes, and the queue fills meanwhile; with it the batch fails and is spilled, and the next connection
     * the pool cannot open marks the database down. At 6,000 requests/s the default queue (100,000 rows) holds 16 s of
     * rows, more than the default 10 s.
     */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** The database this ledger runs on. */
    public Dialect dialect() {
        return dialect;
    }

    /** Whether the database answered its last use and its schema is migrated; no I/O. */
    public boolean isUp() {
        return up.get();
    }

    /**
     * Whether a connection can be had and answers within about two seconds, asked of the pool even while the
     * database is marked down. Waits at most the wait timeout for a pooled connection. A test hook.
     */
    public boolean isReachable() {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(REACHABLE_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            LOG.debug("Ledger database not reachable: {}", e.getMessage());
            return false;
        }
    }

    /** Gauge {@code tollgate.ledger.database.up}: 1 while {@link #isUp()}, else 0. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("tollgate.ledger.database.up", up, u -> u.get() ? 1 : 0)
                .description("1 while the ledger database answers and its schema is migrated, 0 while it is down")
                .strongReference(true)
                .register(registry);
    }

    /** Stops probing and closes every pooled connection. */
    @Override
    public void close() {
        closed = true;
        up.set(false);
        prober.shutdownNow();
        pool.close();
    }

    /**
     * A statement failed: if the connection broke (SQLSTATE class 08, or the server shutting down), the database is
     * down until a probe finds it again. Otherwise the next connection would wait the pool's timeout before failing:
     * when a server stops, its pooled connections fail first, then the pool, which cannot open a new one, waits.
     */
    void failed(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                unavailable(sql);
                return;
            }
        }
    }

    /** The pool could not hand out a connection: the database is down until a probe finds it again. */
    private void unavailable(SQLException cause) {
        if (!closed && up.compareAndSet(true, false)) {
            LOG.warn("Ledger database unavailable ({}); tried again every {} ms", describe(cause), PROBE_INTERVAL.toMillis());
        }
    }

    /** Connects and migrates (which does nothing once the schema is current); the database is up if both work. */
    private void probeIfDown() {
        if (up.get() || closed) {
            return;
        }
        try {
            int version = migrator.migrate();
            if (!closed && up.compareAndSet(false, true)) {
                LOG.info("Ledger database answers again: {}, schema version {}", dialect, version);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Ledger database still unavailable: {}", describe(e));
        }
    }

    /** The failure and its root cause in one line (the driver's message names host and port, never the password). */
    @SuppressWarnings("ReferenceEquality") // a cause chain is walked by identity
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + "; cause: " + root;
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
            // Start without a connection: a gateway must start (and serve, spilling its ledger rows) while
            // PostgreSQL is away; the constructor then finds the database down and a probe migrates it later.
            config.setInitializationFailTimeout(-1);
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
            for (String parameter : url.substring(query + 1).split("&", -1)) {
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
