package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.CircuitBreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One Resilience4j circuit breaker per backend (by name, so state survives a configuration reload that does not
 * change its settings). A breaker opens when the last {@code failureThreshold} calls all failed, skips the backend
 * for {@code cooldown}, then lets {@code halfOpenProbes} calls through: all succeed and it closes, one fails and it
 * opens again. State and call counts are exported as {@code resilience4j_circuitbreaker_*} metrics tagged with the
 * backend name.
 */
public final class CircuitBreakers {

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final ConcurrentMap<String, Held> byBackend = new ConcurrentHashMap<>();
    private final Clock clock;

    /**
     * @param clock  drives the cooldown (inject a movable clock in tests)
     * @param meters where the breaker metrics go
     */
    public CircuitBreakers(Clock clock, MeterRegistry meters) {
        this.clock = clock;
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    /** The backend's breaker under {@code settings}; null when the route turns breakers off. */
    public CircuitBreaker of(BackendConfig backend, CircuitBreakerSettings settings) {
        if (!settings.enabled()) {
            return null;
        }
        Held held = byBackend.get(backend.name());
        if (held != null && held.settings.equals(settings)) {
            return held.breaker;
        }
        return byBackend.compute(backend.name(), (name, old) -> {
            if (old != null && old.settings.equals(settings)) {
                return old;
            }
            CircuitBreaker breaker;
            if (old == null) {
                breaker = registry.circuitBreaker(name, config(settings));
            } else {
                breaker = CircuitBreaker.of(name, config(settings));
                registry.replace(name, breaker);
            }
            return new Held(settings, breaker);
        }).breaker;
    }

    private CircuitBreakerConfig config(CircuitBreakerSettings s) {
        return CircuitBreakerConfig.custom()
                .slidingWindow(s.failureThreshold(), s.failureThreshold(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(s.cooldown())
                .permittedNumberOfCallsInHalfOpenState(s.halfOpenProbes())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
    }

    private record Held(CircuitBreakerSettings settings, CircuitBreaker breaker) {
    }
}
