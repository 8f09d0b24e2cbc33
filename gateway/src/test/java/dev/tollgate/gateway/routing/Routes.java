package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.CircuitBreakerSettings;
import dev.tollgate.api.config.MockSettings;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.api.config.RouteConfig;
import dev.tollgate.api.config.RoutingStrategy;

import java.math.BigDecimal;
import java.util.List;

/** Small routes and backends for routing unit tests. */
final class Routes {

    private Routes() {
    }

    static BackendConfig backend(String name, int weight, int priority, String inputPrice) {
        return new BackendConfig(name, "mock", "m-" + name, null, null, weight, priority,
                new Pricing(new BigDecimal(inputPrice), new BigDecimal(inputPrice), null, null), MockSettings.defaults(), null, null, null, null, null);
    }

    static BackendConfig backend(String name, int weight) {
        return backend(name, weight, 0, "1");
    }

    static RouteConfig route(RoutingStrategy strategy, CircuitBreakerSettings breaker, BackendConfig... backends) {
        return new RouteConfig("model", List.of(), List.of(backends), strategy, 0, null, null, breaker,
                List.of(), List.of(), List.of(), null, false);
    }

    static RouteConfig route(RoutingStrategy strategy, BackendConfig... backends) {
        return route(strategy, null, backends);
    }
}
