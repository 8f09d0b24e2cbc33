package dev.tollgate.api.config;

import java.time.Duration;
import java.util.List;

/**
 * A public model name, the backends that serve it, and how requests survive their failures.
 *
 * @param model                   public model name clients send
 * @param aliases                 other names for the same route
 * @param backends                deployments able to serve it
 * @param strategy                how a backend is picked (weighted by default)
 * @param retries                 further attempts after the first fails with a retryable error
 * @param backoff                 wait between attempts
 * @param timeouts                time limits of one attempt
 * @param circuitBreaker          the breaker of each backend of this route
 * @param fallbacks               other routes tried, in order, when this route's backends are exhausted or the first
 *                                token is later than {@code firstTokenFallbackAfter}
 * @param contextWindowFallbacks  routes tried when the upstream says the prompt exceeds the context window
 * @param contentPolicyFallbacks  routes tried when the upstream refuses for content policy
 * @param firstTokenFallbackAfter streams: go to {@code fallbacks} at once when no first token arrived by then; null for never
 * @param dropUnsupportedParams   drop request parameters a backend's provider cannot honour instead of refusing with 400
 */
public record RouteConfig(
        String model,
        List<String> aliases,
        List<BackendConfig> backends,
        RoutingStrategy strategy,
        int retries,
        Backoff backoff,
        Timeouts timeouts,
        CircuitBreakerSettings circuitBreaker,
        List<String> fallbacks,
        List<String> contextWindowFallbacks,
        List<String> contentPolicyFallbacks,
        Duration firstTokenFallbackAfter,
        boolean dropUnsupportedParams) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public RouteConfig {
        aliases = List.copyOf(aliases);
        backends = List.copyOf(backends);
        strategy = strategy == null ? RoutingStrategy.WEIGHTED : strategy;
        backoff = backoff == null ? Backoff.DEFAULT : backoff;
        timeouts = timeouts == null ? Timeouts.DEFAULT : timeouts;
        circuitBreaker = circuitBreaker == null ? CircuitBreakerSettings.DEFAULT : circuitBreaker;
        fallbacks = List.copyOf(fallbacks);
        contextWindowFallbacks = List.copyOf(contextWindowFallbacks);
        contentPolicyFallbacks = List.copyOf(contentPolicyFallbacks);
    }

    /** Whole-attempt timeout ({@code timeouts.request}). */
    public Duration timeout() {
        return timeouts.request();
    }
}
