package dev.tollgate.gateway.ledger;

import dev.tollgate.gateway.ledger.SpendReport.Dimension;
import dev.tollgate.gateway.ledger.SpendReport.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.tollgate.gateway.ledger.TestDatabases.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spend reports from the daily rollups on real SQLite and PostgreSQL: grouped, filtered, exact. */
class SpendReportTest {

    private static final LocalDate DAY = LocalDate.parse("2025-06-01");

    @TempDir
    Path tempDir;

    private LedgerDatabase db;
    private LedgerStore store;
    private SpendReport report;

    @AfterEach
    void closeDatabase() {
        if (db != null) {
            db.close();
        }
    }

    private void open(Backend backend) {
        db = new LedgerDatabase(TestDatabases.fresh(backend, tempDir));
        store = new LedgerStore(db);
        report = new SpendReport(db.dataSource());
    }

    /** Two keys of team-a, one key without team, rows on both edges of the day and outside it, users and tags. */
    private void insertDay() throws Exception {
        store.insertBatch(List.of(
                entry("before").key("key-a").at("2025-05-31T23:59:59.999Z").cost("100").build(),
                entry("a1").key("key-a").model("gpt-4o").at("2025-06-01T00:00:00Z").tokens(100, 10).cost("0.25")
                        .attribution("u1", "nightly", "env=prod").build(),
                entry("a1-retry").attemptOf("a1").key("key-a").model("gpt-4o").at("2025-06-01T00:00:01Z")
                        .tokens(100, 0).cost("0.05").attribution("u1", "nightly", "env=prod").build(),
                entry("a2").key("key-a").model("gpt-4o-mini").at("2025-06-01T10:00:00Z").tokens(20, 2).cost("0.001")
                        .attribution("u2", "env=prod").build(),
                entry("b1").key("key-b").model("gpt-4o").at("2025-06-01T23:59:59.999Z").tokens(7, 3).cost("0.3").build(),
                entry("c1").key("key-c").team(null).model("gpt-4o-mini").at("2025-06-01T12:00:00Z").tokens(1, 1)
                        .cost("0.000000150").build(),
                entry("after").key("key-b").at("2025-06-02T00:00:00Z").cost("100").build()));
    }

    private SpendReport.Result run(Map<Dimension, List<String>> filters, Dimension... groupBy) {
        return report.run(new SpendReport.Query(List.of(groupBy), filters, DAY, DAY.plusDays(1), 100));
    }

