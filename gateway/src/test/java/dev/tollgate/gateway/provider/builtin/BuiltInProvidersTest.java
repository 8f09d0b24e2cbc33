package dev.tollgate.gateway.provider.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.AwsCredentials;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.api.provider.ProviderSpec;
import dev.tollgate.api.provider.ProviderSpec.Capability;
import dev.tollgate.api.provider.ProviderSpec.Family;
import dev.tollgate.api.provider.ProviderSpecs;
import dev.tollgate.gateway.error.GatewayException;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.Endpoint;
import dev.tollgate.gateway.provider.ProviderRegistry;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.usage.TokenCounter;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The specs' declared capabilities are what their translators do, and every spec is served under its id. */
class BuiltInProvidersTest {

    private static final Map<Endpoint, Capability> ENDPOINTS = Map.of(Endpoint.CHAT, Capability.CHAT,
            Endpoint.COMPLETIONS, Capability.COMPLETIONS, Endpoint.EMBEDDINGS, Capability.EMBEDDINGS);

    private static final Map<Endpoint, String> BODIES = Map.of(
            Endpoint.CHAT, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            Endpoint.COMPLETIONS, "{\"model\":\"m\",\"prompt\":\"hi\"}",
            Endpoint.EMBEDDINGS, "{\"model\":\"m\",\"input\":\"hi\"}");

    @Test
    void everySpecIsServedUnderItsId() {
        try (UpstreamHttp http = new UpstreamHttp(Duration.ofSeconds(1))) {
            ProviderRegistry registry = BuiltInProviders.registry(http, new TokenCounter());
            assertThat(registry.ids()).containsExactlyInAnyOrderElementsOf(ProviderSpecs.ALL.stream().map(ProviderSpec::id).toList());
            ProviderSpecs.ALL.forEach(spec -> assertThat(registry.get(spec.id()).id()).isEqualTo(spec.id()));
        }
    }

    @Test
    void translatorsServeExactlyTheEndpointsTheirSpecDeclares() {
        for (ProviderSpec spec : ProviderSpecs.ALL) {
            if (spec.family() == Family.IN_PROCESS) {
                continue;
            }
            Translator translator = BuiltInProviders.translator(spec);
            ENDPOINTS.forEach((endpoint, capability) -> {
                ProviderRequest request = request(spec, endpoint);
                if (spec.can(capability)) {
                    assertThatCode(() -> translator.request(request)).as(spec.id() + " " + endpoint).doesNotThrowAnyException();
                } else {
                    assertThatThrownBy(() -> translator.request(request)).as(spec.id() + " " + endpoint)
                            .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(400));
                }
            });
        }
    }

    @Test
    void onlySpecsDeclaringAnthropicMessagesPassThemThroughAndCountTheirTokens() {
        for (ProviderSpec spec : ProviderSpecs.ALL) {
            if (spec.family() == Family.IN_PROCESS) {
                continue;
            }
            Translator translator = BuiltInProviders.translator(spec);
            assertThat(translator.anthropicMessages(Json.MAPPER.createObjectNode(), null) != null)
                    .as(spec.id()).isEqualTo(spec.can(Capability.ANTHROPIC_MESSAGES));
            assertThat(translator.anthropicTokenCount(Json.MAPPER.createObjectNode(), null) != null)
                    .as(spec.id()).isEqualTo(spec.can(Capability.ANTHROPIC_MESSAGES));
        }
    }

    private static ProviderRequest request(ProviderSpec spec, Endpoint endpoint) {
        BackendConfig backend = new BackendConfig("b", spec.id(), "m", URI.create("https://upstream.test/v1"), "k", 1, 0, null, null,
                "2024-10-21", "us-east-1", new AwsCredentials("AKID", "secret", null), null, null);
        ObjectNode body;
        try {
            body = (ObjectNode) Json.MAPPER.readTree(BODIES.get(endpoint));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new ProviderRequest("req-1", endpoint, backend, body, false, false, Duration.ofSeconds(5), false, Duration.ofSeconds(1), null);
    }
}
