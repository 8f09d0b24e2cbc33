package dev.tollgate.gateway.provider.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.tollgate.api.config.ConfigException;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.ChatScenarios;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Ledger;
import dev.tollgate.gateway.testing.ProviderGateway;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI SDK → gateway → a fake Azure OpenAI deployment (deployment URL, api-version, api-key, content filter results). */
class AzureOpenAiProviderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String USAGE = "{\"prompt_tokens\":120,\"completion_tokens\":30,\"total_tokens\":150,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":64},\"completion_tokens_details\":{\"reasoning_tokens\":0}}";
    static final String FILTER = "\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}";

    @RegisterExtension
    static final ProviderGateway FIXTURE = new ProviderGateway(url -> """
            routes:
              - model: gpt-4o
                backends:
                  - name: azure-eu
                    provider: azure
                    model: my-gpt4o-deployment
                    baseUrl: %s
                    apiVersion: 2024-10-21
                    apiKey: azure-upstream-secret
                    pricing: { inputPerMillion: 2.50, outputPerMillion: 10, cachedInputPerMillion: 1.25 }
            """.formatted(url));

    @TempDir
    Path dir;
    final FakeUpstream upstream = FIXTURE.upstream();
    final Gateway gateway = FIXTURE.gateway();
    final OpenAIClient client = FIXTURE.client();

    @Test
    void callsTheDeploymentUrlWithApiVersionAndApiKey() throws Exception {
        upstream.respond(r -> Reply.json(200, "{\"id\":\"chatcmpl-az1\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"gpt-4o-2024-11-20\",\"prompt_filter_results\":[{\"prompt_index\":0," + FILTER + "}],"
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"},\"finish_reason\":\"stop\","
                + "\"logprobs\":null," + FILTER + "}],\"usage\":" + USAGE + "}"));

        ChatCompletion completion = client.chat().completions().create(ChatScenarios.rich("gpt-4o").build());

        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/openai/deployments/my-gpt4o-deployment/chat/completions");
        assertThat(sent.query()).isEqualTo("api-version=2024-10-21");
        assertThat(sent.header("api-key")).isEqualTo("azure-upstream-secret");
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.json().path("messages").size()).isEqualTo(4);
        assertThat(sent.json().path("max_completion_tokens").asInt()).isEqualTo(256);
        assertThat(completion.choices().getFirst().message().content()).contains("Hi there");

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(56, new BigDecimal("2.50"), 64, new BigDecimal("1.25"),
                0, BigDecimal.ZERO, 30, BigDecimal.TEN));
    }

    @Test
    void streamDropsThePromptFilterChunkAndRecordsUsage() throws Exception {
        String head = "{\"id\":\"chatcmpl-az2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-2024-11-20\",";
        upstream.respond(r -> Reply.sse(List.of(
                "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0," + FILTER + "}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null," + FILTER + "}],\"usage\":null}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi there\"},\"finish_reason\":null," + FILTER + "}],\"usage\":null}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"," + FILTER + "}],\"usage\":null}\n\n",
                "data: " + head + "\"choices\":[],\"usage\":" + USAGE + "}\n\n",
                "data: [DONE]\n\n")));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.rich("gpt-4o").build());

        assertThat(upstream.last().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
        assertThat(ChatScenarios.text(chunks)).isEqualTo("Hi there");
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.promptTokens()).isEqualTo(120);
        assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(56, new BigDecimal("2.50"), 64, new BigDecimal("1.25"),
                0, BigDecimal.ZERO, 30, BigDecimal.TEN));
    }

    @Test
    void contentFilterRefusalBecomesAContentPolicyError() {
        upstream.respond(r -> Reply.json(400, "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.\","
                + "\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400}}", Map.of()));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("gpt-4o").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).contains("content_filter"));
    }

    @Test
    void azureBackendWithoutApiVersionIsRefusedNamingTheField() {
        assertThatThrownBy(() -> TestGateways.parse(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: m
                    backends:
                      - { name: az, provider: azure, model: d, baseUrl: "https://x.openai.azure.com" }
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].backends[0].apiVersion: is required for provider 'azure'");
    }
}
