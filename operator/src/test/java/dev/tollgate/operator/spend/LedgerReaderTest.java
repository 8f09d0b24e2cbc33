package dev.tollgate.operator.spend;

import dev.tollgate.gateway.testing.SharedPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Period totals on a real PostgreSQL (two databases of the JVM's embedded one): from {@code spend_buckets} plus the rows before the first bucket boundary, and
 * from the rows alone where the gateway has not created the buckets yet. Rows and buckets are written here as the
 * gateway's schema version 3 has them.
 */
class LedgerReaderTest {

    /** The ledger without spend_buckets (before schema version 3), and the current one. */
    static DataSource legacyDb;
    static DataSource currentDb;
    static final long USD = 1_000_000_000_000L;
    static final Instant T = Instant.parse("2026-03-18T12:00:00Z"); // a bucket boundary

    @BeforeAll
    static void start() throws Exception {
        legacyDb = dataSource(SharedPostgres.newDatabase());
        currentDb = dataSource(SharedPostgres.newDatabase());
        for (DataSource db : List.of(legacyDb, currentDb)) {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE ledger (request_id TEXT PRIMARY KEY, key_name TEXT NOT NULL, team TEXT, started_at BIGINT NOT NULL,"
                        + " cost_pico BIGINT NOT NULL)");
            }
        }
        try (Connection c = currentDb.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE spend_buckets (subject_kind TEXT NOT NULL, subject TEXT NOT NULL, bucket_start BIGINT NOT NULL,"
                    + " cost_pico BIGINT NOT NULL, requests BIGINT NOT NULL, PRIMARY KEY (subject_kind, subject, bucket_start))");
        }
        // The same spend in both databases: 1 USD at 11:50, 2 USD at 12:05, 4 USD at 12:20, the last two of team t.
        for (DataSource db : List.of(legacyDb, currentDb)) {
            row(db, "r1", "k", null, T.minusSeconds(600), USD);
            row(db, "r2", "k", "t", T.plusSeconds(300), 2 * USD);
            row(db, "r3", "k", "t", T.plusSeconds(1200), 4 * USD);
        }
        bucket("key", "k", T.minusSeconds(900), USD);
        bucket("key", "k", T, 2 * USD);
        bucket("key", "k", T.plusSeconds(900), 4 * USD);
        bucket("team", "t", T, 2 * USD);
        bucket("team", "t", T.plusSeconds(900), 4 * USD);
    }

    private static DataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        return ds;
    }

    @Test
    void totalsFromBucketsMatchTotalsFromRowsForAlignedAndUnalignedStarts() throws Exception {
        LedgerReader current = new LedgerReader(currentDb);
        LedgerReader legacy = new LedgerReader(legacyDb);
        for (Instant since : List.of(T.minusSeconds(3600), T.minusSeconds(900), T.minusSeconds(300), T, T.plusSeconds(600), T.plusSeconds(1500))) {
            assertThat(current.byKey(List.of("k", "nobody"), since)).as("keys since " + since).isEqualTo(legacy.byKey(List.of("k", "nobody"), since));
            assertThat(current.byTeam(List.of("t"), since)).as("teams since " + since).isEqualTo(legacy.byTeam(List.of("t"), since));
        }
        // Unaligned: the 12:15 bucket, plus the 12:05 row before it.
        assertThat(current.byKey(List.of("k"), T.plusSeconds(60))).isEqualTo(Map.of("k", new LedgerReader.Total(6 * USD, T.plusSeconds(1200))));
        assertThat(current.byTeam(List.of("t"), T.minusSeconds(3600))).isEqualTo(Map.of("t", new LedgerReader.Total(6 * USD, T.plusSeconds(1200))));
        assertThat(current.byKey(List.of("k"), T.plusSeconds(1500))).isEmpty();
    }

    @Test
    void costComesFromTheBucketsWhereTheyExist() throws Exception {
        // A bucket the rows do not explain (e.g. its rows were purged): the bucket wins on the version-3 schema.
        try (Connection c = currentDb.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO spend_buckets VALUES ('key', 'purged', " + T.toEpochMilli() + ", " + 8 * USD + ", 1)");
        }
        LedgerReader current = new LedgerReader(currentDb);

        assertThat(current.byKey(List.of("purged"), T.minusSeconds(3600))).isEqualTo(Map.of("purged", new LedgerReader.Total(8 * USD, null)));
    }

    private static void row(DataSource db, String id, String key, String team, Instant at, long pico) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ledger VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, key);
            ps.setString(3, team);
            ps.setLong(4, at.toEpochMilli());
            ps.setLong(5, pico);
            ps.executeUpdate();
        }
    }

    private static void bucket(String kind, String subject, Instant start, long pico) throws Exception {
        try (Connection c = currentDb.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO spend_buckets VALUES (?, ?, ?, ?, 1)")) {
            ps.setString(1, kind);
            ps.setString(2, subject);
            ps.setLong(3, start.toEpochMilli());
            ps.setLong(4, pico);
            ps.executeUpdate();
        }
    }
}
