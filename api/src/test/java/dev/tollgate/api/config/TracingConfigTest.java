package dev.tollgate.api.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway's tracing block: absent by default, read with env references, bad values named by field. */
class TracingConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("OTLP_TOKEN", "Bearer t0k3n")::get, Set.of(), Map.of(), null);

    @Test
    void absentBlockLeavesTracingToTheEnvironment() {
        assertThat(loader.parse("gateway: { port: 4000 }\n").gateway().tracing()).isNull();
    }

    @Test
    void everyFieldIsReadAndHeadersTakeEnvReferences() {
        TracingSettings t = loader.parse("""
                gateway:
                  tracing:
                    endpoint: http://otel-collector:4318/v1/traces
                    samplingRatio: 0.2
                    serviceName: gateway-eu
                    headers:
                      authorization: ${OTLP_TOKEN}
                """).gateway().tracing();
        assertThat(t).isEqualTo(new TracingSettings(true, URI.create("http://otel-collector:4318/v1/traces"), 0.2, "gateway-eu",
                Map.of("authorization", "Bearer t0k3n")));
        assertThat(t.toString()).contains("authorization").doesNotContain("t0k3n");
    }

    @Test
    void blockCanTurnTracingOff() {
        assertThat(loader.parse("gateway: { tracing: { enabled: false } }\n").gateway().tracing().enabled()).isFalse();
    }

    @Test
    void badValuesNameTheirField() {
        assertThatThrownBy(() -> loader.parse("""
                gateway:
                  tracing:
                    endpoint: collector:4318
                    samplingRatio: 1.5
                    headers: { authorization: "" }
                    sampler: always
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
                "gateway.tracing.sampler: unknown field (allowed: enabled, endpoint, headers, samplingRatio, serviceName)",
                "gateway.tracing.endpoint: must be an absolute http(s) URL (was 'collector:4318')",
                "gateway.tracing.samplingRatio: must be between 0 and 1 (was 1.5)",
                "gateway.tracing.headers.authorization: must be a non-empty string"));
    }

    @Test
    void writtenConfigReadsBackTheSame() {
        GatewayConfig c = loader.parse("""
                gateway:
                  tracing: { endpoint: "https://collector.example/v1/traces", samplingRatio: 0.05, headers: { x-api-key: abc } }
                """);
        assertThat(loader.parse(ConfigWriter.write(ConfigWriter.tree(c))).gateway().tracing()).isEqualTo(c.gateway().tracing());
    }
}
