package dev.tollgate.gateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.Timeouts;
import dev.tollgate.gateway.config.RuntimeConfig;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.CredentialScrub;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRegistry;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.request.ModelRequest;
import dev.tollgate.gateway.usage.Usage;
import io.github.resilience4j.retry.Retry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The route and provider stages of a request: runs attempts on the route's backends under its Resilience4j retry
 * (a retry prefers a backend not tried yet), each attempt guarded by a circuit breaker, the backend's quota and the
 * {@link AttemptWatchdog}; when the route gives up, walks its fallback chain — {@code contextWindowFallbacks} or
 * {@code contentPolicyFallbacks} for those refusals, {@code fallbacks} otherwise. Once the first byte of a stream has
 * gone to the client, a failure is final. Everything it did is written to the {@link RouteTrace}.
 */
public final class RouteExecutor {

    /**
     * How long after the attempt's deadline the HTTP client gives up by itself. The watchdog ends the attempt at the
     * deadline and says why (a timed-out attempt is billed its prompt); with both at the same instant, a loaded
     * machine let the client's timer win now and then, and the attempt went unbilled as a plain upstream failure.
     */
    private static final Duration TRANSPORT_BACKSTOP = Duration.ofSeconds(1);

    private final BackendRouter router;
    private final ProviderRegistry providers;
    private final AttemptWatchdog watchdog;
    private final Clock clock;
    private final RouteRetries retries = new RouteRetries();

    public RouteExecutor(BackendRouter router, ProviderRegistry providers, AttemptWatchdog watchdog, Clock clock) {
        this.router = router;
        this.providers = providers;
        this.watchdog = watchdog;
        this.clock = clock;
    }

