package dev.tollgate.gateway.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily rollups on real SQLite and PostgreSQL: they hold exactly the sums of the stored ledger rows per day and
 * attribution, count a replayed row once, and the attribution migration (after version 4) backfills {@code spend_daily} and keeps the rows of an older
 * database.
 */
class SpendRollupTest {

    private static final Instant FIRST = Instant.parse("2026-10-30T00:00:00Z");

    @TempDir
    Path tempDir;

    private LedgerDatabase db;

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void rollupsEqualTheStoredRowsAfterReplays(Backend backend) throws Exception {
        db = new LedgerDatabase(TestDatabases.fresh(backend, tempDir));
        LedgerStore store = new LedgerStore(db);
        Random random = new Random(21);
        List<LedgerEntry> rows = randomRows(random, 600);
        for (int from = 0; from < rows.size(); ) {
            int to = Math.min(rows.size(), from + 1 + random.nextInt(120));
            store.insertBatch(rows.subList(from, to));
            store.insertBatch(rows.subList(from / 2, to)); // a replay, partly of rows already stored
            from = to;
        }

        Map<SpendRollup.Key, SpendRollup.Sums> daily = new TreeMap<>(SpendRollup.Key.ORDER);
        Map<SpendRollup.Key, SpendRollup.Sums> users = new TreeMap<>(SpendRollup.Key.ORDER);
        Map<SpendRollup.Key, SpendRollup.Sums> tagged = new TreeMap<>(SpendRollup.Key.ORDER);
        SpendRollup.aggregate(rows, daily, users, tagged);
        assertThat(read(db.dataSource(), "spend_daily")).isEqualTo(values(daily));
        assertThat(read(db.dataSource(), "spend_daily_users")).isEqualTo(values(users));
        assertThat(read(db.dataSource(), "spend_daily_tags")).isEqualTo(values(tagged));
        assertThat(users).isNotEmpty();
        assertThat(tagged).isNotEmpty();
        assertThat(TestDatabases.queryLong(db.dataSource(), "SELECT SUM(cost_pico) FROM spend_daily"))
                .isEqualTo(TestDatabases.queryLong(db.dataSource(), "SELECT SUM(cost_pico) FROM ledger"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theAttributionMigrationKeepsOldRowsAndBackfillsTheRollups(Backend backend) throws Exception {
        DatabaseSettings settings = TestDatabases.fresh(backend, tempDir);
        List<LedgerEntry> rows = randomRows(new Random(4), 300).stream()
                .map(e -> new LedgerEntry(e.requestId(), e.parentRequestId(), e.who(), e.what(), e.timing(), e.tokens(),
                        e.costUsd(), e.outcome(), LedgerEntry.Attribution.NONE)) // version 4 had no attribution
                .toList();
        try (HikariDataSource version4 = pool(settings)) {
            assertThat(new SchemaMigrator(version4, Dialect.of(settings.url()), LedgerSchema.MIGRATIONS.subList(0, 4)).migrate())
                    .isEqualTo(4);
            insertAsVersion4(version4, rows);
        }

        db = new LedgerDatabase(settings);

        assertThat(TestDatabases.queryLong(db.dataSource(), "SELECT MAX(version) FROM schema_version"))
                .isEqualTo(LedgerSchema.latestVersion());
        assertThat(TestDatabases.readAll(db.dataSource())).hasSize(rows.size());
        Map<SpendRollup.Key, SpendRollup.Sums> daily = new TreeMap<>(SpendRollup.Key.ORDER);
        SpendRollup.aggregate(rows, daily, new TreeMap<>(SpendRollup.Key.ORDER), new TreeMap<>(SpendRollup.Key.ORDER));
        assertThat(read(db.dataSource(), "spend_daily")).isEqualTo(values(daily));
        assertThat(read(db.dataSource(), "spend_daily_users")).isEmpty();
        assertThat(read(db.dataSource(), "spend_daily_tags")).isEmpty();
    }

    /** Rows over six days, on and next to day boundaries; a third are attempts; users, tags and teams now and then. */
    static List<LedgerEntry> randomRows(Random random, int count) {
        List<LedgerEntry> rows = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long at = FIRST.toEpochMilli() + random.nextLong(Duration.ofDays(6).toMillis());
            if (random.nextInt(4) == 0) {
                at = Math.floorDiv(at, SpendRollup.DAY_MILLIS) * SpendRollup.DAY_MILLIS - random.nextInt(2);
            }
            String parent = !parents.isEmpty() && random.nextInt(3) == 0 ? parents.get(random.nextInt(parents.size())) : null;
            String id = "r" + i;
            String team = random.nextInt(4) == 0 ? null : "t" + random.nextInt(2);
            String model = random.nextInt(10) == 0 ? null : "m" + random.nextInt(3);
            String user = random.nextInt(3) == 0 ? null : "u" + random.nextInt(4);
            List<String> tags = switch (random.nextInt(4)) {
                case 0 -> List.of();
                case 1 -> List.of("nightly");
                case 2 -> List.of("env=prod", "feature=" + random.nextInt(3));
                default -> List.of("env=dev");
            };
            long pico = random.nextInt(10) == 0 ? 0 : random.nextLong(5_000_000_000_000L);
            Instant start = Instant.ofEpochMilli(at);
            rows.add(new LedgerEntry(id, parent, new LedgerEntry.Who("k" + random.nextInt(4), team),
                    new LedgerEntry.What("chat", model, "b", "openai", model, false),
                    new LedgerEntry.Timing(start, null, start.plusMillis(900)),
                    new Usage(random.nextInt(1000), random.nextInt(500), 0, 0, false), Picodollars.toUsd(pico),
                    new LedgerEntry.Outcome(200, null), new LedgerEntry.Attribution(user, tags)));
            if (parent == null) {
                parents.add(id);
            }
        }
        return rows;
    }

    private static Map<SpendRollup.Key, List<Long>> values(Map<SpendRollup.Key, SpendRollup.Sums> sums) {
        Map<SpendRollup.Key, List<Long>> values = new TreeMap<>(SpendRollup.Key.ORDER);
        sums.forEach((k, s) -> {
            List<Long> v = new ArrayList<>(List.of(s.requests, s.promptTokens, s.completionTokens, s.costPico));
            if (s.withoutUser != null) {
                Collections.addAll(v, s.withoutUser.requests, s.withoutUser.promptTokens, s.withoutUser.completionTokens,
                        s.withoutUser.costPico);
            }
            values.put(k, v);
        });
        return values;
    }

    private static Map<SpendRollup.Key, List<Long>> read(DataSource dataSource, String table) throws SQLException {
        String sql = "SELECT day, " + (table.equals("spend_daily_tags") ? "tag" : "NULL") + ", key_name, team, requested_model, "
                + (table.equals("spend_daily_users") ? "end_user" : "NULL") + ", requests, prompt_tokens, completion_tokens, cost_pico"
                + (table.equals("spend_daily") ? ", no_user_requests, no_user_prompt_tokens, no_user_completion_tokens, no_user_cost_pico" : "")
                + " FROM " + table;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            Map<SpendRollup.Key, List<Long>> rows = new TreeMap<>(SpendRollup.Key.ORDER);
            while (rs.next()) {
                List<Long> sums = new ArrayList<>();
                for (int i = 7; i <= rs.getMetaData().getColumnCount(); i++) {
                    sums.add(rs.getLong(i));
                }
                rows.put(new SpendRollup.Key(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)), sums);
            }
            return rows;
        }
    }

    /** Rows as a version-4 gateway wrote them: no end user, no tags, no rollups. */
    private static void insertAsVersion4(DataSource dataSource, List<LedgerEntry> rows) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("""
                     INSERT INTO ledger (request_id, parent_request_id, endpoint, started_at, key_name, team, requested_model,
                         prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cost_pico, status, streamed, estimated)
                     VALUES (?, ?, 'chat', ?, ?, ?, ?, ?, ?, 0, 0, ?, 200, 0, 0)""")) {
            for (LedgerEntry row : rows) {
                insert.setString(1, row.requestId());
                insert.setString(2, row.parentRequestId());
                insert.setLong(3, row.startedAt().toEpochMilli());
                insert.setString(4, row.keyName());
                insert.setString(5, row.team());
                insert.setString(6, row.what().requestedModel());
                insert.setLong(7, row.tokens().promptTokens());
                insert.setLong(8, row.tokens().completionTokens());
                insert.setLong(9, Picodollars.fromUsd(row.costUsd()));
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
        return new HikariDataSource(config);
    }
}
