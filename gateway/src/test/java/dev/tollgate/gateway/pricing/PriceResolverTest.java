package dev.tollgate.gateway.pricing;

import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.config.Pricing;
import dev.tollgate.api.pricing.PriceCatalog;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** Precedence: the backend's own pricing, then the catalog; zero only for the mock provider or a config built in code. */
class PriceResolverTest {

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final PriceResolver resolver = new PriceResolver(PriceCatalog.builtIn(), metrics);

    private static BackendConfig backend(String provider, String model, Pricing pricing) {
        return new BackendConfig("b", provider, model, URI.create("http://127.0.0.1:1/v1"), null, 1, 0, pricing, null, null, null, null, null, null);
    }

    @Test
    void ownPricingOverridesTheCatalog() {
        Pricing contract = new Pricing(new BigDecimal("2.00"), new BigDecimal("8.00"), null, null);

        assertThat(resolver.pricing(backend("openai", "gpt-4o", contract))).isSameAs(contract);
    }

    @Test
    void aBackendWithoutPricingGetsTheCatalogPriceOfItsProviderAndModel() {
        Pricing p = resolver.pricing(backend("openai", "gpt-4o-2024-11-20", null));

        assertThat(p).isEqualTo(PriceCatalog.builtIn().find("openai", "gpt-4o").orElseThrow());
        assertThat(p.inputPerMillion()).isEqualByComparingTo("2.5");
    }

    @Test
    void freeIsZeroOnPurpose() {
        assertThat(resolver.pricing(backend("vllm", "llama", Pricing.FREE))).isEqualTo(Pricing.FREE);
        assertThat(missing()).isZero();
    }

    @Test
    void theMockProviderCostsNothingAndIsNotCountedAsMissing() {
        assertThat(resolver.pricing(backend("mock", "mock-gpt", null))).isEqualTo(Pricing.FREE);
        assertThat(missing()).isZero();
    }

    @Test
    void anUnpricedBackendBuiltInCodeIsCountedAsMissing() {
        assertThat(resolver.pricing(backend("openai", "no-such-model", null))).isEqualTo(Pricing.FREE);
        resolver.pricing(backend("openai", "no-such-model", null));

        assertThat(missing()).isEqualTo(2);
    }

    private double missing() {
        Counter c = metrics.registry().find("tollgate.pricing.missing").counter();
        return c == null ? 0 : c.count();
    }
}
