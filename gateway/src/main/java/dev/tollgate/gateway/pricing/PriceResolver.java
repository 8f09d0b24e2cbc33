package dev.tollgate.gateway.pricing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The price of a backend: its own {@code pricing}, else the built-in table, else zero — counted in a metric
 * and logged once per model so a missing price is noticed.
 */
public final class PriceResolver {

    private static final Logger LOG = LoggerFactory.getLogger(PriceResolver.class);

    private final PriceTable table;
    private final GatewayMetrics metrics;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public PriceResolver(PriceTable table, GatewayMetrics metrics) {
        this.table = table;
        this.metrics = metrics;
    }

    public Pricing pricing(BackendConfig backend) {
        if (backend.pricing() != null) {
            return backend.pricing();
        }
        Pricing builtIn = table.find(backend.model()).orElse(null);
        if (builtIn != null) {
            return builtIn;
        }
        metrics.unpriced(backend.model());
        if (warned.add(backend.model())) {
            LOG.warn("model '{}' of backend '{}' has no price: its requests are recorded at cost 0; set pricing on the backend",
                    backend.model(), backend.name());
        }
        return Pricing.FREE;
    }
}