    private SpendReport.Result run(Dimension... groupBy) {
        return run(Map.of(), groupBy);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void byKeyCountsClientRequestsButBillsAttempts(Backend backend) throws Exception {
        open(backend);
        insertDay();

        SpendReport.Result result = run(Dimension.KEY);

        assertThat(result.rows()).containsExactly(
                row(List.of("key-a"), 2, 220, 12, "0.301"),
                row(List.of("key-b"), 1, 7, 3, "0.3"),
                row(List.of("key-c"), 1, 1, 1, "0.00000015"));
        assertThat(result.total()).isEqualTo(row(List.of(), 4, 228, 16, "0.60100015"));
        assertThat(result.hasMore()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void byTeamAndUserPutRowsWithoutOneLast(Backend backend) throws Exception {
        open(backend);
        insertDay();

        assertThat(run(Dimension.TEAM).rows()).containsExactly(
                row(List.of("team-a"), 3, 227, 15, "0.601"),
                row(Arrays.asList((String) null), 1, 1, 1, "0.00000015"));
        assertThat(run(Dimension.USER).rows()).containsExactly(
                row(List.of("u1"), 1, 200, 10, "0.3"),
                row(List.of("u2"), 1, 20, 2, "0.001"),
                row(Arrays.asList((String) null), 2, 8, 4, "0.30000015"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void byTagCountsATaggedRequestUnderEachOfItsTags(Backend backend) throws Exception {
        open(backend);
        insertDay();

        assertThat(run(Dimension.TAG).rows()).containsExactly(
                row(List.of("env=prod"), 2, 220, 12, "0.301"),
                row(List.of("nightly"), 1, 200, 10, "0.3"));
        assertThat(run(Dimension.TAG, Dimension.KEY).rows()).containsExactly(
                row(List.of("env=prod", "key-a"), 2, 220, 12, "0.301"),
                row(List.of("nightly", "key-a"), 1, 200, 10, "0.3"));
        assertThatThrownBy(() -> run(Map.of(Dimension.USER, List.of("u1")), Dimension.TAG))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void filtersCombineAndAnEmptyValueMeansWithoutOne(Backend backend) throws Exception {
        open(backend);
        insertDay();

        assertThat(run(Map.of(Dimension.TAG, List.of("nightly")), Dimension.MODEL).rows())
                .containsExactly(row(List.of("gpt-4o"), 1, 200, 10, "0.3"));
        assertThat(run(Map.of(Dimension.KEY, List.of("key-a", "key-b"), Dimension.MODEL, List.of("gpt-4o")), Dimension.KEY)
                .rows()).containsExactly(row(List.of("key-a"), 1, 200, 10, "0.3"), row(List.of("key-b"), 1, 7, 3, "0.3"));
        assertThat(run(Map.of(Dimension.TEAM, List.of("")), Dimension.KEY).rows())
                .containsExactly(row(List.of("key-c"), 1, 1, 1, "0.00000015"));
        assertThat(run(Map.of(Dimension.USER, List.of("nobody")), Dimension.KEY).total())
                .isEqualTo(row(List.of(), 0, 0, 0, "0"));
        assertThat(run(Map.of(Dimension.USER, List.of("u2")), Dimension.MODEL).rows())
                .containsExactly(row(List.of("gpt-4o-mini"), 1, 20, 2, "0.001"));
        assertThat(run(Map.of(Dimension.USER, List.of("")), Dimension.KEY).rows())
                .containsExactly(row(List.of("key-b"), 1, 7, 3, "0.3"), row(List.of("key-c"), 1, 1, 1, "0.00000015"));
        assertThat(run(Map.of(Dimension.USER, List.of("u1")), Dimension.USER).rows())
                .containsExactly(row(List.of("u1"), 1, 200, 10, "0.3"));
        SpendReport.Result someAndNone = run(Map.of(Dimension.USER, List.of("u2", "")), Dimension.USER, Dimension.KEY);
        assertThat(someAndNone.rows()).containsExactly(
                row(List.of("u2", "key-a"), 1, 20, 2, "0.001"),
                row(Arrays.asList(null, "key-b"), 1, 7, 3, "0.3"),
                row(Arrays.asList(null, "key-c"), 1, 1, 1, "0.00000015"));
        assertThat(someAndNone.total()).isEqualTo(row(List.of(), 3, 28, 6, "0.30100015"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void byDayAndModelWithALimit(Backend backend) throws Exception {
        open(backend);
        insertDay();

        SpendReport.Result result = report.run(new SpendReport.Query(List.of(Dimension.DAY, Dimension.MODEL), Map.of(),
                DAY.minusDays(1), DAY.plusDays(2), 3));

        assertThat(result.rows()).containsExactly(
                row(List.of("2025-05-31", "gpt-4o-mini"), 1, 10, 5, "100"),
                row(List.of("2025-06-01", "gpt-4o"), 2, 207, 13, "0.6"),
                row(List.of("2025-06-01", "gpt-4o-mini"), 2, 21, 3, "0.00100015"));
        assertThat(result.hasMore()).isTrue();
        assertThat(result.total().costUsd()).isEqualTo(usd("200.60100015"));
    }

    /** Random rows over weeks, with replays: every grouping's rows and total equal the ledger's own sums exactly. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void totalsEqualTheLedgerToThePicodollar(Backend backend) throws Exception {
        open(backend);
        Random random = new Random(7);
        List<LedgerEntry> rows = SpendRollupTest.randomRows(random, 1_500);
        for (int from = 0; from < rows.size(); from += 200) {
            store.insertBatch(rows.subList(from, Math.min(rows.size(), from + 200)));
            store.insertBatch(rows.subList(from / 3, Math.min(rows.size(), from + 100)));
        }
        LocalDate first = LocalDate.parse("2026-10-29");
        LocalDate end = LocalDate.parse("2026-11-06");
        long ledgerPico = TestDatabases.queryLong(db.dataSource(), "SELECT SUM(cost_pico) FROM ledger");

        for (Dimension d : List.of(Dimension.KEY, Dimension.TEAM, Dimension.MODEL, Dimension.USER, Dimension.DAY)) {
            SpendReport.Result result = report.run(new SpendReport.Query(List.of(d), Map.of(), first, end, 10_000));
            BigDecimal sum = result.rows().stream().map(Row::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(sum).as("rows by " + d).isEqualTo(Picodollars.toUsd(ledgerPico));
            assertThat(result.total().costUsd()).as("total by " + d).isEqualTo(Picodollars.toUsd(ledgerPico));
        }
        Map<String, BigDecimal> expectedByUserDay = new TreeMap<>();
        for (LedgerEntry e : rows) {
            String k = e.attribution().user() + "/" + LocalDate.ofInstant(e.startedAt(), ZoneOffset.UTC);
            expectedByUserDay.merge(k, e.costUsd(), BigDecimal::add);
        }
        Map<String, BigDecimal> actual = new HashMap<>();
        for (Row r : report.run(new SpendReport.Query(List.of(Dimension.USER, Dimension.DAY), Map.of(), first, end, 10_000)).rows()) {
            actual.put(r.group().get(0) + "/" + r.group().get(1), r.costUsd());
        }
        assertThat(actual.keySet()).isEqualTo(expectedByUserDay.keySet());
        expectedByUserDay.forEach((k, cost) -> assertThat(actual.get(k)).as(k).isEqualByComparingTo(cost));
    }

    private static Row row(List<String> group, long requests, long prompt, long completion, String usd) {
        return new Row(new ArrayList<>(group), requests, prompt, completion, usd(usd));
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount).setScale(Picodollars.SCALE);
    }
}
