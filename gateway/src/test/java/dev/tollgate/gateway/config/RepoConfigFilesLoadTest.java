package dev.tollgate.gateway.config;

import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.gateway.Gateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML configs shipped in the repository load with the gateway's own loader, price check included: every backend
 * is priced (its own pricing, the catalog, free, or the mock provider), so the README's standalone command and the
 * benchmarks run as they are.
 */
class RepoConfigFilesLoadTest {

    private static final Path ROOT = Path.of(System.getProperty("tollgate.root", ".."));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"samples/standalone.yaml", "bench/bench.yaml", "bench/stream-gateway.yaml", "bench/stream-upstream.yaml"})
    void shippedConfigLoads(String file) {
        GatewayConfig config = Gateway.loader(Map.<String, String>of()::get).load(ROOT.resolve(file));

        assertThat(config.routes()).isNotEmpty();
    }
}
