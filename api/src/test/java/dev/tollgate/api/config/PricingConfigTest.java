package dev.tollgate.api.config;

import dev.tollgate.api.pricing.PriceCatalog;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A backend's price: its own pricing, free: true, or the catalog; a backend with none of them is refused. */
class PricingConfigTest {

    private static final ConfigLoader LOADER = new ConfigLoader(Map.<String, String>of()::get,
            Set.of("openai", "anthropic", "vllm", "mock"), Map.of(), PriceCatalog.builtIn());

    private static GatewayConfig load(String backends) {
        return LOADER.parse("""
                routes:
                  - model: chat
                    backends:
                %s
                """.formatted(backends.indent(6).stripTrailing()));
    }

    private static BackendConfig backend(String yaml) {
        return load(yaml).routes().getFirst().backends().getFirst();
    }

    @Test
    void catalogedModelWithoutPricingLoads() {
        assertThat(backend("- { name: main, provider: openai, model: gpt-4o-2024-08-06, baseUrl: 'http://u/v1' }").pricing()).isNull();
    }

    @Test
    void unpricedBackendIsAnErrorNamingTheRouteTheBackendAndTheFix() {
        assertThatThrownBy(() -> load("""
                - { name: ok, provider: openai, model: gpt-4o, baseUrl: 'http://u/v1' }
                - { name: tuned, provider: openai, model: ft-my-model, baseUrl: 'http://u/v1' }
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).containsExactly(
                        "routes[0].backends[1]: backend 'tuned' of route 'chat': model 'ft-my-model' of provider 'openai' has no price: "
                                + "it is not in the built-in price catalog (as of 2026-09-23) and the backend sets no pricing; "
                                + "add pricing: { inputPerMillion: <USD>, outputPerMillion: <USD> } to the backend, "
                                + "or pricing: { free: true } for a self-hosted model"));
    }

    @Test
    void selfHostedModelMustBeDeclaredFree() {
        assertThatThrownBy(() -> load("- { name: local, provider: vllm, model: llama-3.3-70b, baseUrl: 'http://vllm:8000/v1' }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model 'llama-3.3-70b' of provider 'vllm' has no price");

        BackendConfig free = backend("- { name: local, provider: vllm, model: llama-3.3-70b, baseUrl: 'http://vllm:8000/v1', pricing: { free: true } }");
        assertThat(free.pricing()).isEqualTo(Pricing.FREE);
    }

    @Test
    void explicitZeroPricesAreAPriceToo() {
        BackendConfig b = backend("- { name: local, provider: vllm, model: m, baseUrl: 'http://v/v1', pricing: { inputPerMillion: 0, outputPerMillion: 0 } }");
        assertThat(b.pricing().inputPerMillion()).isZero();
    }

    @Test
    void freeWithPricesIsRefused() {
        assertThatThrownBy(() -> load("- { name: local, provider: vllm, model: m, baseUrl: 'http://v/v1', pricing: { free: true, inputPerMillion: 1 } }"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors())
                        .containsExactly("routes[0].backends[0].pricing.free: give either free: true or prices, not both"));
    }

    @Test
    void mockProviderNeedsNoPrice() {
        assertThat(backend("- { name: demo, provider: mock, model: anything }").pricing()).isNull();
    }

    @Test
    void ownPricingIsKeptOverTheCatalog() {
        BackendConfig b = backend("- { name: main, provider: openai, model: gpt-4o, baseUrl: 'http://u/v1', "
                + "pricing: { inputPerMillion: 2.00, outputPerMillion: 8.00 } }");
        assertThat(b.pricing().inputPerMillion()).isEqualByComparingTo("2");
    }

    @Test
    void reasoningAndLongContextPricesAreReadAndWrittenBack() {
        GatewayConfig config = load("""
                - name: main
                  provider: anthropic
                  model: house-model
                  baseUrl: 'http://u/v1'
                  pricing:
                    inputPerMillion: 3
                    outputPerMillion: 15
                    reasoningPerMillion: 20
                    longContext: { aboveInputTokens: 200000, inputPerMillion: 6, outputPerMillion: 22.5 }
                """);
        Pricing p = config.routes().getFirst().backends().getFirst().pricing();

        assertThat(p.reasoningPerMillion()).isEqualByComparingTo("20");
        assertThat(p.longContext()).isEqualTo(new Pricing.LongContext(200_000,
                new Pricing(new BigDecimal("6"), new BigDecimal("22.5"), null, null)));
        assertThat(LOADER.parse(ConfigWriter.write(ConfigWriter.tree(config)))).isEqualTo(config);
    }

    @Test
    void aLoaderWithoutAPriceLookupDoesNotCheckPrices() {
        GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get, Set.of(), Map.of(), null).parse("""
                routes:
                  - model: chat
                    backends:
                      - { name: tuned, provider: openai, model: ft-my-model, baseUrl: 'http://u/v1' }
                """);
        assertThat(config.routes()).hasSize(1);
    }
}
