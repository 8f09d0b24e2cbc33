package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.tracing.AttemptSpan;
import dev.tollgate.gateway.tracing.RequestSpan;
import dev.tollgate.gateway.usage.Usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What routing did for one client request: every attempt (route, backend, outcome, billed tokens), the fallback route
 * that served it, and whether the first byte has gone to the client. Read by the pipeline for headers and the ledger.
 */
public final class RouteTrace {

    /**
     * One attempt on one backend.
     *
     * @param route       the route whose backend it was
     * @param backend     the backend
     * @param startedAt   when it started
     * @param endedAt     when it ended, null while it runs
     * @param billedUsage tokens the provider billed for it, null when none (see docs/routing.md)
     * @param error       why it failed, null when it succeeded
     */
    public record Attempt(String route, BackendConfig backend, Instant startedAt, Instant endedAt, Usage billedUsage,
                          GatewayException error) {
    }

    private final List<Attempt> attempts = new ArrayList<>(2);
    private final RequestSpan span;
    private AttemptSpan attemptSpan = AttemptSpan.NONE;
    private String fallbackRoute;
    private volatile boolean committed;
    private volatile boolean clientGone;
    private volatile AttemptWatchdog.Guard running;

    /** A trace of an untraced request. */
    public RouteTrace() {
        this(RequestSpan.NONE);
    }

    /** @param span the request's span: each attempt becomes a child span of it */
    public RouteTrace(RequestSpan span) {
        this.span = span;
    }

    /** The request's span. */
    public RequestSpan span() {
        return span;
    }

    /** Attempts so far, the one running included. */
    public int attemptCount() {
        return attempts.size();
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The fallback route that served (or last tried to serve) the request; null when its own route did. */
    public String fallbackRoute() {
        return fallbackRoute;
    }

    /** The backend of the running or last attempt, null before any. */
    public BackendConfig backend() {
        return attempts.isEmpty() ? null : attempts.getLast().backend();
    }

    /** Tokens billed for the last attempt, null when none. */
    public Usage lastBilledUsage() {
        return attempts.isEmpty() ? null : attempts.getLast().billedUsage();
    }

    /** Response headers saying what happened: backend, {@code x-tollgate-attempts}, {@code x-tollgate-fallback}. */
    public Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>(4);
        if (backend() != null) {
            h.put("x-tollgate-backend", backend().name());
        }
        h.put("x-tollgate-attempts", Integer.toString(attempts.size()));
        if (fallbackRoute != null) {
            h.put("x-tollgate-fallback", fallbackRoute);
        }
        return h;
    }

    /** Whether the first byte of the answer has gone to the client (no failover after that). */
    public boolean committed() {
        return committed;
    }

    /**
     * The client went away: the running attempt is ended at once (its upstream call aborted) and no other starts, so
     * its limits, slot and upstream connection are released without waiting for the upstream. Any thread may call it.
     */
    public void clientGone() {
        clientGone = true;
        AttemptWatchdog.Guard g = running;
        if (g != null) {
            g.clientGone();
        }
    }

    boolean isClientGone() {
        return clientGone;
    }

    /** The guard of the attempt now running, ended by {@link #clientGone()}. */
    void running(AttemptWatchdog.Guard guard) {
        running = guard;
        if (clientGone) {
            guard.clientGone();
        }
    }

    void commit() {
        committed = true;
    }

    void fallbackTo(String route) {
        fallbackRoute = route;
    }

    void begin(String route, BackendConfig backend, Instant startedAt) {
        attempts.add(new Attempt(route, backend, startedAt, null, null, null));
        attemptSpan = span.attempt(route, backend, attempts.size(), fallbackRoute != null);
    }

    void end(Instant endedAt, Usage billedUsage, GatewayException error) {
        record(endedAt, billedUsage, error).end(billedUsage, error == null ? null : error.code() != null ? error.code() : error.type());
    }

    /** The running attempt ended because the client went away. */
    void abandoned(Instant endedAt) {
        record(endedAt, null, null).end(null, "client_disconnected");
    }

    /** Records the running attempt's end; returns its span, to be ended. */
    private AttemptSpan record(Instant endedAt, Usage billedUsage, GatewayException error) {
        Attempt a = attempts.getLast();
        attempts.set(attempts.size() - 1, new Attempt(a.route(), a.backend(), a.startedAt(), endedAt, billedUsage, error));
        AttemptSpan ended = attemptSpan;
        attemptSpan = AttemptSpan.NONE;
        return ended;
    }
}
