package dev.tollgate.gateway.limits;

import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.pricing.PriceCatalog;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.config.ConfigHolder;
import dev.tollgate.gateway.config.KeyPolicy;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.ledger.LedgerDatabase;
import dev.tollgate.gateway.ledger.LedgerStore;
import dev.tollgate.gateway.ledger.LedgerWriter;
import dev.tollgate.gateway.ledger.SpendQueries;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pricing.PriceResolver;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.request.ModelRequest;
import dev.tollgate.gateway.usage.TokenCounter;
import dev.tollgate.gateway.usage.Usage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * Not a test: a JMH-free micro harness for the cost of the limit and budget stage on the hot path (admit + complete
 * of one request), single thread, with local counters and with Redis. Run by {@code bench/limits.sh}; results go to
 * bench/RESULTS.md. Usage: {@code LimitsBench [redis-url] [iterations]}.
 */
public final class LimitsBench {

    private static final String BODY = "{\"model\":\"m\",\"max_tokens\":256,\"messages\":[{\"role\":\"system\",\"content\":"
            + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Summarise the plot of Hamlet in three sentences.\"}]}";

    public static void main(String[] args) throws Exception {
        String redisUrl = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        ModelRequest request = ModelRequest.parse(Endpoint.CHAT, BODY.getBytes(StandardCharsets.UTF_8));
        System.out.printf("%-44s %10s %10s %10s%n", "case (admit + complete, 1 thread)", "mean µs", "p50 µs", "p99 µs");
        run("no limits, no budget", null, "", request, iterations);
        run("key rpm+tpm+parallel, local", null, "limits: { rpm: 1000000000, tpm: 2000000000, parallel: 1000 }", request, iterations);
        run("key+team limits + key+team budgets, local", null,
                "limits: { rpm: 1000000000, tpm: 2000000000, parallel: 1000 }, budget: { amountUsd: 1000000 }", request, iterations);
        run("key rpm+tpm+parallel, Redis", redisUrl, "limits: { rpm: 1000000000, tpm: 2000000000, parallel: 1000 }", request,
                iterations / 5);
        run("key+team limits + key+team budgets, Redis", redisUrl,
                "limits: { rpm: 1000000000, tpm: 2000000000, parallel: 1000 }, budget: { amountUsd: 1000000 }", request, iterations / 5);
    }

    private static void run(String name, String redisUrl, String keyPolicy, ModelRequest request, int iterations) throws Exception {
        Path dir = Files.createTempDirectory("tollgate-bench");
        boolean team = keyPolicy.contains("budget");
        String yaml = """
                gateway:
                  database: { url: "jdbc:sqlite:%s" }
                %s
                routes:
                  - model: m
                    backends: [ { name: b, provider: mock, model: m, pricing: { inputPerMillion: 1, outputPerMillion: 2 } } ]
                teams:
                  - { name: t %s }
                keys:
                  - { name: k, team: t, key: sk-tg-bench-key-1 %s }
                """.formatted(dir.resolve("ledger.db"),
                redisUrl == null ? "" : "  redis: { url: \"" + redisUrl + "\", keyPrefix: \"tollgate-bench:" + System.nanoTime() + ":\" }",
                team ? ", limits: { rpm: 1000000000, tpm: 2000000000 }, budget: { amountUsd: 1000000 }" : "",
                keyPolicy.isEmpty() ? "" : ", " + keyPolicy);
        GatewayConfig config = Gateway.loader(Map.<String, String>of()::get).parse(yaml);
        ConfigHolder holder = new ConfigHolder(config);
        GatewayMetrics metrics = new GatewayMetrics();
        try (LedgerDatabase db = new LedgerDatabase(config.gateway().database());
             LedgerWriter ledger = new LedgerWriter(new LedgerStore(db), config.gateway().ledger(), metrics.registry(), LedgerWriter.Options.defaults());
             LimitsModule limits = new LimitsModule(config.gateway(), holder, ledger, new SpendQueries(db.dataSource()),
                     new PriceResolver(PriceCatalog.builtIn(), metrics)::pricing, new TokenCounter(), metrics.registry(), Clock.systemUTC())) {
            if (redisUrl != null && !limits.shared()) {
                System.out.printf("%-44s skipped: Redis at %s is not reachable%n", name, redisUrl);
                return;
            }
            RuntimeConfig cfg = holder.current();
            KeyPolicy key = cfg.keyByHash(config.keys().getFirst().keyHash());
            RouteConfig route = cfg.route("m");
            AdmissionControl stage = limits.admission();
            Usage usage = new Usage(30, 100, 0, 0, false);
            BigDecimal cost = new BigDecimal("0.00023");
            for (int i = 0; i < Math.min(iterations, 20_000); i++) { // warm-up
                stage.admit(key, cfg, request, route).complete(usage, cost);
            }
            long[] nanos = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                stage.admit(key, cfg, request, route).complete(usage, cost);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            double mean = Arrays.stream(nanos).average().orElse(0) / 1000.0;
            System.out.printf("%-44s %10.2f %10.2f %10.2f%n", name, mean, nanos[iterations / 2] / 1000.0, nanos[(int) (iterations * 0.99)] / 1000.0);
        }
    }
}
