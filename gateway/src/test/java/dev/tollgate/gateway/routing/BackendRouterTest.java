package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.CircuitBreakerSettings;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.limits.BackendCapacity;
import dev.tollgate.gateway.provider.UpstreamException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static dev.tollgate.api.config.RoutingStrategy.PRIORITY;
import static dev.tollgate.api.config.RoutingStrategy.WEIGHTED;
import static dev.tollgate.gateway.routing.Routes.backend;
import static dev.tollgate.gateway.routing.Routes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The router skips backends at their quota or with an open circuit; breakers open, cool down and close. */
class BackendRouterTest {

    private static final CircuitBreakerSettings BREAKER = new CircuitBreakerSettings(3, Duration.ofSeconds(30), 1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CircuitBreakers breakers = new CircuitBreakers(clock, meters);
    private final BackendStats stats = new BackendStats();
    private final QuotaSpy capacity = new QuotaSpy();
    private final BackendRouter router = new BackendRouter(new BackendRanking(new Random(7), stats, BackendConfig::pricing),
            breakers, capacity, stats);

    /** A backend quota that refuses the named backends and records settlements. */
    static final class QuotaSpy implements BackendCapacity {
        final Set<String> full = new HashSet<>();
        final List<String> settled = new ArrayList<>();

        @Override
        public boolean tryAcquire(BackendConfig backend, long estimatedTokens) {
            return !full.contains(backend.name());
        }

        @Override
        public void settle(BackendConfig backend, long estimatedTokens, long actualTokens) {
            settled.add(backend.name() + ":" + estimatedTokens + "->" + actualTokens);
        }

        @Override
        public void refund(BackendConfig backend, long estimatedTokens) {
            settled.add(backend.name() + ":" + estimatedTokens + "->refunded");
        }
    }

    private void fail(RouteConfig route, String backendName) {
        Lease lease = router.lease(route, false, 10, Set.of());
        assertThat(lease.backend().name()).isEqualTo(backendName);
        lease.failed(UpstreamException.timeout(backendName), 0);
    }

    @Test
    void backendAtItsQuotaIsSkippedAndTheOtherSettled() {
        RouteConfig route = route(WEIGHTED, backend("a", 100), backend("b", 1));
        capacity.full.add("a");
        for (int i = 0; i < 50; i++) {
            Lease lease = router.lease(route, false, 10, Set.of());
            assertThat(lease.backend().name()).isEqualTo("b");
            lease.succeeded(25, 0);
        }
        assertThat(capacity.settled).hasSize(50).containsOnly("b:10->25");
    }

    @Test
    void everyBackendAtQuotaIsA429() {
        capacity.full.addAll(List.of("a", "b"));
        assertThatThrownBy(() -> router.lease(route(WEIGHTED, backend("a", 1), backend("b", 1)), false, 10, Set.of()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("backends_at_capacity");
                });
    }

    @Test
    void retryPrefersABackendNotTriedYet() {
        RouteConfig route = route(WEIGHTED, backend("a", 1000), backend("b", 1));
        for (int i = 0; i < 20; i++) {
            Lease lease = router.lease(route, false, 1, Set.of("a"));
            assertThat(lease.backend().name()).isEqualTo("b");
            lease.succeeded(1, 0);
        }
        Lease again = router.lease(route, false, 1, Set.of("a", "b"));
        assertThat(again.backend().name()).isIn("a", "b");
        again.succeeded(1, 0);
    }

    @Test
    void breakerOpensAfterTheConfiguredFailuresSkipsTheBackendAndClosesAfterTheCooldown() {
        RouteConfig route = route(PRIORITY, BREAKER, backend("primary", 1, 0, "1"), backend("secondary", 1, 1, "1"));
        fail(route, "primary");
        fail(route, "primary");
        CircuitBreaker breaker = breakers.of(route.backends().getFirst(), BREAKER);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        fail(route, "primary");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(29));
        Lease skipped = router.lease(route, false, 1, Set.of());
        assertThat(skipped.backend().name()).isEqualTo("secondary");
        skipped.succeeded(1, 0);

        clock.advance(Duration.ofSeconds(2));
        Lease probe = router.lease(route, false, 1, Set.of());
        assertThat(probe.backend().name()).isEqualTo("primary");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        Lease duringProbe = router.lease(route, false, 1, Set.of());
        assertThat(duringProbe.backend().name()).as("only one probe at a time").isEqualTo("secondary");
        duringProbe.succeeded(1, 0);
        probe.succeeded(1, 0);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        Lease back = router.lease(route, false, 1, Set.of());
        assertThat(back.backend().name()).isEqualTo("primary");
        back.succeeded(1, 0);
    }

