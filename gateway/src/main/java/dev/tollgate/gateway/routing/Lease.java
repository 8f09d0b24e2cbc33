package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.limits.BackendCapacity;
import dev.tollgate.gateway.provider.UpstreamException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.util.concurrent.TimeUnit;

/**
 * One attempt's hold on a backend: its circuit breaker permission, its quota and an in-flight slot. Ended exactly
 * once, by {@link #succeeded}, {@link #failed}, {@link #timedOut}, {@link #notSent} or {@link #abandoned}, which report
 * to all three.
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

    /**
     * The upstream refused or failed the attempt. Only an upstream fault ({@link #backendFault}) counts against the
     * backend's breaker; the upstream's answer to a bad request counts as a call that worked.
     */
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

    /** The watchdog ended the attempt (whole-request, first-token or idle limit): a backend fault. */
    void timedOut(Throwable error, long billedTokens) {
        if (breaker != null) {
            breaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, error);
        }
        end(billedTokens);
    }

    /**
     * The attempt never became an upstream call that says anything about the backend: the request could not be
     * translated for it (a 400 for this client alone) or the gateway failed before the answer. The breaker's permission
     * and the backend's quota (the request and its tokens) are given back, so one client's bad requests cannot shut the
     * backend for the others.
     */
    void notSent() {
        if (breaker != null) {
            breaker.releasePermission();
        }
        stats.finished();
        capacity.refund(backend, estimatedTokens);
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

    /**
     * Upstream faults: transport failures, timeouts, 429, 5xx, invalid answers and refused gateway credentials. Not the
     * upstream's 4xx answer to the client's request, and nothing that is not an {@link UpstreamException}.
     */
    static boolean backendFault(Throwable error) {
        return error instanceof UpstreamException u && u.backendFault();
    }
}
