package dev.tollgate.gateway.provider.compatible;

import com.openai.models.chat.completions.ChatCompletion;
import dev.tollgate.api.config.GatewayConfig;
import dev.tollgate.api.provider.ProviderSpecs;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.ChatScenarios;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Ledger;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI-compatible catalog: named providers get their base URL and auth without configuration. */
class ProviderCatalogTest {

    @TempDir
    Path dir;

    @Test
    void catalogHasAtLeastThirtyDistinctProvidersAllRegistered() {
        Set<String> ids = new HashSet<>();
        ProviderSpecs.CATALOG.forEach(e -> assertThat(ids.add(e.id())).as("duplicate id " + e.id()).isTrue());
        assertThat(ids).hasSizeGreaterThanOrEqualTo(30).contains("groq", "together", "fireworks", "deepseek", "xai", "perplexity",
                "openrouter", "deepinfra", "cerebras", "vllm", "lmstudio");
        assertThat(Gateway.PROVIDERS).containsAll(ids);
    }

    @Test
    void backendNamingOnlyTheProviderGetsItsDefaultBaseUrl() {
        GatewayConfig config = TestGateways.parse(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: llama
                    backends:
                      - { name: g, provider: groq, model: llama-3.3-70b-versatile, apiKey: gsk-secret }
                      - { name: d, provider: deepseek, model: deepseek-chat, apiKey: ds-secret }
                """, Map.of());
        assertThat(config.routes().getFirst().backends().get(0).baseUrl()).hasToString("https://api.groq.com/openai/v1");
        assertThat(config.routes().getFirst().backends().get(1).baseUrl()).hasToString("https://api.deepseek.com/v1");
    }

    @Test
    void catalogProviderSpeaksOpenAiWithBearerKeyAndRecordsCost() throws Exception {
        try (FakeUpstream upstream = new FakeUpstream();
             Gateway gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                     routes:
                       - model: llama
                         backends:
                           - name: groq-main
                             provider: groq
                             model: llama-3.3-70b-versatile
                             baseUrl: %s/openai/v1
                             apiKey: gsk-upstream-secret
                             pricing: { inputPerMillion: 0.59, outputPerMillion: 0.79 }
                     keys:
                       - { name: app, key: sk-tg-app-key-1234 }
                     """.formatted(upstream.baseUrl()))) {
            upstream.respond(r -> Reply.json(200, "{\"id\":\"chatcmpl-g\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"llama-3.3-70b-versatile\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
                    + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"queue_time\":0.01,\"prompt_tokens\":18,\"prompt_time\":0.001,"
                    + "\"completion_tokens\":2,\"completion_time\":0.002,\"total_tokens\":20},\"x_groq\":{\"id\":\"req_01\"}}"));

            ChatCompletion completion = ChatScenarios.client(gateway, "sk-tg-app-key-1234").chat().completions()
                    .create(ChatScenarios.tool("llama").build());

            assertThat(upstream.last().path()).isEqualTo("/openai/v1/chat/completions");
            assertThat(upstream.last().header("authorization")).isEqualTo("Bearer gsk-upstream-secret");
            assertThat(upstream.last().json().path("model").asText()).isEqualTo("llama-3.3-70b-versatile");
            assertThat(completion.choices().getFirst().message().content()).contains("Hi");
            Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
            assertThat(row.provider()).isEqualTo("groq");
            assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(18, new BigDecimal("0.59"), 0, BigDecimal.ZERO,
                    0, BigDecimal.ZERO, 2, new BigDecimal("0.79")));
        }
    }
}
