package dev.tollgate.api.config;

import dev.tollgate.api.provider.ProviderSpecs;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Provider-specific backend settings: default base URLs, api versions, regions, AWS credentials, cache-write prices. */
class ProviderSettingsConfigTest {

    final ConfigLoader loader = new ConfigLoader(Map.of("AWS_SECRET", "s3cr3t-value")::get,
            Set.of("azure", "bedrock", "anthropic", "openai"),
            Map.of("anthropic", "https://api.anthropic.com", "bedrock", "https://bedrock-runtime.{region}.amazonaws.com"), null);

    GatewayConfig parse(String routes) {
        return loader.parse("gateway: { port: 0 }\n" + routes);
    }

    @Test
    void bedrockBackendGetsRegionalBaseUrlAndCredentialsFromEnvironment() {
        BackendConfig b = parse("""
                routes:
                  - model: m
                    dropUnsupportedParams: true
                    backends:
                      - name: br
                        provider: bedrock
                        model: anthropic.claude-3-haiku-20240307-v1:0
                        region: eu-west-3
                        aws: { accessKeyId: AKID, secretAccessKey: "${AWS_SECRET}" }
                        pricing: { inputPerMillion: 1, outputPerMillion: 2, cacheWriteInputPerMillion: 1.25 }
                """).routes().getFirst().backends().getFirst();
        assertThat(b.baseUrl()).hasToString("https://bedrock-runtime.eu-west-3.amazonaws.com");
        assertThat(b.aws().secretAccessKey()).isEqualTo("s3cr3t-value");
        assertThat(b.pricing().cacheWriteOrInput()).isEqualByComparingTo(new BigDecimal("1.25"));
        assertThat(b.toString()).doesNotContain("s3cr3t-value").doesNotContain("AKID");
        assertThat(parse("""
                routes:
                  - model: m
                    dropUnsupportedParams: true
                    backends: [ { provider: anthropic, model: c } ]
                """).routes().getFirst().dropUnsupportedParams()).isTrue();
    }

    @Test
    void missingOrInvalidProviderSettingsAreReportedByFieldPath() {
        assertThatThrownBy(() -> parse("""
                routes:
                  - model: m
                    backends:
                      - { name: a, provider: azure, model: d, baseUrl: "https://x.openai.azure.com" }
                      - { name: b, provider: bedrock, model: x }
                      - { name: c, provider: bedrock, model: x, region: "Mars 1", aws: { accessKeyId: k } }
                    dropUnsupportedParams: maybe
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].backends[0].apiVersion: is required for provider 'azure'")
                .hasMessageContaining("routes[0].backends[1].region: is required for provider 'bedrock'")
                .hasMessageContaining("routes[0].backends[1].aws: is required for provider 'bedrock'")
                .hasMessageContaining("routes[0].backends[2].region: must be a region name")
                .hasMessageContaining("routes[0].backends[2].aws.secretAccessKey: is required")
                .hasMessageContaining("routes[0].dropUnsupportedParams: must be true or false");
    }

    @Test
    void specsDecideDefaultsAndRequiredFields() {
        ConfigLoader specs = new ConfigLoader(Map.<String, String>of()::get, ProviderSpecs.ALL, null);
        assertThatThrownBy(() -> specs.parse("""
                gateway: { port: 0 }
                routes:
                  - model: m
                    backends:
                      - { name: a, provider: azure, model: d }
                      - { name: b, provider: bedrock, model: x, region: us-east-1 }
                      - { name: c, provider: nope, model: x }
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].backends[0].baseUrl: is required")
                .hasMessageContaining("routes[0].backends[0].apiVersion: is required for provider 'azure' (e.g. 2024-10-21)")
                .hasMessageContaining("routes[0].backends[1].aws: is required for provider 'bedrock' (accessKeyId and secretAccessKey)")
                .hasMessageContaining("routes[0].backends[2].provider: unknown provider 'nope'");
        GatewayConfig config = specs.parse("""
                gateway: { port: 0 }
                routes:
                  - model: m
                    backends:
                      - { name: g, provider: groq, model: llama }
                      - { name: k, provider: mock, model: tiny }
                """);
        assertThat(config.routes().getFirst().backends().get(0).baseUrl()).hasToString("https://api.groq.com/openai/v1");
        assertThat(config.routes().getFirst().backends().get(1).baseUrl()).isNull();
        assertThat(config.routes().getFirst().backends().get(1).mock()).isEqualTo(MockSettings.defaults());
    }

    @Test
    void providerWithoutDefaultStillNeedsBaseUrl() {
        assertThatThrownBy(() -> parse("""
                routes:
                  - model: m
                    backends: [ { provider: openai, model: g } ]
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("routes[0].backends[0].baseUrl: is required");
    }
}
