package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.limits.BackendCapacity;
import dev.tollgate.gateway.provider.UpstreamException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.util.concurrent.TimeUnit;

/**
 * One attempt's hold on a backend: its circuit breaker permission, its quota and an in-flight slot. Ended exactly
 * once, by {@link #succeeded}, {@link #failed} or {@link #abandoned}, which report to all three.
 */
final class Lease {

    private final BackendConfig backend;
    private final CircuitBreaker breaker;
    private final BackendCapacity capacity;
    private final BackendStats.Entry stats;
    private final long estimatedTokens;
    private final long startNanos = System.nanoTime();

    Lease(BackendConfig backend, CircuitBreaker breaker, BackendCapacity capacity, BackendStats.Entry stats, long estimatedTokens) {
        this.backend = backend;
        this.breaker = breaker;
        this.capacity = capacity;
        this.stats = stats;
        this.estimatedTokens = estimatedTokens;
        stats.started();
    }

    BackendConfig backend() {
        return backend;
    }

    /**
     * @param firstTokenNanos {@link System#nanoTime()} of a stream's first chunk, 0 for whole answers
     */
    void succeeded(long totalTokens, long firstTokenNanos) {
        long now = System.nanoTime();
        if (breaker != null) {
            breaker.onSuccess(now - startNanos, TimeUnit.NANOSECONDS);
        }
        if (firstTokenNanos != 0) {
            stats.recordFirstToken(firstTokenNanos - startNanos);
        } else {
            stats.recordTotal(now - startNanos);
        }
        end(totalTokens);
    }

    /** The attempt failed; only failures that say something about the backend count against its breaker. */
    void failed(Throwable error, long billedTokens) {
        if (breaker != null) {
            if (backendFault(error)) {
                breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, error);
            } else {
                breaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            }
        }
        end(billedTokens);
    }

    /** The attempt ended for a reason unrelated to the backend (the client went away). */
    void abandoned(long billedTokens) {
        if (breaker != null) {
            breaker.releasePermission();
        }
        end(billedTokens);
    }

    private void end(long actualTokens) {
        stats.finished();
        capacity.settle(backend, estimatedTokens, actualTokens);
    }

    /** Transport failures, timeouts, 429, 5xx, refused credentials and slow first tokens; not the client's own 4xx. */
    static boolean backendFault(Throwable error) {
        if (error instanceof UpstreamException u) {
            return switch (u.kind()) {
                case CLIENT_ERROR, CONTEXT_WINDOW, CONTENT_POLICY -> false;
                default -> true;
            };
        }
        return true;
    }
}
