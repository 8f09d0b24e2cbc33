package dev.tollgate.gateway.ledger;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.testing.CapturedLogs;
import dev.tollgate.gateway.testing.RestartablePostgres;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.tollgate.gateway.ledger.TestDatabases.countRows;
import static dev.tollgate.gateway.ledger.TestDatabases.entry;
import static dev.tollgate.gateway.ledger.TestDatabases.queryLong;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LedgerDatabaseTest {

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void migrationsRunTwiceAreIdempotentAndKeepRows(Backend backend) throws Exception {
        DatabaseSettings settings = TestDatabases.fresh(backend, tempDir);
        try (LedgerDatabase db = new LedgerDatabase(settings)) {
            new LedgerStore(db).insertBatch(List.of(entry("r1").build()));
        }
        try (LedgerDatabase db = new LedgerDatabase(settings)) {
            assertThat(queryLong(db.dataSource(), "SELECT COUNT(*) FROM schema_version"))
                    .isEqualTo(LedgerSchema.MIGRATIONS.size());
            assertThat(queryLong(db.dataSource(), "SELECT MAX(version) FROM schema_version"))
                    .isEqualTo(LedgerSchema.latestVersion());
            assertThat(countRows(db.dataSource())).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void podsStartingTogetherMigrateOnce(Backend backend) throws Exception {
        DatabaseSettings settings = TestDatabases.fresh(backend, tempDir);
        openTogether(settings);
        try (LedgerDatabase db = new LedgerDatabase(settings)) {
            assertThat(queryLong(db.dataSource(), "SELECT COUNT(*) FROM schema_version"))
                    .isEqualTo(LedgerSchema.MIGRATIONS.size());
        }
    }

    /**
     * Switching a new SQLite file to WAL mode fails at once, without the busy timeout, when another opener switches
     * it at the same moment; before the switch was retried this failed about one time in 25.
     */
    @RepeatedTest(40)
    void podsCreatingOneSqliteFileTogetherAllOpen() throws Exception {
        openTogether(TestDatabases.fresh(Backend.SQLITE, tempDir));
    }

    private static void openTogether(DatabaseSettings settings) throws Exception {
        int pods = 4;
        CyclicBarrier start = new CyclicBarrier(pods);
        List<Callable<LedgerDatabase>> starts = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            starts.add(() -> {
                start.await();
                return new LedgerDatabase(settings);
            });
        }
        List<LedgerDatabase> opened = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(pods)) {
            for (Future<LedgerDatabase> future : executor.invokeAll(starts)) {
                opened.add(future.get());
            }
        } finally {
            opened.forEach(LedgerDatabase::close);
        }
        assertThat(opened).hasSize(pods);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void ledgerHasOneColumnPerEntryField(Backend backend) throws Exception {
        try (LedgerDatabase db = new LedgerDatabase(TestDatabases.fresh(backend, tempDir));
             Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM ledger WHERE 1 = 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            }
            List<String> expected = Arrays.stream(LedgerEntry.class.getRecordComponents())
                    .flatMap(component -> component.getType().isRecord()
                            ? Arrays.stream(component.getType().getRecordComponents()) : Stream.of(component))
                    .map(component -> snakeCase(component.getName()))
                    .filter(name -> !name.equals("cache_write_tokens")) // priced, not stored
                    .map(name -> switch (name) {
                        case "cost_usd" -> "cost_pico";
                        case "user" -> "end_user"; // a reserved word in PostgreSQL
                        default -> name;
                    })
                    .toList();
            assertThat(columns).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** Each secondary index costs every insert; these are the ones a query reads (by time, by key, by team). */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void ledgerKeepsOnlyTheIndexesItsQueriesRead(Backend backend) throws Exception {
        String sql = backend == Backend.SQLITE
                ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger' AND sql IS NOT NULL"
                : "SELECT indexname FROM pg_indexes WHERE tablename = 'ledger' AND indexname <> 'ledger_pkey'";
        try (LedgerDatabase db = new LedgerDatabase(TestDatabases.fresh(backend, tempDir));
             Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> indexes = new ArrayList<>();
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
            assertThat(indexes).containsExactlyInAnyOrder("ledger_started_at", "ledger_key_started_at", "ledger_team_started_at");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void isReachableWhileOpenAndNotAfterClose(Backend backend) {
        LedgerDatabase db = new LedgerDatabase(TestDatabases.fresh(backend, tempDir));
        assertThat(db.dialect()).isEqualTo(backend == Backend.SQLITE ? Dialect.SQLITE : Dialect.POSTGRESQL);
        assertThat(db.isReachable()).isTrue();
        db.close();
        assertThat(db.isReachable()).isFalse();
    }

    @Test
    void sqliteRunsInWalModeWithNormalSyncAndBusyTimeout() throws Exception {
        DatabaseSettings settings = new DatabaseSettings(
                "jdbc:sqlite:" + tempDir.resolve("nested/dir/ledger.db"), null, null, 16);
        try (LedgerDatabase db = new LedgerDatabase(settings.withTimeout(Duration.ofMillis(1234)));
             Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(pragma(s, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(s, "synchronous")).isEqualTo("1"); // NORMAL
            assertThat(pragma(s, "busy_timeout")).isEqualTo("1234");
            assertThat(tempDir.resolve("nested/dir/ledger.db")).exists();
        }
    }

    @Test
    void postgresThatDoesNotAnswerOpensDownAndIsMigratedOnceItStarts() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres(tempDir.resolve("pgdata"));
             CapturedLogs logs = new CapturedLogs()) {
            DatabaseSettings settings = new DatabaseSettings(pg.jdbcUrl(), "postgres", "s3cret-password", 2);
            try (LedgerDatabase db = new LedgerDatabase(settings.withTimeout(Duration.ofMillis(500)))) {
                assertThat(db.isUp()).isFalse();
                assertThatThrownBy(() -> db.dataSource().getConnection())
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("unavailable");

                pg.start();
                await().atMost(Duration.ofSeconds(30)).until(db::isUp);

                assertThat(pg.column("SELECT MAX(version) FROM schema_version"))
                        .containsExactly(String.valueOf(LedgerSchema.latestVersion()));
                new LedgerStore(db).insertBatch(List.of(entry("after-start").build()));
                assertThat(countRows(db.dataSource())).isEqualTo(1);
            }
            assertThat(logs.text()).contains("Ledger database unavailable at start").doesNotContain("s3cret-password");
        }
    }

    @Test
    void connectionThePoolCannotOpenMarksPostgresDownUntilItAnswersAgain() throws Exception {
        try (RestartablePostgres pg = new RestartablePostgres(tempDir.resolve("pgdata")).start();
             LedgerDatabase db = new LedgerDatabase(new DatabaseSettings(pg.jdbcUrl(), null, null, 2, Duration.ofMillis(500)))) {
            assertThat(db.isUp()).isTrue();

            pg.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                // a pooled connection used moments ago is handed out unchecked; its failure evicts it
                try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                    return false;
                } catch (SQLException e) {
                    return !db.isUp();
                }
            });
            assertThatThrownBy(() -> db.dataSource().getConnection()).hasMessageContaining("unavailable");

            pg.start();
            await().atMost(Duration.ofSeconds(30)).until(db::isUp);
            try (Connection c = db.dataSource().getConnection()) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void otherDatabasesAndInMemorySqliteAreRefused() {
        assertThatThrownBy(() -> new LedgerDatabase(new DatabaseSettings(
                "jdbc:mysql://db/ledger?password=s3cret", null, null, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new LedgerDatabase(new DatabaseSettings("jdbc:sqlite::memory:", null, null, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a file");
    }

    @Test
    void passwordInTheUrlIsMovedOutOfIt() {
        assertThat(LedgerDatabase.UrlWithoutPassword.of("jdbc:postgresql://db:5432/ledger?user=tg&password=s%26cret&ssl=true"))
                .isEqualTo(new LedgerDatabase.UrlWithoutPassword("jdbc:postgresql://db:5432/ledger?user=tg&ssl=true", "s&cret"));
        assertThat(LedgerDatabase.UrlWithoutPassword.of("jdbc:postgresql://db/ledger?password=x"))
                .isEqualTo(new LedgerDatabase.UrlWithoutPassword("jdbc:postgresql://db/ledger", "x"));
        assertThat(LedgerDatabase.UrlWithoutPassword.of("jdbc:sqlite:/var/lib/ledger.db"))
                .isEqualTo(new LedgerDatabase.UrlWithoutPassword("jdbc:sqlite:/var/lib/ledger.db", null));
    }

    @Test
    void postgresUrlWithPasswordParameterStillConnects() {
        String url = TestDatabases.fresh(Backend.POSTGRESQL, tempDir).url() + "&password=ignored-by-trust-auth";
        try (LedgerDatabase db = new LedgerDatabase(new DatabaseSettings(url, null, null, 2))) {
            assertThat(db.isReachable()).isTrue();
        }
    }

    private static String pragma(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }
}
