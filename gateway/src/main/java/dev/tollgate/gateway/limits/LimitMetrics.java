package dev.tollgate.gateway.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Metrics of limits and budgets: {@code tollgate.limits.redis.up} (1 while the shared counters are in use),
 * {@code tollgate.limits.redis.fallbacks} (times the pod fell back to its own share), and
 * {@code tollgate.budget.alerts} (a key's or team's spend crossed a soft threshold, tagged with the percent).
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

    void budgetAlert(String scope, String name, int percent) {
        alerts.computeIfAbsent(scope + '\0' + name + '\0' + percent, k -> Counter.builder("tollgate.budget.alerts")
                .tag("scope", scope).tag("name", name).tag("percent", Integer.toString(percent))
                .description("Spend of a key or team crossed a soft budget threshold in the current period")
                .register(registry)).increment();
    }
}
