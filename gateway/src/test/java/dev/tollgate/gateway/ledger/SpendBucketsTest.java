package dev.tollgate.gateway.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.config.BudgetPeriods;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spend_buckets} on real SQLite and PostgreSQL: it sums exactly what the ledger rows sum, counts a replayed row
 * once, and migration 3 backfills it from existing rows.
 */
class SpendBucketsTest {

    private static final Instant FIRST = Instant.parse("2025-03-20T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(75); // over month ends and both DST switches of 2025 in Europe
    private static final List<String> PERIODS = List.of("daily", "weekly", "monthly", "12h", "45m", "90m", "7d",
            "10m", "7m", "1000s", "100ms"); // the last four do not start on bucket boundaries
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("Asia/Kolkata"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/St_Johns"),
            ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Pacific/Chatham"));

    @TempDir
    Path tempDir;

    private LedgerDatabase db;

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    private LedgerStore open(DatabaseSettings settings) {
        db = new LedgerDatabase(settings);
        return new LedgerStore(db);
    }

    /**
     * A batch goes out as statements of 64, 32, ... rows; a request id repeated inside one statement, across statements,
     * or already stored is written and counted once, with the first row's cost.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void repeatsInsideAndAcrossStatementsCountOnce(Backend backend) throws Exception {
        LedgerStore store = open(TestDatabases.fresh(backend, tempDir));
        store.insertBatch(List.of(row("r7", null, "k", null, FIRST, 1_000)));
        List<LedgerEntry> batch = new ArrayList<>();
        for (int i = 0; i < 167; i++) { // 64 + 64 + 32 + 4 + 2 + 1 rows, 100 distinct ids
            batch.add(row("r" + (i % 100), null, "k", null, FIRST, 1 + i));
        }
        store.insertBatch(batch);

        assertThat(buckets(db.dataSource())).containsExactly(Map.entry(
                new SpendBuckets.Key("key", "k", FIRST.toEpochMilli()),
                List.of(1_000L + (100 * 101 / 2 - 8), 100L)));
        assertThat(TestDatabases.queryLong(db.dataSource(), "SELECT COUNT(*) FROM ledger")).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void bucketTotalsEqualRowTotalsForEveryPeriodAndZone(Backend backend) throws Exception {
        LedgerStore store = open(TestDatabases.fresh(backend, tempDir));
        Random random = new Random(7);
        List<LedgerEntry> rows = randomRows(random, 1_500);
        insertWithReplays(store, rows, random);
        SpendQueries queries = new SpendQueries(db.dataSource());

        List<Instant> nows = new ArrayList<>(List.of(FIRST.plus(SPAN), Instant.parse("2025-04-01T00:00:00Z"),
                Instant.parse("2025-03-30T01:30:00Z"), Instant.parse("2025-05-31T22:15:00Z")));
        for (int i = 0; i < 6; i++) {
            nows.add(FIRST.plusMillis(random.nextLong(SPAN.toMillis())));
        }
        int compared = 0;
        for (Instant now : nows) {
            for (String period : PERIODS) {
                for (ZoneId zone : ZONES) {
                    Instant start = BudgetPeriods.start(period, now, zone);
                    String what = period + " in " + zone + " at " + now + " (start " + start + ")";
                    assertThat(queries.costByKeySince(start)).as("keys, " + what).isEqualTo(expectedCost(rows, start, false));
                    assertThat(queries.costByTeamSince(start)).as("teams, " + what).isEqualTo(expectedCost(rows, start, true));
                    if (start.toEpochMilli() % SpendBuckets.WIDTH_MILLIS == 0) {
                        assertThat(bucketRequests(start)).as("requests, " + what).isEqualTo(expectedRequests(rows, start));
                    }
                    compared++;
                }
            }
        }
        assertThat(compared).isEqualTo(nows.size() * PERIODS.size() * ZONES.size());
    }

    @Test
    void calendarPeriodsInEveryZoneStartOnABucketBoundary() {
        Random random = new Random(11);
        for (String zoneId : ZoneId.getAvailableZoneIds()) {
            ZoneId zone = ZoneId.of(zoneId);
            for (int i = 0; i < 20; i++) {
                // Zone offsets before 1970 include odd local mean times; budgets are about the present and future.
                Instant now = Instant.parse("1990-01-01T00:00:00Z").plusSeconds(random.nextLong(60L * 365 * 86_400));
                for (String period : List.of("daily", "weekly", "monthly")) {
                    assertThat(BudgetPeriods.start(period, now, zone).toEpochMilli() % SpendBuckets.WIDTH_MILLIS)
                            .as(period + " in " + zone + " at " + now).isZero();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void replayedBatchDoesNotChangeTheBuckets(Backend backend) throws Exception {
        LedgerStore store = open(TestDatabases.fresh(backend, tempDir));
        assertReplaysCountOnce(store);
    }

    @Test
    void replaysCountOnceWhenTheDriverGivesNoUpdateCounts() throws Exception {
        LedgerStore store = open(rewritingBatches(TestDatabases.fresh(Backend.POSTGRESQL, tempDir)));
        assertReplaysCountOnce(store);
    }

    private void assertReplaysCountOnce(LedgerStore store) throws Exception {
        Random random = new Random(3);
        List<LedgerEntry> rows = randomRows(random, 200);
        List<LedgerEntry> first = rows.subList(0, 120);
        store.insertBatch(first);
        Map<SpendBuckets.Key, List<Long>> afterFirst = buckets(db.dataSource());

        store.insertBatch(first);
        assertThat(buckets(db.dataSource())).isEqualTo(afterFirst);

        // Old rows, new rows, and a new row twice in one batch (the first copy is the one stored).
        List<LedgerEntry> mixed = new ArrayList<>(rows.subList(100, 200));
        mixed.add(withCost(rows.get(150), "123.0"));
        store.insertBatch(mixed);

        assertThat(buckets(db.dataSource())).isEqualTo(expectedBuckets(rows));
        assertThat(TestDatabases.countRows(db.dataSource())).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void migrationThreeBackfillsTheBucketsFromExistingRows(Backend backend) throws Exception {
        DatabaseSettings settings = TestDatabases.fresh(backend, tempDir);
        Random random = new Random(5);
        List<LedgerEntry> rows = randomRows(random, 400);
        rows.add(row("before-1970", null, "k1", "t1", Instant.parse("1969-12-31T23:50:00Z"), 5));
        rows.add(row("before-1970-attempt", "before-1970", "k1", "t1", Instant.parse("1969-12-31T23:44:59.999Z"), 7));
        try (HikariDataSource version2 = pool(settings)) {
            Dialect dialect = Dialect.of(settings.url());
            assertThat(new SchemaMigrator(version2, dialect, LedgerSchema.MIGRATIONS.subList(0, 2)).migrate()).isEqualTo(2);
            insertWithoutBuckets(version2, rows);
        }

        open(settings);

        assertThat(TestDatabases.queryLong(db.dataSource(), "SELECT MAX(version) FROM schema_version")).isEqualTo(LedgerSchema.latestVersion());
        assertThat(buckets(db.dataSource())).isEqualTo(expectedBuckets(rows));
        assertThat(new SpendQueries(db.dataSource()).costByKeySince(FIRST)).isEqualTo(expectedCost(rows, FIRST, false));
    }

    // --- rows -------------------------------------------------------------------------------------------------

    /** Rows over {@link #SPAN}, many on or next to bucket boundaries, a third of them attempts, some without team. */
    private static List<LedgerEntry> randomRows(Random random, int count) {
        List<LedgerEntry> rows = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long at = FIRST.toEpochMilli() + random.nextLong(SPAN.toMillis());
            switch (random.nextInt(4)) {
                case 0 -> at = SpendBuckets.bucketStart(at); // on a boundary
                case 1 -> at = SpendBuckets.bucketStart(at) - 1; // last millisecond of a bucket
                default -> { }
            }
            String key = "k" + random.nextInt(5);
            String team = random.nextInt(4) == 0 ? null : "t" + random.nextInt(2);
            String parent = !parents.isEmpty() && random.nextInt(3) == 0 ? parents.get(random.nextInt(parents.size())) : null;
            long pico = random.nextInt(10) == 0 ? 0 : random.nextLong(5_000_000_000_000L);
            String id = "r" + i;
            rows.add(row(id, parent, key, team, Instant.ofEpochMilli(at), pico));
            if (parent == null) {
                parents.add(id);
            }
        }
        return rows;
    }

    private static LedgerEntry row(String id, String parent, String key, String team, Instant at, long pico) {
        return new LedgerEntry(id, parent, new LedgerEntry.Who(key, team),
                new LedgerEntry.What("chat", "gpt-4o", "openai-main", "openai", "gpt-4o", false),
                new LedgerEntry.Timing(at, null, at.plusMillis(850)), new Usage(10, 5, 0, 0, false),
                Picodollars.toUsd(pico), new LedgerEntry.Outcome(200, null), null);
    }

    private static LedgerEntry withCost(LedgerEntry e, String usd) {
        return new LedgerEntry(e.requestId(), e.parentRequestId(), e.who(), e.what(), e.timing(), e.tokens(),
                new BigDecimal(usd), e.outcome(), e.attribution());
    }

    /** Inserts in batches of random size, each followed now and then by a replay of an earlier batch. */
    private static void insertWithReplays(LedgerStore store, List<LedgerEntry> rows, Random random) throws SQLException {
        List<List<LedgerEntry>> batches = new ArrayList<>();
        for (int from = 0; from < rows.size(); ) {
            int to = Math.min(rows.size(), from + 1 + random.nextInt(200));
            batches.add(rows.subList(from, to));
            store.insertBatch(batches.getLast());
            if (random.nextInt(3) == 0) {
                store.insertBatch(batches.get(random.nextInt(batches.size())));
            }
            from = to;
        }
    }

    // --- expectations, straight from the rows ----------------------------------------------------------------

    private static Map<String, BigDecimal> expectedCost(List<LedgerEntry> rows, Instant from, boolean byTeam) {
        Map<String, Long> pico = new HashMap<>();
        for (LedgerEntry row : rows) {
            String subject = byTeam ? row.team() : row.keyName();
            if (subject != null && !row.startedAt().isBefore(from)) {
                pico.merge(subject, Picodollars.fromUsd(row.costUsd()), Long::sum);
            }
        }
        Map<String, BigDecimal> usd = new HashMap<>();
        pico.forEach((subject, sum) -> usd.put(subject, Picodollars.toUsd(sum)));
        return usd;
    }

    private static Map<String, Long> expectedRequests(List<LedgerEntry> rows, Instant from) {
        Map<String, Long> requests = new HashMap<>();
        for (LedgerEntry row : rows) {
            if (!row.startedAt().isBefore(from)) {
                requests.merge(row.keyName(), row.parentRequestId() == null ? 1L : 0L, Long::sum);
            }
        }
        return requests;
    }

    private static Map<SpendBuckets.Key, List<Long>> expectedBuckets(List<LedgerEntry> rows) {
        Map<SpendBuckets.Key, List<Long>> buckets = new TreeMap<>(SpendBuckets.Key.ORDER);
        for (LedgerEntry row : rows) {
            long start = Math.floorDiv(row.startedAt().toEpochMilli(), SpendBuckets.WIDTH_MILLIS) * SpendBuckets.WIDTH_MILLIS;
            List<SpendBuckets.Key> keys = new ArrayList<>(List.of(new SpendBuckets.Key("key", row.keyName(), start)));
            if (row.team() != null) {
                keys.add(new SpendBuckets.Key("team", row.team(), start));
            }
            for (SpendBuckets.Key key : keys) {
                buckets.merge(key, List.of(Picodollars.fromUsd(row.costUsd()), row.parentRequestId() == null ? 1L : 0L),
                        (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
            }
        }
        return buckets;
    }

    // --- database access --------------------------------------------------------------------------------------

    private Map<String, Long> bucketRequests(Instant from) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement q = c.prepareStatement("SELECT subject, SUM(requests) FROM spend_buckets"
                     + " WHERE subject_kind = 'key' AND bucket_start >= ? GROUP BY subject")) {
            q.setLong(1, from.toEpochMilli());
            Map<String, Long> requests = new HashMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    requests.put(rs.getString(1), rs.getLong(2));
                }
            }
            return requests;
        }
    }

    /** Every bucket as (cost_pico, requests). */
    private static Map<SpendBuckets.Key, List<Long>> buckets(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT subject_kind, subject, bucket_start, cost_pico, requests FROM spend_buckets")) {
            Map<SpendBuckets.Key, List<Long>> buckets = new TreeMap<>(SpendBuckets.Key.ORDER);
            while (rs.next()) {
                buckets.put(new SpendBuckets.Key(rs.getString(1), rs.getString(2), rs.getLong(3)),
                        List.of(rs.getLong(4), rs.getLong(5)));
            }
            return buckets;
        }
    }

    /** The ledger's insert as the store runs it, without the buckets: the update count of each row. */
    /** Rows written as a version-2 gateway wrote them: the ledger only. */
    private static void insertWithoutBuckets(DataSource dataSource, List<LedgerEntry> rows) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO ledger (request_id, parent_request_id, endpoint, started_at, key_name, team,
                         prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_pico, status, streamed, estimated)
                     VALUES (?, ?, 'chat', ?, ?, ?, 0, 0, 0, 0, ?, 200, 0, 0)""")) {
            for (LedgerEntry row : rows) {
                insert.setString(1, row.requestId());
                insert.setString(2, row.parentRequestId());
                insert.setLong(3, row.startedAt().toEpochMilli());
                insert.setString(4, row.keyName());
                if (row.team() == null) {
                    insert.setNull(5, Types.VARCHAR);
                } else {
                    insert.setString(5, row.team());
                }
                insert.setLong(6, Picodollars.fromUsd(row.costUsd()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static HikariDataSource pool(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (settings.username() != null) {
            config.setUsername(settings.username());
        }
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }

    /** The same database with pgjdbc's {@code reWriteBatchedInserts}, which reports no per-row update counts. */
    private static DatabaseSettings rewritingBatches(DatabaseSettings settings) {
        String url = settings.url() + (settings.url().contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
        return new DatabaseSettings(url, settings.username(), settings.password(), settings.maxPoolSize());
    }
}
