import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerEntry;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * What the spend dashboard costs on a large ledger: {@code java -cp <gateway jar> bench/DashboardLoad.java [rows]}.
 * Writes {@code rows} ledger rows (default 1,000,000, spread over the last 90 days, 200 keys in 20 teams, 10 models,
 * 30 % of rows from 200 end users, 0-2 of 30 tags each) into a fresh SQLite ledger through {@link LedgerStore} (so the spend buckets and
 * daily rollups are written as the gateway writes them), starts a gateway on it and times the seven admin calls the
 * page makes for one period (five {@code /admin/spend} groupings, {@code /admin/budgets}, {@code /admin/requests}),
 * sent at once as the browser sends them, for 7, 30 and 90 days: the page's wall time until its last answer. Median
 * and range of 7 rounds after 2 warm-up rounds. Not a test.
 */
public class DashboardLoad {

    private static final String ADMIN = "sk-tg-admin-bench-key";
    private static final int KEYS = 200;
    private static final int TEAMS = 20;
    private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "o3", "claude-sonnet-4", "claude-haiku-4",
            "gemini-2.5-pro", "gemini-2.5-flash", "mistral-large", "llama-3.3-70b", "text-embedding-3-small"};

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("tollgate-dashboard-bench");
        StringBuilder yaml = new StringBuilder("""
                gateway:
                  host: 127.0.0.1
                  port: 0
                  adminKey: %s
                  database: { url: "jdbc:sqlite:%s" }
                routes:
                  - model: m
                    backends: [ { name: mock, provider: mock, model: m, pricing: { inputPerMillion: 1, outputPerMillion: 1 } } ]
                teams:
                """.formatted(ADMIN, dir.resolve("ledger.db")));
        for (int t = 0; t < TEAMS; t++) {
            yaml.append("  - { name: team-").append(t).append(", budget: { amountUsd: 1000, period: monthly } }\n");
        }
        yaml.append("keys:\n");
        for (int k = 0; k < KEYS; k++) {
            yaml.append("  - { name: key-").append(k).append(", team: team-").append(k % TEAMS)
                    .append(", key: sk-tg-bench-key-").append(String.format("%06d", k))
                    .append(", budget: { amountUsd: 100, period: daily } }\n");
        }
        GatewayConfig config = Gateway.loader(System::getenv).parse(yaml.toString());

        long fillStarted = System.nanoTime();
        try (LedgerDatabase db = new LedgerDatabase(config.gateway().database())) {
            fill(new LedgerStore(db), rows);
        }
        System.out.printf("Filled %,d rows in %.0f s; SQLite file %,d MB; daily rollups: %,d rows in spend_daily, %,d in spend_daily_users, %,d in spend_daily_tags.%n%n",
                rows, (System.nanoTime() - fillStarted) / 1e9, Files.size(dir.resolve("ledger.db")) >> 20,
                count(dir, "spend_daily"), count(dir, "spend_daily_users"), count(dir, "spend_daily_tags"));

        try (Gateway gateway = Gateway.start(config, Clock.systemUTC())) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + gateway.managementPort() + "/admin/";
            System.out.println("| period | the page's 7 calls at once, ms: median (min–max of 7) | each call alone, ms (median of 5) |");
            System.out.println("|---|---|---|");
            for (int days : new int[] {7, 30, 90}) {
                List<String> urls = pageCalls(base, days);
                double[] page = new double[7];
                for (int round = -2; round < page.length; round++) {
                    long start = System.nanoTime();
                    CompletableFuture.allOf(urls.stream().map(u -> http.sendAsync(get(u), HttpResponse.BodyHandlers.ofString())
                            .thenApply(DashboardLoad::ok)).toArray(CompletableFuture[]::new)).join();
                    if (round >= 0) {
                        page[round] = (System.nanoTime() - start) / 1e6;
                    }
                }
                List<String> each = new ArrayList<>();
                for (String url : urls) {
                    double[] alone = new double[5];
                    for (int round = -1; round < alone.length; round++) {
                        long start = System.nanoTime();
                        ok(http.send(get(url), HttpResponse.BodyHandlers.ofString()));
                        if (round >= 0) {
                            alone[round] = (System.nanoTime() - start) / 1e6;
                        }
                    }
                    Arrays.sort(alone);
                    String name = url.substring(base.length(), url.indexOf('&') > 0 ? url.indexOf('&') : url.length());
                    each.add(name.replace("spend?group_by=", "by ").replace("?limit=50", "") + " " + Math.round(alone[2]));
                }
                Arrays.sort(page);
                System.out.printf("| %d days | %.0f (%.0f–%.0f) | %s |%n", days, page[3], page[0], page[6], String.join(", ", each));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static long count(Path dir, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ledger.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> pageCalls(String base, int days) {
        LocalDate to = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        String range = "from=" + to.minusDays(days) + "&to=" + to;
        List<String> urls = new ArrayList<>();
        for (String dimension : new String[] {"day", "team", "key", "model", "tag"}) {
            urls.add(base + "spend?group_by=" + dimension + "&" + range);
        }
        urls.add(base + "budgets");
        urls.add(base + "requests?limit=50&" + range);
        return urls;
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + ADMIN).timeout(Duration.ofMinutes(2)).build();
    }

    private static HttpResponse<String> ok(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private static void fill(LedgerStore store, int rows) throws Exception {
        Random random = new Random(42);
        long now = Instant.now().toEpochMilli();
        long span = Duration.ofDays(90).toMillis();
        List<LedgerEntry> batch = new ArrayList<>(5_000);
        for (int i = 0; i < rows; i++) {
            int key = (int) Math.min(KEYS - 1, Math.abs(random.nextGaussian()) * KEYS / 3);
            String model = MODELS[Math.min(MODELS.length - 1, (int) Math.abs(random.nextGaussian() * 3))];
            Instant started = Instant.ofEpochMilli(now - (long) (random.nextDouble() * span));
            int prompt = 50 + random.nextInt(4_000);
            int completion = random.nextInt(1_000);
            List<String> tags = new ArrayList<>();
            for (int t = random.nextInt(3); t > 0; t--) {
                tags.add("project=p" + random.nextInt(30));
            }
            batch.add(new LedgerEntry("req_bench_" + i, null,
                    new LedgerEntry.Who("key-" + key, "team-" + (key % TEAMS)),
                    new LedgerEntry.What("chat", model, "backend-" + model, "openai", model, random.nextBoolean()),
                    new LedgerEntry.Timing(started, null, started.plusMillis(200 + random.nextInt(3_000))),
                    new Usage(prompt, completion, 0, 0, false),
                    BigDecimal.valueOf(prompt * 2L + completion * 8L, 6),
                    new LedgerEntry.Outcome(random.nextInt(50) == 0 ? 429 : 200, null),
                    new LedgerEntry.Attribution(random.nextInt(10) < 7 ? null : "user-" + random.nextInt(200), tags)));
            if (batch.size() == 5_000) {
                store.insertBatch(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.insertBatch(batch);
        }
    }
}
