package dev.tollgate.gateway.ledger;

import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.usage.Usage;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Fresh, empty ledger databases: a SQLite file in a temp dir, or a new database in one shared real PostgreSQL. */
final class TestDatabases {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /** Settings of a new empty database of that backend. */
    static DatabaseSettings fresh(Backend backend, Path tempDir) {
        return switch (backend) {
            case SQLITE -> new DatabaseSettings(
                    "jdbc:sqlite:" + tempDir.resolve("ledger-" + DATABASES.incrementAndGet() + ".db"), null, null, 4);
            case POSTGRESQL -> {
                String name = "ledger_" + DATABASES.incrementAndGet();
                EmbeddedPostgres pg = postgres();
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                yield new DatabaseSettings(pg.getJdbcUrl("postgres", name), "postgres", null, 4);
            }
        };
    }

    /** The PostgreSQL shared by all tests of this JVM, started on first use (stopped by its shutdown hook). */
    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    static long countRows(DataSource dataSource) {
        return queryLong(dataSource, "SELECT COUNT(*) FROM ledger");
    }

    static long queryLong(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every stored row mapped back to an entry, ordered by request id. */
    static List<LedgerEntry> readAll(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM ledger ORDER BY request_id")) {
            List<LedgerEntry> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(RecentRequests.entry(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Test rows with sensible defaults. */
    static Entry entry(String requestId) {
        return new Entry(requestId);
    }

    /** A mutable builder of {@link LedgerEntry} for tests. */
    static final class Entry {
        private final String requestId;
        private String parentRequestId;
        private Instant startedAt = Instant.parse("2025-06-01T12:00:00Z");
        private String keyName = "key-a";
        private String team = "team-a";
        private String model = "gpt-4o-mini";
        private long promptTokens = 10;
        private long completionTokens = 5;
        private BigDecimal cost = new BigDecimal("0.000001");
        private LedgerEntry.Attribution attribution = LedgerEntry.Attribution.NONE;

        private Entry(String requestId) {
            this.requestId = requestId;
        }

        Entry attemptOf(String parent) {
            this.parentRequestId = parent;
            return this;
        }

        Entry at(String instant) {
            this.startedAt = Instant.parse(instant);
            return this;
        }

        Entry key(String keyName) {
            this.keyName = keyName;
            return this;
        }

        Entry team(String team) {
            this.team = team;
            return this;
        }

        Entry model(String model) {
            this.model = model;
            return this;
        }

        Entry tokens(long prompt, long completion) {
            this.promptTokens = prompt;
            this.completionTokens = completion;
            return this;
        }

        Entry cost(String usd) {
            this.cost = new BigDecimal(usd);
            return this;
        }

        Entry attribution(String user, String... tags) {
            this.attribution = new LedgerEntry.Attribution(user, List.of(tags));
            return this;
        }

        LedgerEntry build() {
            return new LedgerEntry(requestId, parentRequestId, new LedgerEntry.Who(keyName, team),
                    new LedgerEntry.What("chat", model, "openai-main", "openai", model, false),
                    new LedgerEntry.Timing(startedAt, null, startedAt.plusMillis(850)), new Usage(promptTokens, completionTokens, 0, 0, false),
                    cost, new LedgerEntry.Outcome(200, null), attribution);
        }
    }
}
