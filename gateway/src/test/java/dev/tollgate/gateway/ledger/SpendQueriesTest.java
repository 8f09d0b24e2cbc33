package dev.tollgate.gateway.ledger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.tollgate.gateway.ledger.TestDatabases.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpendQueriesTest {

    private static final Instant FROM = Instant.parse("2025-06-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2025-06-02T00:00:00Z");

    @TempDir
    Path tempDir;

    private LedgerDatabase db;
    private LedgerStore store;
    private SpendQueries queries;

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    private void open(Backend backend) {
        db = new LedgerDatabase(TestDatabases.fresh(backend, tempDir));
        store = new LedgerStore(db);
        queries = new SpendQueries(db.dataSource());
    }

    /** Two keys of team-a, one key without team, rows on both edges of the day and outside it. */
    private void insertDay() throws Exception {
        store.insertBatch(List.of(
                entry("before").key("key-a").at("2025-05-31T23:59:59.999Z").cost("100").build(),
                entry("a1").key("key-a").model("gpt-4o").at("2025-06-01T00:00:00Z").tokens(100, 10).cost("0.25").build(),
                entry("a1-retry").attemptOf("a1").key("key-a").model("gpt-4o").at("2025-06-01T00:00:01Z")
                        .tokens(100, 0).cost("0.05").build(),
                entry("a2").key("key-a").model("gpt-4o-mini").at("2025-06-01T10:00:00Z").tokens(20, 2).cost("0.001").build(),
                entry("b1").key("key-b").model("gpt-4o").at("2025-06-01T23:59:59.999Z").tokens(7, 3).cost("0.3").build(),
                entry("c1").key("key-c").team(null).model("gpt-4o-mini").at("2025-06-01T12:00:00Z").tokens(1, 1)
                        .cost("0.000000150").build(),
                entry("after").key("key-b").at("2025-06-02T00:00:00Z").cost("100").build()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void sumsOfManyRowsAreExact(Backend backend) throws Exception {
        open(backend);
        Random random = new Random(42);
        List<LedgerEntry> rows = new ArrayList<>();
        BigDecimal expected = BigDecimal.ZERO;
        double naive = 0;
        for (int i = 0; i < 2_000; i++) {
            // Up to 0.01 USD with all 12 decimals used, e.g. 0.003917402231.
            BigDecimal cost = BigDecimal.valueOf(random.nextLong(10_000_000_000L), 12);
            expected = expected.add(cost);
            naive += cost.doubleValue();
            rows.add(entry("r" + i).cost(cost.toPlainString()).build());
        }
        store.insertBatch(rows);

        assertThat(queries.costByKeySince(FROM)).containsExactly(Map.entry("key-a", expected.setScale(12)));
        assertThat(new BigDecimal(naive)).as("a double sum would not be exact").isNotEqualByComparingTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void costSinceSumsPerKeyAndPerTeam(Backend backend) throws Exception {
        open(backend);
        insertDay();

        assertThat(queries.costByKeySince(FROM)).containsOnly(
                Map.entry("key-a", usd("0.301")),
                Map.entry("key-b", usd("100.3")),
                Map.entry("key-c", usd("0.00000015")));
        assertThat(queries.costByTeamSince(FROM)).containsOnly(Map.entry("team-a", usd("100.601")));
        assertThat(queries.costByTeamSince(TO.plusSeconds(1))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void sumsPastALongAreExactOnPostgresAndFailOnSqlite(Backend backend) throws Exception {
        open(backend);
        // In two 15-minute buckets: one bucket holds at most a long (see the next test).
        store.insertBatch(List.of(entry("big1").at("2025-06-01T12:00:00Z").cost("5000000").build(),
                entry("big2").at("2025-06-01T12:15:00Z").cost("5000000").build()));

        if (backend == Backend.POSTGRESQL) {
            assertThat(queries.costByKeySince(FROM)).containsExactly(Map.entry("key-a", usd("10000000")));
        } else {
            assertThatThrownBy(() -> queries.costByKeySince(FROM))
                    .isInstanceOf(LedgerException.class)
                    .hasStackTraceContaining("integer overflow");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aBucketPastALongSaturatesWhileTheRowsStayExact(Backend backend) throws Exception {
        open(backend);
        store.insertBatch(List.of(entry("big1").at("2025-06-01T12:00:00Z").cost("5000000").build()));
        store.insertBatch(List.of(entry("big2").at("2025-06-01T12:14:59.999Z").cost("5000000").build()));
        store.insertBatch(List.of(entry("big3").at("2025-06-01T12:01:00Z").cost("1").build()));

        assertThat(queries.costByKeySince(FROM)).containsExactly(Map.entry("key-a", Picodollars.toUsd(Long.MAX_VALUE)));
        assertThat(TestDatabases.readAll(db.dataSource())).extracting(LedgerEntry::costUsd)
                .containsExactlyInAnyOrder(usd("5000000"), usd("5000000"), usd("1"));
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount).setScale(Picodollars.SCALE);
    }
}
