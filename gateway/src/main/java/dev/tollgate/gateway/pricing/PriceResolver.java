package dev.tollgate.gateway.pricing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.BackendPrices;
import dev.tollgate.api.config.PriceLookup;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The price of a backend: its own {@code pricing}, else the price catalog's for its provider and model (looked up once
 * per provider and model, then cached). The config loader refuses a backend with neither, so the last resort (zero,
 * counted in {@code tollgate_pricing_missing_total} and logged once) only serves a config built in code, and the mock
 * provider, which has no bill.
 */
public final class PriceResolver {

    private static final Logger LOG = LoggerFactory.getLogger(PriceResolver.class);

    private final PriceLookup catalog;
    private final GatewayMetrics metrics;
    private final ConcurrentMap<String, Optional<Pricing>> catalogued = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public PriceResolver(PriceLookup catalog, GatewayMetrics metrics) {
        this.catalog = catalog;
        this.metrics = metrics;
    }

    public Pricing pricing(BackendConfig backend) {
        if (backend.pricing() != null) {
            return backend.pricing();
        }
        Optional<Pricing> found = catalogued.computeIfAbsent(backend.provider() + '\u0000' + backend.model(),
                k -> catalog.find(backend.provider(), backend.model()));
        if (found.isPresent()) {
            return found.get();
        }
        if (!BackendPrices.MOCK_PROVIDER.equals(backend.provider())) {
            metrics.unpriced(backend.model());
            if (warned.add(backend.name())) {
                LOG.warn("model '{}' of backend '{}' has no price: its requests are recorded at cost 0; set pricing on the backend",
                        backend.model(), backend.name());
            }
        }
        return Pricing.FREE;
    }
}
