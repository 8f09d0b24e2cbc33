package dev.tollgate.gateway.retention;

import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.gateway.ledger.Dialect;
import dev.tollgate.gateway.scheduling.Periodic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Purges content rows older than {@code content.retentionDays} and ledger rows older than
 * {@code ledger.retentionDays} (0 keeps them), with the ledger's 15-minute {@code spend_buckets} and daily rollups that end at or before
 * that cutoff, on a schedule. On PostgreSQL each run first tries a session
 * advisory lock, so when several pods run the job at the same moment only one purges; the others skip the run.
 * On SQLite the one database file serializes writers.
 */
public final class RetentionJob implements AutoCloseable {

    /** Advisory lock key of the retention job ("tgpurge!" in ASCII); differs from the migration lock. */
    static final long PG_LOCK_KEY = 0x7467707572676521L;

    /** Width of a {@code spend_buckets} bucket: one is purged once all of it is older than the ledger cutoff. */
    private static final long BUCKET_WIDTH_MILLIS = 15 * 60 * 1000L;

    /**
     * Width of a daily rollup row ({@code spend_daily}, {@code spend_daily_users}, {@code spend_daily_tags}), purged on
     * the same rule.
     */
    private static final long DAY_MILLIS = 24 * 60 * 60 * 1000L;

    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    /** What one run did; {@code ran} is false when another pod held the lock. */
    public record Result(boolean ran, int contentRows, int ledgerRows) {
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Supplier<GatewaySettings> settings;
    private final Clock clock;
    private final Counter purged;
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tollgate-retention").daemon(true).factory());

    public RetentionJob(DataSource dataSource, Dialect dialect, Supplier<GatewaySettings> settings, Clock clock, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.settings = settings;
        this.clock = clock;
        this.purged = Counter.builder("tollgate.retention.purged").description("Rows deleted by the retention job").register(registry);
    }

    /** Runs the job every {@code interval}, the first time after one interval. */
    public RetentionJob start(Duration interval) {
        Periodic.schedule(scheduler, interval, this::runQuietly);
        return this;
    }

    /** One purge now. */
    public Result purgeOnce() throws SQLException {
        GatewaySettings s = settings.get();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (dialect == Dialect.POSTGRESQL && !tryLock(connection)) {
                return new Result(false, 0, 0);
            }
            try {
                int content = delete(connection, "DELETE FROM content_log WHERE created_at < ?", s.content().retentionDays());
                int ledger = delete(connection, "DELETE FROM ledger WHERE started_at < ?", s.ledger().retentionDays());
                int buckets = delete(connection, "DELETE FROM spend_buckets WHERE bucket_start <= ?",
                        s.ledger().retentionDays(), BUCKET_WIDTH_MILLIS)
                        + delete(connection, "DELETE FROM spend_daily WHERE day <= ?", s.ledger().retentionDays(), DAY_MILLIS)
                        + delete(connection, "DELETE FROM spend_daily_users WHERE day <= ?", s.ledger().retentionDays(), DAY_MILLIS)
                        + delete(connection, "DELETE FROM spend_daily_tags WHERE day <= ?", s.ledger().retentionDays(), DAY_MILLIS);
                // a budget alert of a period that ended before the cutoff can never be claimed again
                int alerts = delete(connection, "DELETE FROM budget_alerts WHERE period_end < ?", s.ledger().retentionDays());
                purged.increment(content + ledger + buckets + alerts);
                if (content + ledger + buckets + alerts > 0) {
                    LOG.info("Retention: purged {} content rows, {} ledger rows, {} spend buckets and {} budget alerts", content, ledger,
                            buckets, alerts);
                }
                return new Result(true, content, ledger);
            } finally {
                if (dialect == Dialect.POSTGRESQL) {
                    unlock(connection);
                }
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void runQuietly() {
        try {
            purgeOnce();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Retention run failed; next run in one interval: {}", e.getClass().getSimpleName());
        }
    }

    private int delete(Connection connection, String sql, int days) throws SQLException {
        return delete(connection, sql, days, 0);
    }

    /** Deletes with the bound value {@code cutoff - earlierMillis}, where the cutoff is {@code days} ago. */
    private int delete(Connection connection, String sql, int days, long earlierMillis) throws SQLException {
        if (days <= 0) {
            return 0;
        }
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setLong(1, clock.instant().minus(Duration.ofDays(days)).toEpochMilli() - earlierMillis);
            return delete.executeUpdate();
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, PG_LOCK_KEY);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, PG_LOCK_KEY);
            unlock.execute();
        }
    }
}
