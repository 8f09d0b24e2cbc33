package dev.tollgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The gateway's Prometheus metrics. Labels are route model, backend, provider, team, key name, status and outcome: never
 * a key or its hash, never a model name the client made up. Key and team names are capped ({@link LabelCap}); the
 * histograms carry no key or team at all. Meters are cached per label set so the hot path does one map look-up, not a
 * registry build. Spend and tokens are counted per ledger row, so their sums equal the ledger's (docs/observability.md).
 */
public final class GatewayMetrics {

    /**
     * Histogram buckets of the request duration: 13 fixed ones (plus +Inf, count, sum, max: 17 series per model and
     * outcome). Micrometer's percentile histogram over 1 ms–10 min had 86 buckets per label set.
     */
    static final Duration[] DURATION_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300);

    /** Histogram buckets of the time to first token: 10 fixed ones (14 series per model). */
    static final Duration[] FIRST_TOKEN_BUCKETS = seconds(0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5, 10, 30);

    /** Distinct key names (and team names) with their own series per pod, unless configured otherwise. */
    public static final int DEFAULT_MAX_KEY_LABELS = 100;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LabelCap keys;
    private final LabelCap teams;
    private final ConcurrentMap<RequestLabels, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<LatencyLabels, Timer> durations = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> firstTokens = new ConcurrentHashMap<>();
    private final ConcurrentMap<BilledLabels, BilledMeters> billed = new ConcurrentHashMap<>();
    private final ConcurrentMap<AttemptLabels, Counter> attempts = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> retries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> unpriced = new ConcurrentHashMap<>();
    private final Counter reloadOk;
    private final Counter reloadFailed;

    public GatewayMetrics() {
        this(DEFAULT_MAX_KEY_LABELS);
    }

    /** @param maxKeyLabels distinct key names, and distinct team names, with their own series; later ones are "other" */
    public GatewayMetrics(int maxKeyLabels) {
        this.keys = new LabelCap(maxKeyLabels);
        this.teams = new LabelCap(maxKeyLabels);
        reloadOk = Counter.builder("tollgate.config.reloads").tag("result", "success")
                .description("Configuration reloads").register(registry);
        reloadFailed = Counter.builder("tollgate.config.reloads").tag("result", "failure")
                .description("Configuration reloads").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    public void configReloaded(boolean ok) {
        (ok ? reloadOk : reloadFailed).increment();
    }

    /**
     * Labels of one client request.
     *
     * @param model   the route that served it ("" when the model was unknown)
     * @param outcome how it ended ({@code ok}, {@code client_error}, {@code upstream_error}, {@code timeout},
     *                {@code stream_failed}, {@code client_disconnected})
     */
    public record RequestLabels(String model, String team, String key, int status, String outcome) {
    }

    /** Labels of one ledger row's tokens and spend. */
    public record BilledLabels(String model, String backend, String provider, String team, String key) {
    }

    /** Labels of one upstream attempt: its route, backend and how it ended. */
    public record AttemptLabels(String model, String backend, String provider, String outcome) {
    }

    private record LatencyLabels(String model, String outcome) {
    }

    /** A finished client request: one count, its duration, and for streams the time to the first byte. */
    public void request(RequestLabels labels, Duration duration, Duration timeToFirstToken) {
        RequestLabels capped = new RequestLabels(labels.model(), teams.of(labels.team()), keys.of(labels.key()), labels.status(),
                labels.outcome());
        requests.computeIfAbsent(capped, l -> Counter.builder("tollgate.requests")
                .tags("model", l.model(), "team", l.team(), "key", l.key(), "status", Integer.toString(l.status()), "outcome", l.outcome())
                .description("Client requests by how they ended").register(registry)).increment();
        durations.computeIfAbsent(new LatencyLabels(labels.model(), labels.outcome()), l -> Timer.builder("tollgate.request.duration")
                .tags("model", l.model(), "outcome", l.outcome()).serviceLevelObjectives(DURATION_BUCKETS)
                .description("Whole request duration").register(registry)).record(duration);
        if (timeToFirstToken != null) {
            firstTokens.computeIfAbsent(labels.model(), m -> Timer.builder("tollgate.time.to.first.token")
                    .tag("model", m).serviceLevelObjectives(FIRST_TOKEN_BUCKETS)
                    .description("Time to the first streamed byte").register(registry)).record(timeToFirstToken);
        }
    }

    /** One ledger row: its tokens by type and its cost in whole picodollars, exactly as the row stores them. */
    public void billed(BilledLabels labels, long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens,
                       long costPicodollars) {
        BilledMeters m = billed.computeIfAbsent(new BilledLabels(labels.model(), nz(labels.backend()), nz(labels.provider()),
                teams.of(labels.team()), keys.of(labels.key())), this::billedMeters);
        add(m.prompt, promptTokens);
        add(m.completion, completionTokens);
        add(m.cached, cachedTokens);
        add(m.reasoning, reasoningTokens);
        add(m.spend, costPicodollars);
    }

    /**
     * One upstream attempt. A failed one ({@code errorType} set) is also counted in {@code tollgate_upstream_errors}
     * by type, whether or not a retry or fallback then served the request.
     */
    public void attempt(AttemptLabels labels, String errorType) {
        attempts.computeIfAbsent(labels, l -> Counter.builder("tollgate.upstream.attempts")
                .tags("model", l.model(), "backend", l.backend(), "provider", l.provider(), "outcome", l.outcome())
                .description("Upstream attempts by how they ended").register(registry)).increment();
        if (errorType != null) {
            upstreamErrors.computeIfAbsent(labels.backend() + '\0' + labels.provider() + '\0' + errorType,
                    k -> Counter.builder("tollgate.upstream.errors").tag("backend", labels.backend()).tag("provider", labels.provider())
                            .tag("type", errorType).description("Failed upstream attempts").register(registry)).increment();
        }
    }

    /** An attempt made again on the same route after a failed one. */
    public void retried(String model) {
        retries.computeIfAbsent(model, m -> Counter.builder("tollgate.retries").tag("model", m)
                .description("Upstream attempts retried on the same route").register(registry)).increment();
    }

    /** A request that moved on from route {@code from} to its fallback route {@code to}. */
    public void fellBack(String from, String to) {
        fallbacks.computeIfAbsent(from + '\0' + to, k -> Counter.builder("tollgate.fallbacks").tag("model", from).tag("fallback", to)
                .description("Requests moved on to a fallback route").register(registry)).increment();
    }

    /** A request refused before reaching a provider (auth, validation, limits). */
    public void rejected(int status, String code) {
        String c = code == null ? "none" : code;
        rejections.computeIfAbsent(status + "\0" + c, k -> Counter.builder("tollgate.requests.rejected")
                .tag("status", Integer.toString(status)).tag("code", c).description("Requests refused by the gateway").register(registry)).increment();
    }

    /** A request to a model with no known price (recorded at cost 0). */
    public void unpriced(String model) {
        unpriced.computeIfAbsent(model, k -> Counter.builder("tollgate.pricing.missing").tag("model", model)
                .description("Requests recorded at cost 0 because the model has no price").register(registry)).increment();
    }

    private BilledMeters billedMeters(BilledLabels l) {
        String[] tags = {"model", l.model(), "backend", l.backend(), "provider", l.provider(), "team", l.team(), "key", l.key()};
        return new BilledMeters(tokens(tags, "prompt"), tokens(tags, "completion"), tokens(tags, "cached"), tokens(tags, "reasoning"),
                Counter.builder("tollgate.spend.picodollars").tags(tags)
                        .description("Spend in picodollars (1e-12 USD), per ledger row: divide by 1e12 for USD").register(registry));
    }

    private Counter tokens(String[] tags, String type) {
        return Counter.builder("tollgate.tokens").tags(tags).tag("type", type)
                .description("Tokens billed, per ledger row (prompt includes cached, completion includes reasoning)").register(registry);
    }

    private static void add(Counter c, long amount) {
        if (amount > 0) {
            c.increment((double) amount);
        }
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private record BilledMeters(Counter prompt, Counter completion, Counter cached, Counter reasoning, Counter spend) {
    }
}
