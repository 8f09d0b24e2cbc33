package dev.tollgate.gateway.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Metrics of limits and budgets: {@code tollgate.limits.redis.up} (1 while the shared counters are in use),
 * {@code tollgate.limits.redis.fallbacks} (times the pod fell back to its own share),
 * {@code tollgate.budget.alerts} (a key's or team's spend crossed a soft threshold, tagged with the percent),
 * {@code tollgate.budget.remaining.usd} and {@code tollgate.budget.spent.ratio} per budgeted key and team (the operator's
 * {@code tollgate_budget_used_ratio} is the same per VirtualKey and TeamBudget, read from the ledger), and
 * {@code tollgate.ratelimit.limit} / {@code tollgate.ratelimit.remaining} per limited key and team and limit.
 */
final class LimitMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger redisUp = new AtomicInteger();
    private final Counter fallbacks;
    private final ConcurrentMap<String, Counter> alerts = new ConcurrentHashMap<>();

    LimitMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("tollgate.limits.redis.up", redisUp, AtomicInteger::get)
                .description("1 while limits are shared through Redis, 0 while each pod enforces its own share")
                .strongReference(true).register(registry);
        this.fallbacks = Counter.builder("tollgate.limits.redis.fallbacks")
                .description("Times this pod lost Redis and fell back to per-pod limit shares").register(registry);
    }

    void redisUp(boolean up) {
        redisUp.set(up ? 1 : 0);
    }

    void fellBack() {
        fallbacks.increment();
    }

    /** Gauges of one budgeted key or team; removed with {@link #remove}. */
    List<Meter> budget(String scope, String name, Supplier<Number> remainingUsd, Supplier<Number> usedRatio) {
        return List.of(
                Gauge.builder("tollgate.budget.remaining.usd", remainingUsd).tag("scope", scope).tag("name", name)
                        .description("Budget left this period (cap minus recorded spend, as this pod sees it; negative when overshot)")
                        .strongReference(true).register(registry),
                Gauge.builder("tollgate.budget.spent.ratio", usedRatio).tag("scope", scope).tag("name", name)
                        .description("Recorded spend this period over the budget's cap (1 = spent)")
                        .strongReference(true).register(registry));
    }

    /** Gauges of one limit of a key or team ({@code rpm}, {@code tpm}, {@code parallel}), as the last admission saw it. */
    void rateLimit(String scope, String name, String limit, AtomicLong enforced, AtomicLong remaining) {
        Gauge.builder("tollgate.ratelimit.limit", enforced, AtomicLong::get).tag("scope", scope).tag("name", name).tag("limit", limit)
                .description("Rate limit enforced by this pod (its share without Redis)").strongReference(true).register(registry);
        Gauge.builder("tollgate.ratelimit.remaining", remaining, AtomicLong::get).tag("scope", scope).tag("name", name).tag("limit", limit)
                .description("Rate-limit headroom as of the last admission of the key or team on this pod").strongReference(true)
                .register(registry);
    }

    void remove(List<Meter> meters) {
        meters.forEach(registry::remove);
    }

    void budgetAlert(String scope, String name, int percent) {
        alerts.computeIfAbsent(scope + '\0' + name + '\0' + percent, k -> Counter.builder("tollgate.budget.alerts")
                .tag("scope", scope).tag("name", name).tag("percent", Integer.toString(percent))
                .description("Spend of a key or team crossed a soft budget threshold in the current period")
                .register(registry)).increment();
    }
}
