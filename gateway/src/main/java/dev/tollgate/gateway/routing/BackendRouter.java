package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.gateway.limits.BackendCapacity;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.util.List;
import java.util.Set;

/**
 * Chooses the backend for one attempt: walks the strategy's order and takes the first backend whose circuit lets the
 * call through and whose own quota has room. Backends already tried by this request come last, so a retry goes to
 * another backend when there is one.
 */
public final class BackendRouter {

    private final BackendRanking ranking;
    private final CircuitBreakers breakers;
    private final BackendCapacity capacity;
    private final BackendStats stats;

    public BackendRouter(BackendRanking ranking, CircuitBreakers breakers, BackendCapacity capacity, BackendStats stats) {
        this.ranking = ranking;
        this.breakers = breakers;
        this.capacity = capacity;
        this.stats = stats;
    }

    /** @throws dev.tollgate.gateway.error.GatewayException (429 or 503) when no backend can take the call */
    Lease lease(RouteConfig route, boolean stream, long estimatedTokens, Set<String> tried) {
        List<BackendConfig> order = ranking.rank(route, stream);
        boolean someAtQuota = false;
        for (int pass = 0; pass < 2; pass++) {
            for (BackendConfig b : order) {
                if (tried.contains(b.name()) != (pass == 1)) {
                    continue;
                }
                CircuitBreaker breaker = breakers.of(b, route.circuitBreaker());
                if (breaker != null && !breaker.tryAcquirePermission()) {
                    continue;
                }
                if (!capacity.tryAcquire(b, estimatedTokens)) {
                    someAtQuota = true;
                    if (breaker != null) {
                        breaker.releasePermission();
                    }
                    continue;
                }
                return new Lease(b, breaker, capacity, stats.of(b), estimatedTokens);
            }
        }
        throw RoutingErrors.noBackend(route.model(), someAtQuota);
    }
}
