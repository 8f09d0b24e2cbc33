package dev.tollgate.gateway.retention;

import dev.tollgate.api.config.ContentLogging;
import dev.tollgate.api.config.ContentSettings;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.api.config.GatewaySettings;
import dev.tollgate.api.config.LedgerSettings;
import dev.tollgate.api.config.SecuritySettings;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.usage.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Old content and ledger rows and spend buckets are purged on SQLite and PostgreSQL; on PostgreSQL only the lock holder purges. */
class RetentionJobTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path dir;

    private static GatewaySettings settings(DatabaseSettings db) {
        return new GatewaySettings("127.0.0.1", 0, null, 1 << 20, 1, db, new LedgerSettings(500, Duration.ofMillis(50), 1000, null, true, 90),
                ContentLogging.OFF, null, GatewaySettings.DEFAULT_MAX_TOKENS, new ContentSettings(7, Duration.ofHours(1), 100, List.of()),
                SecuritySettings.defaults(), null);
    }

    @Test
    void purgesOldRowsOnSqlite() throws Exception {
        DatabaseSettings db = new DatabaseSettings("jdbc:sqlite:" + dir.resolve("l.db"), null, null, 2);
        try (LedgerDatabase database = new LedgerDatabase(db)) {
            seed(database);
            RetentionJob job = new RetentionJob(database.dataSource(), database.dialect(), () -> settings(db), Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry());
            assertThat(job.purgeOnce()).isEqualTo(new RetentionJob.Result(true, 1, 1));
            assertThat(ids(database, "SELECT request_id FROM ledger")).containsExactly("ledger-new");
            assertThat(ids(database, "SELECT request_id FROM content_log")).containsExactly("content-new");
        }
    }

    @Test
    void onPostgresOnlyTheLockHolderPurges() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            DatabaseSettings db = new DatabaseSettings(pg.getJdbcUrl("postgres", "postgres"), null, null, 2);
            try (LedgerDatabase database = new LedgerDatabase(db)) {
                seed(database);
                RetentionJob job = new RetentionJob(database.dataSource(), database.dialect(), () -> settings(db), Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry());
                try (Connection otherPod = pg.getPostgresDatabase().getConnection(); Statement s = otherPod.createStatement()) {
                    s.execute("SELECT pg_advisory_lock(" + RetentionJob.PG_LOCK_KEY + ")");
                    assertThat(job.purgeOnce()).isEqualTo(new RetentionJob.Result(false, 0, 0));
                    assertThat(ids(database, "SELECT request_id FROM ledger")).hasSize(2);
                    s.execute("SELECT pg_advisory_unlock(" + RetentionJob.PG_LOCK_KEY + ")");
                }
                assertThat(job.purgeOnce()).isEqualTo(new RetentionJob.Result(true, 1, 1));
                assertThat(ids(database, "SELECT request_id FROM ledger")).containsExactly("ledger-new");
                assertThat(ids(database, "SELECT request_id FROM content_log")).containsExactly("content-new");
            }
        }
    }

    @Test
    void purgesSpendBucketsThatEndBeforeTheLedgerCutoffOnSqliteAndPostgres() throws Exception {
        DatabaseSettings sqlite = new DatabaseSettings("jdbc:sqlite:" + dir.resolve("b.db"), null, null, 2);
        assertBucketsPurged(sqlite);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            assertBucketsPurged(new DatabaseSettings(pg.getJdbcUrl("postgres", "postgres"), null, null, 2));
        }
    }

    /** Cutoff 90 days before 12:07: the 11:45 bucket ends before it, the 12:00 bucket straddles it and stays. */
    private static void assertBucketsPurged(DatabaseSettings db) throws Exception {
        Instant now = Instant.parse("2026-11-27T12:07:00Z");
        Instant cutoff = now.minus(Duration.ofDays(90));
        try (LedgerDatabase database = new LedgerDatabase(db)) {
            new LedgerStore(database).insertBatch(List.of(
                    ledgerRow("old", cutoff.minus(Duration.ofMinutes(17))),
                    ledgerRow("straddling-old", cutoff.minus(Duration.ofMinutes(2))),
                    ledgerRow("straddling-new", cutoff.plus(Duration.ofMinutes(3))),
                    ledgerRow("new", cutoff.plus(Duration.ofMinutes(30)))));
            budgetAlert(database, "ended", cutoff.minusMillis(1));
            budgetAlert(database, "ending", cutoff);
            RetentionJob job = new RetentionJob(database.dataSource(), database.dialect(), () -> settings(db), Clock.fixed(now, ZoneOffset.UTC), new SimpleMeterRegistry());

            job.purgeOnce();

            assertThat(ids(database, "SELECT name FROM budget_alerts")).containsExactly("ending");
            assertThat(ids(database, "SELECT request_id FROM ledger ORDER BY request_id")).containsExactly("new", "straddling-new");
            assertThat(ids(database, "SELECT bucket_start FROM spend_buckets ORDER BY bucket_start")).containsExactly(
                    String.valueOf(Instant.parse("2026-08-29T12:00:00Z").toEpochMilli()),
                    String.valueOf(Instant.parse("2026-08-29T12:30:00Z").toEpochMilli()));
        }
    }

    /** A delivered budget alert of a period ending at {@code periodEnd}. */
    private static void budgetAlert(LedgerDatabase database, String name, Instant periodEnd) throws Exception {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement p = c.prepareStatement("""
                INSERT INTO budget_alerts (webhook, scope, name, threshold, period_start, period_end, period, spent_usd, budget_usd,
                                           fired_at, claimed_at, delivered_at, attempts)
                VALUES ('wh-1', 'key', ?, 80, ?, ?, 'daily', '8', '10', ?, ?, ?, 1)""")) {
            long end = periodEnd.toEpochMilli();
            p.setString(1, name);
            p.setLong(2, end - Duration.ofDays(1).toMillis());
            p.setLong(3, end);
            p.setLong(4, end - 1000);
            p.setLong(5, end - 1000);
            p.setLong(6, end - 1000);
            p.executeUpdate();
        }
    }

    private static LedgerEntry ledgerRow(String id, Instant at) {
        return new LedgerEntry(id, null, new LedgerEntry.Who("k", null),
                new LedgerEntry.What("chat", "m", "b", "p", "m", false),
                new LedgerEntry.Timing(at, null, at), new Usage(1, 1, 0, 0, false),
                new BigDecimal("0.01"), new LedgerEntry.Outcome(200, null), null);
    }

    private static void seed(LedgerDatabase database) throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            long old = NOW.minus(Duration.ofDays(100)).toEpochMilli();
            long recent = NOW.minus(Duration.ofDays(1)).toEpochMilli();
            for (Object[] row : new Object[][] {{"ledger-old", old}, {"ledger-new", recent}}) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO ledger (request_id, endpoint, started_at, key_name, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_pico, status, streamed, estimated) VALUES (?, 'chat', ?, 'k', 0, 0, 0, 0, 0, 200, 0, 0)")) {
                    p.setString(1, (String) row[0]);
                    p.setLong(2, (Long) row[1]);
                    p.executeUpdate();
                }
            }
            long tenDays = NOW.minus(Duration.ofDays(10)).toEpochMilli();
            for (Object[] row : new Object[][] {{"content-old", tenDays}, {"content-new", recent}}) {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO content_log (request_id, created_at, key_name, policy, request, response) VALUES (?, ?, 'k', 'full', '{}', 'x')")) {
                    p.setString(1, (String) row[0]);
                    p.setLong(2, (Long) row[1]);
                    p.executeUpdate();
                }
            }
        }
    }

    private static List<String> ids(LedgerDatabase database, String sql) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
