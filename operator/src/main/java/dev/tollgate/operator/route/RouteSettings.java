package dev.tollgate.operator.route;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.Backoff;
import dev.tollgate.api.config.CircuitBreakerSettings;
import dev.tollgate.api.config.Durations;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.RoutingStrategy;
import dev.tollgate.api.config.Timeouts;
import dev.tollgate.api.crd.ModelRouteSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A ModelRoute's resilience settings as config records, with the defaults the gateway's loader applies to an absent
 * field. {@link #problems()} names what the CRD schema cannot check (it would make the gateway refuse the snapshot).
 */
record RouteSettings(RoutingStrategy strategy, int retries, Backoff backoff, Timeouts timeouts,
                     CircuitBreakerSettings circuitBreaker, Duration firstTokenFallbackAfter, boolean dropUnsupportedParams,
                     List<String> problems) {

    static RouteSettings of(ModelRouteSpec spec) {
        List<String> problems = new ArrayList<>();
        return new RouteSettings(spec.strategy == null ? RoutingStrategy.WEIGHTED : spec.strategy,
                spec.retries == null ? 0 : spec.retries, backoff(spec.backoff, problems), timeouts(spec, problems),
                circuitBreaker(spec.circuitBreaker), duration(spec.firstTokenFallbackAfter, null),
                Boolean.TRUE.equals(spec.dropUnsupportedParams), List.copyOf(problems));
    }

    /** The route config with these settings and the given (already resolved) fallback model names. */
    RouteConfig toConfig(ModelRouteSpec spec, List<BackendConfig> backends, List<String> fallbacks,
                         List<String> contextWindowFallbacks, List<String> contentPolicyFallbacks) {
        // without a fallback left to go to, the gateway would refuse firstTokenFallbackAfter
        Duration firstToken = fallbacks.isEmpty() ? null : firstTokenFallbackAfter;
        return new RouteConfig(spec.model, spec.aliases == null ? List.of() : spec.aliases, backends, strategy, retries,
                backoff, timeouts, circuitBreaker, fallbacks, contextWindowFallbacks, contentPolicyFallbacks, firstToken,
                dropUnsupportedParams);
    }

    private static Backoff backoff(ModelRouteSpec.BackoffSpec b, List<String> problems) {
        Backoff d = Backoff.DEFAULT;
        if (b == null) {
            return d;
        }
        Duration initial = duration(b.initial, d.initial());
        Duration max = duration(b.max, d.max().compareTo(initial) < 0 ? initial : d.max());
        if (max.compareTo(initial) < 0) {
            problems.add("spec.backoff.max must not be shorter than spec.backoff.initial");
        }
        return new Backoff(initial, max, b.multiplier == null ? d.multiplier() : b.multiplier, b.jitter == null ? d.jitter() : b.jitter);
    }

    private static Timeouts timeouts(ModelRouteSpec spec, List<String> problems) {
        Timeouts d = Timeouts.DEFAULT;
        ModelRouteSpec.TimeoutsSpec t = spec.timeouts;
        Duration request = duration(t == null || t.request == null ? spec.timeout : t.request, d.request());
        if (t == null) {
            return new Timeouts(d.connect(), request, null, null);
        }
        Duration firstToken = duration(t.firstToken, null);
        if (firstToken != null && firstToken.compareTo(request) > 0) {
            problems.add("spec.timeouts.firstToken must not be longer than the request timeout (" + request + ")");
        }
        return new Timeouts(duration(t.connect, d.connect()), request, firstToken, duration(t.idle, null));
    }

    private static CircuitBreakerSettings circuitBreaker(ModelRouteSpec.CircuitBreakerSpec c) {
        CircuitBreakerSettings d = CircuitBreakerSettings.DEFAULT;
        if (c == null) {
            return d;
        }
        return new CircuitBreakerSettings(c.failureThreshold == null ? d.failureThreshold() : c.failureThreshold,
                duration(c.cooldown, d.cooldown()), c.halfOpenProbes == null ? d.halfOpenProbes() : c.halfOpenProbes);
    }

    /** The schema admits only positive short-form durations; anything else (an old CRD) takes the default. */
    private static Duration duration(String text, Duration fallback) {
        Duration d = text == null ? null : Durations.parse(text);
        return d == null || d.isZero() || d.isNegative() ? fallback : d;
    }
}