    /** A whole answer. */
    public ProviderResponse complete(RuntimeConfig config, RouteConfig route, RoutedRequest request, RouteTrace trace) {
        try {
            return run(config, route, request, trace, new Call<>() {
                @Override
                public ProviderResponse call(Provider provider, ProviderRequest r, AttemptWatchdog.Guard guard) {
                    return request.api().call(provider, r);
                }

                @Override
                public Usage usage(ProviderResponse out) {
                    return out.usage();
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("a whole answer has no client stream", e);
        }
    }

    /**
     * A streamed answer, chunk by chunk to {@code sink}.
     *
     * @param beforeFirstByte runs once, just before the first chunk goes to the client (e.g. to set headers)
     * @throws IOException when the client went away
     */
    public StreamResult stream(RuntimeConfig config, RouteConfig route, RoutedRequest request, RouteTrace trace, ChunkSink sink,
                               Runnable beforeFirstByte) throws IOException {
        return run(config, route, request, trace, new Call<>() {
            @Override
            public StreamResult call(Provider provider, ProviderRequest r, AttemptWatchdog.Guard guard) throws IOException {
                return request.api().stream(provider, r, new ChunkSink() {
                    @Override
                    public void send(JsonNode chunk, byte[] raw) throws IOException {
                        arrived();
                        sink.send(chunk, raw);
                    }

                    @Override
                    public void sendJson(byte[] json, String text, boolean hold) throws IOException {
                        arrived();
                        sink.sendJson(json, text, hold);
                    }

                    @Override
                    public void flush() throws IOException {
                        sink.flush();
                    }

                    private void arrived() {
                        guard.chunk();
                        if (!trace.committed()) {
                            beforeFirstByte.run();
                            trace.commit();
                        }
                    }
                });
            }

            @Override
            public Usage usage(StreamResult out) {
                return out.usage();
            }
        });
    }

    private <T> T run(RuntimeConfig config, RouteConfig route, RoutedRequest request, RouteTrace trace, Call<T> call) throws IOException {
        try {
            return onRoute(route, request, trace, call);
        } catch (GatewayException first) {
            GatewayException last = first;
            for (String name : fallbacksFor(route, first, trace)) {
                RouteConfig next = config.route(name);
                if (next == null) {
                    continue;
                }
                trace.fallbackTo(next.model());
                try {
                    return onRoute(next, request, trace, call);
                } catch (GatewayException e) {
                    last = e;
                    if (trace.committed() || isClientError(e)) {
                        throw e;
                    }
                }
            }
            throw last;
        }
    }

    private static List<String> fallbacksFor(RouteConfig route, GatewayException error, RouteTrace trace) {
        if (trace.committed()) {
            return List.of();
        }
        if (error instanceof UpstreamException u) {
            return switch (u.kind()) {
                case CONTEXT_WINDOW -> route.contextWindowFallbacks();
                case CONTENT_POLICY -> route.contentPolicyFallbacks();
                case CLIENT_ERROR -> List.of();
                default -> route.fallbacks();
            };
        }
        return isClientError(error) ? List.of() : route.fallbacks();
    }

    /**
     * The client's own fault, the same on any route: the upstream's 4xx answer to its request, or a request the
     * gateway could not translate for the backend (a 4xx of its own). A 429 (backends at their quota) is not.
     */
    private static boolean isClientError(GatewayException e) {
        if (e instanceof UpstreamException u) {
            return u.kind() == UpstreamException.Kind.CLIENT_ERROR;
        }
        return e.status() >= 400 && e.status() < 500 && e.status() != 429;
    }

    private <T> T onRoute(RouteConfig route, RoutedRequest request, RouteTrace trace, Call<T> call) throws IOException {
        Retry retry = retries.of(route);
        Set<String> tried = new HashSet<>(4);
        try {
            return Retry.decorateCheckedSupplier(retry, () -> attempt(route, request, trace, call, tried)).get();
        } catch (AfterFirstByte e) {
            throw e.error;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private <T> T attempt(RouteConfig route, RoutedRequest routed, RouteTrace trace, Call<T> call, Set<String> tried) throws IOException {
        ModelRequest request = routed.request();
        if (trace.isClientGone()) {
            throw new IOException("the client went away");
        }
        Lease lease = router.lease(route, request.stream(), routed.estimatedTokens(), tried);
        BackendConfig backend = lease.backend();
        tried.add(backend.name());
        trace.begin(route.model(), backend, clock.instant());
        Timeouts t = route.timeouts();
        boolean stream = request.stream();
        AttemptWatchdog.Guard guard = watchdog.watch(t.request(), stream ? t.firstToken() : null,
                stream ? route.firstTokenFallbackAfter() : null, stream ? t.idle() : null);
        trace.running(guard);
        ProviderRequest providerRequest = new ProviderRequest(routed.requestId(), request.endpoint(), backend, request.body(),
                stream, request.clientWantsUsage(), t.request().plus(TRANSPORT_BACKSTOP), route.dropUnsupportedParams(), t.connect(),
                request.rawBody());
        T out;
        try {
            out = call.call(providers.get(backend.provider()), providerRequest, guard);
        } catch (IOException clientGone) {
            guard.disarm();
            lease.abandoned(0);
            trace.abandoned(clock.instant());
            throw clientGone;
        } catch (RuntimeException e) {
            AttemptWatchdog.Reason timedOut = guard.disarm();
            RuntimeException error;
            if (timedOut == AttemptWatchdog.Reason.CLIENT_GONE) {
                lease.abandoned(0);
                trace.abandoned(clock.instant());
                throw new IOException("the client went away");
            } else if (timedOut != null) {
                error = timeoutError(timedOut, backend);
                // a timed-out attempt was accepted upstream: its prompt is billed (the stream's own row covers a committed one)
                Usage billed = !trace.committed() ? routed.promptUsage().get() : null;
                lease.timedOut(error, billed == null ? 0 : billed.totalTokens());
                trace.end(clock.instant(), billed, (GatewayException) error);
            } else if (e instanceof UpstreamException u) {
                error = CredentialScrub.scrub(u, backend);
                lease.failed(error, 0);
                trace.end(clock.instant(), null, (GatewayException) error);
            } else {
                // never an upstream outcome: the provider could not translate this client's request (a 400 for it
                // alone), or the gateway itself failed; the backend's breaker and quota are left as they were
                error = e;
                lease.notSent();
                trace.end(clock.instant(), null, e instanceof GatewayException g ? g : null);
            }
            if (trace.committed() && error instanceof GatewayException g) {
                throw new AfterFirstByte(g);
            }
            throw error;
        }
        guard.disarm();
        Usage usage = call.usage(out);
        lease.succeeded(usage == null ? routed.estimatedTokens() : usage.totalTokens(), guard.firstChunkNanos());
        trace.end(clock.instant(), usage, null);
        return out;
    }

    private static GatewayException timeoutError(AttemptWatchdog.Reason reason, BackendConfig backend) {
        return reason == AttemptWatchdog.Reason.SLOW_FIRST_TOKEN
                ? RoutingErrors.slowFirstToken(backend.name())
                : UpstreamException.timeout(backend.name());
    }

    /** One attempt's call on a provider: whole or streamed. */
    private interface Call<T> {
        T call(Provider provider, ProviderRequest request, AttemptWatchdog.Guard guard) throws IOException;

        /** Usage the provider reported, or null. */
        Usage usage(T out);
    }

    /** A failure after the first byte: not retryable (it is not an {@link UpstreamException}), unwrapped after the retry. */
    private static final class AfterFirstByte extends RuntimeException {
        final GatewayException error;

        AfterFirstByte(GatewayException error) {
            super(null, null, false, false);
            this.error = error;
        }
    }
}
