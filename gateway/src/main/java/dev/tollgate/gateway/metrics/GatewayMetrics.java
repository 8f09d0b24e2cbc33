package dev.tollgate.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The gateway's Prometheus metrics. Labels are model, backend, provider, team, key name and status: never a key
 * or its hash. Meters are cached per label set so the hot path does one map look-up, not a registry build.
 */
public final class GatewayMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<RequestLabels, RequestMeters> requestMeters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> unpriced = new ConcurrentHashMap<>();
    private final Counter reloadOk;
    private final Counter reloadFailed;

    public GatewayMetrics() {
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

    /** Labels of one model request. */
    public record RequestLabels(String model, String backend, String provider, String team, String key, int status) {
    }

    /** Records a finished model request. */
    public void request(RequestLabels labels, Duration duration, Duration timeToFirstToken,
                        long promptTokens, long completionTokens, BigDecimal costUsd) {
        RequestMeters m = requestMeters.computeIfAbsent(labels, this::createMeters);
        m.requests.increment();
        m.duration.record(duration);
        if (timeToFirstToken != null) {
            m.ttft.record(timeToFirstToken);
        }
        if (promptTokens > 0) {
            m.promptTokens.increment(promptTokens);
        }
        if (completionTokens > 0) {
            m.completionTokens.increment(completionTokens);
        }
        if (costUsd.signum() > 0) {
            m.spend.increment(costUsd.doubleValue());
        }
    }

    /** An upstream call that failed, by error type (timeout, connect, rate_limit, server_error, ...). */
    public void upstreamError(String provider, String type) {
        upstreamErrors.computeIfAbsent(provider + '\0' + type, k -> Counter.builder("tollgate.upstream.errors")
                .tag("provider", provider).tag("type", type).description("Failed upstream calls").register(registry)).increment();
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

    private RequestMeters createMeters(RequestLabels l) {
        String[] tags = {"model", l.model(), "backend", nz(l.backend()), "provider", nz(l.provider()),
                "team", nz(l.team()), "key", nz(l.key()), "status", Integer.toString(l.status())};
        String[] tokenTags = {"model", l.model(), "backend", nz(l.backend()), "provider", nz(l.provider()),
                "team", nz(l.team()), "key", nz(l.key())};
        return new RequestMeters(
                Counter.builder("tollgate.requests").tags(tags).description("Model requests").register(registry),
                Timer.builder("tollgate.request.duration").tags(tags).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                        .description("Whole request duration").register(registry),
                Timer.builder("tollgate.time.to.first.token").tags(tags).publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                        .description("Time to the first streamed byte").register(registry),
                Counter.builder("tollgate.tokens").tags(tokenTags).tag("type", "prompt").description("Tokens").register(registry),
                Counter.builder("tollgate.tokens").tags(tokenTags).tag("type", "completion").description("Tokens").register(registry),
                Counter.builder("tollgate.spend.usd").tags(tokenTags).description("Spend in USD").register(registry));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private record RequestMeters(Counter requests, Timer duration, Timer ttft, Counter promptTokens,
                                 Counter completionTokens, Counter spend) {
    }

}
