package dev.tollgate.gateway.routing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.RouteConfig;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Picks a route's backend at random in proportion to its weight (the default strategy). */
public final class BackendSelector {

    public BackendConfig pick(RouteConfig route) {
        List<BackendConfig> backends = route.backends();
        if (backends.size() == 1) {
            return backends.getFirst();
        }
        int total = 0;
        for (BackendConfig b : backends) {
            total += b.weight();
        }
        if (total <= 0) {
            return backends.get(ThreadLocalRandom.current().nextInt(backends.size()));
        }
        int r = ThreadLocalRandom.current().nextInt(total);
        for (BackendConfig b : backends) {
            r -= b.weight();
            if (r < 0) {
                return b;
            }
        }
        return backends.getLast();
    }
}
