package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.Backoff;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.gateway.provider.UpstreamException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The Resilience4j {@link Retry} of each route: {@code retries + 1} attempts, retried only on errors the upstream
 * marks retryable (connection errors, timeouts, 429, 5xx) and only while nothing has gone to the client; waits an
 * exponential backoff with jitter, or the upstream's {@code retry-after} when longer (capped at {@code backoff.max}).
 * Built once per route version and reused.
 */
final class RouteRetries {

    private final ConcurrentMap<String, Built> byRoute = new ConcurrentHashMap<>();

    @SuppressWarnings("ReferenceEquality") // a route version is one object: a new config brings new ones
    Retry of(RouteConfig route) {
        Built b = byRoute.get(route.model());
        if (b == null || b.route != route) {
            b = new Built(route, Retry.of(route.model(), config(route)));
            byRoute.put(route.model(), b);
        }
        return b.retry;
    }

    static RetryConfig config(RouteConfig route) {
        Backoff backoff = route.backoff();
        IntervalFunction exponential = IntervalFunction.ofExponentialRandomBackoff(backoff.initial(), backoff.multiplier(),
                backoff.jitter(), backoff.max());
        long maxMillis = backoff.max().toMillis();
        return RetryConfig.<Object>custom()
                .maxAttempts(route.retries() + 1)
                .retryOnException(RouteRetries::retryable)
                .intervalBiFunction((Integer attempt, Either<Throwable, Object> outcome) -> {
                    long wait = exponential.apply(attempt);
                    if (outcome.isLeft() && outcome.getLeft() instanceof UpstreamException u && u.retryAfter() != null) {
                        wait = Math.max(wait, Math.min(u.retryAfter().toMillis(), maxMillis));
                    }
                    return wait;
                })
                .writableStackTraceEnabled(false)
                .build();
    }

    static boolean retryable(Throwable e) {
        return e instanceof UpstreamException u && u.retryable();
    }

    private record Built(RouteConfig route, Retry retry) {
    }
}
