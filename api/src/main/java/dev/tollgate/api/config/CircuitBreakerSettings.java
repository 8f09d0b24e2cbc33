package dev.tollgate.api.config;

import java.time.Duration;

/**
 * The circuit breaker each backend of a route gets.
 *
 * @param failureThreshold consecutive failed calls that open the circuit (0 turns the breaker off)
 * @param cooldown         how long an open circuit skips the backend before letting probes through
 * @param halfOpenProbes   calls let through after the cooldown; all must succeed to close the circuit again
 */
public record CircuitBreakerSettings(int failureThreshold, Duration cooldown, int halfOpenProbes) {

    public static final CircuitBreakerSettings DEFAULT = new CircuitBreakerSettings(5, Duration.ofSeconds(30), 1);

    public boolean enabled() {
        return failureThreshold > 0;
    }
}
