import dev.tollgate.api.config.DatabaseSettings;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.ledger.Picodollars;
import dev.tollgate.gateway.ledger.SpendReport;
import dev.tollgate.gateway.ledger.SpendReport.Dimension;
import dev.tollgate.gateway.usage.Usage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a spend report costs on a large SQLite ledger: {@code java -cp <gateway classpath> bench/SpendReportCost.java
 * [rows]}. Fills a fresh ledger through {@link LedgerStore} (batches of 500, so the daily rollups are written as the
 * gateway writes them) with rows over 30 days: 50 keys in 7 teams, 5 models, 2,000 end users, a third of the rows with
 * one or two of 20 tags. Then times each report from the rollups ({@link SpendReport}) against the same grouping over
 * the ledger rows, median of 5 runs. Not a test.
 */
public class SpendReportCost {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("spend-report-cost");
        try (LedgerDatabase db = new LedgerDatabase(new DatabaseSettings("jdbc:sqlite:" + dir.resolve("ledger.db"), null, null, 4))) {
            LedgerStore store = new LedgerStore(db);
            Random random = new Random(1);
            Instant first = Instant.parse("2026-11-01T00:00:00Z");
            long started = System.nanoTime();
            List<LedgerEntry> batch = new ArrayList<>(500);
            for (int i = 0; i < rows; i++) {
                batch.add(row(random, i, first.plusMillis((long) i * 30L * 86_400_000L / rows)));
                if (batch.size() == 500) {
                    store.insertBatch(batch);
                    batch.clear();
                }
            }
            store.insertBatch(batch);
            double fillSeconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("Filled %,d rows in %.1f s (%.0f rows/s, rollups included); spend_daily %,d rows, spend_daily_users"
                            + " %,d rows, spend_daily_tags %,d rows.%n%n", rows, fillSeconds, rows / fillSeconds,
                    count(db, "spend_daily"), count(db, "spend_daily_users"), count(db, "spend_daily_tags"));
            SpendReport report = new SpendReport(db.dataSource());
            LocalDate from = LocalDate.parse("2026-11-01");
            LocalDate to = LocalDate.parse("2026-12-01");
            System.out.println("| report | from the rollups, ms | same grouping over the ledger rows, ms |");
            System.out.println("|---|---|---|");
            for (List<Dimension> groupBy : List.of(List.of(Dimension.KEY), List.of(Dimension.TEAM, Dimension.DAY),
                    List.of(Dimension.USER), List.of(Dimension.TAG), List.of(Dimension.MODEL, Dimension.DAY))) {
                SpendReport.Query query = new SpendReport.Query(groupBy, Map.of(), from, to, 10_000);
                double rollup = median(() -> report.run(query));
                String columns = String.join(", ", groupBy.stream().map(SpendReportCost::ledgerColumn).toList());
                String sql = groupBy.contains(Dimension.TAG)
                        ? "SELECT value, SUM(cost_pico) FROM ledger, json_each(ledger.tags) GROUP BY value"
                        : "SELECT " + columns + ", SUM(cost_pico) FROM ledger WHERE started_at >= 0 GROUP BY " + columns;
                double ledger = median(() -> query(db, sql));
                System.out.printf("| group_by=%s | %.1f | %.1f |%n", String.join(",", groupBy.stream().map(Dimension::label).toList()),
                        rollup, ledger);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static LedgerEntry row(Random random, int i, Instant at) {
        int key = random.nextInt(50);
        String model = "model-" + random.nextInt(5);
        List<String> tags = switch (random.nextInt(6)) {
            case 0 -> List.of("feature=" + random.nextInt(10));
            case 1 -> List.of("feature=" + random.nextInt(10), "env=" + (random.nextBoolean() ? "prod" : "dev"));
            default -> List.of();
        };
        return new LedgerEntry("req-" + i, null, new LedgerEntry.Who("key-" + key, "team-" + key % 7),
                new LedgerEntry.What("chat", model, "b", "openai", model, false),
                new LedgerEntry.Timing(at, null, at.plusMillis(800)), new Usage(random.nextInt(2000), random.nextInt(500), 0, 0, false),
                Picodollars.toUsd(random.nextLong(10_000_000_000L)), new LedgerEntry.Outcome(200, null),
                new LedgerEntry.Attribution("user-" + random.nextInt(2000), tags));
    }

    private static String ledgerColumn(Dimension d) {
        return switch (d) {
            case KEY -> "key_name";
            case TEAM -> "team";
            case MODEL -> "requested_model";
            case USER -> "end_user";
            case TAG -> "tags";
            case DAY -> "(started_at / 86400000)";
        };
    }

    private static double median(Runnable run) {
        run.run(); // warm-up
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[2];
    }

    private static void query(LedgerDatabase db, String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rs.getLong(2);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(LedgerDatabase db, String table) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