    @Test
    void failedProbeOpensTheCircuitAgain() {
        RouteConfig route = route(PRIORITY, BREAKER, backend("primary", 1, 0, "1"), backend("secondary", 1, 1, "1"));
        for (int i = 0; i < 3; i++) {
            fail(route, "primary");
        }
        clock.advance(Duration.ofSeconds(31));
        fail(route, "primary");
        assertThat(breakers.of(route.backends().getFirst(), BREAKER).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        Lease lease = router.lease(route, false, 1, Set.of());
        assertThat(lease.backend().name()).isEqualTo("secondary");
        lease.succeeded(1, 0);
    }

    @Test
    void clientErrorsDoNotCountAgainstTheBackend() {
        RouteConfig route = route(WEIGHTED, BREAKER, backend("a", 1));
        for (int i = 0; i < 10; i++) {
            router.lease(route, false, 1, Set.of()).failed(new UpstreamException(UpstreamException.Kind.CONTEXT_WINDOW, 400,
                    "invalid_request_error", "context_length_exceeded", "too long", null), 0);
        }
        assertThat(breakers.of(route.backends().getFirst(), BREAKER).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void requestsThatNeverWentUpstreamGiveBackTheBreakerPermissionAndTheQuota() {
        RouteConfig route = route(WEIGHTED, BREAKER, backend("a", 1));
        for (int i = 0; i < 10; i++) {
            router.lease(route, false, 7, Set.of()).notSent();
        }
        CircuitBreaker breaker = breakers.of(route.backends().getFirst(), BREAKER);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
        assertThat(capacity.settled).hasSize(10).allMatch(s -> s.equals("a:7->refunded"));
        assertThat(stats.of(route.backends().getFirst()).inFlight()).isZero();
    }

    @Test
    void onlyUpstreamFaultsOpenTheBreaker() {
        RouteConfig route = route(WEIGHTED, BREAKER, backend("a", 1));
        for (int i = 0; i < 10; i++) {
            router.lease(route, false, 1, Set.of()).failed(GatewayException.invalidRequest("logit_bias", "unsupported"), 0);
            router.lease(route, false, 1, Set.of()).failed(new NullPointerException(), 0);
        }
        assertThat(breakers.of(route.backends().getFirst(), BREAKER).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        for (int i = 0; i < 3; i++) {
            router.lease(route, false, 1, Set.of()).failed(new UpstreamException(UpstreamException.Kind.AUTH, 502, "api_error",
                    "upstream_auth_failed", "refused", null), 0);
        }
        assertThat(breakers.of(route.backends().getFirst(), BREAKER).getState()).as("refused gateway credentials count")
                .isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void everyCircuitOpenIsA503() {
        RouteConfig route = route(WEIGHTED, BREAKER, backend("a", 1));
        for (int i = 0; i < 3; i++) {
            fail(route, "a");
        }
        assertThatThrownBy(() -> router.lease(route, false, 1, Set.of()))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void breakerStateIsAMetricPerBackend() {
        RouteConfig route = route(WEIGHTED, BREAKER, backend("a", 1));
        for (int i = 0; i < 3; i++) {
            fail(route, "a");
        }
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "a").tag("state", "open").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "a").tag("state", "closed").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void inFlightCountsFollowLeases() {
        RouteConfig route = route(WEIGHTED, backend("a", 1));
        Lease one = router.lease(route, false, 1, Set.of());
        Lease two = router.lease(route, false, 1, Set.of());
        assertThat(stats.of(route.backends().getFirst()).inFlight()).isEqualTo(2);
        one.succeeded(1, 0);
        two.abandoned(0);
        assertThat(stats.of(route.backends().getFirst()).inFlight()).isZero();
    }
}
