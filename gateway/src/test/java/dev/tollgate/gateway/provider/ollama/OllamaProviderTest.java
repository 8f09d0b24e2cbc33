package dev.tollgate.gateway.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.ChatScenarios;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Ledger;
import dev.tollgate.gateway.testing.ProviderGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.tollgate.gateway.testing.ChatScenarios.PNG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI SDK → gateway → a fake Ollama server speaking Ollama's native /api/chat wire format (JSON and NDJSON). */
class OllamaProviderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final BigDecimal IN = new BigDecimal("0.10");
    static final BigDecimal OUT = new BigDecimal("0.30");
    static final String COUNTS = "\"total_duration\":4883583458,\"load_duration\":1334875,\"prompt_eval_count\":26,"
            + "\"prompt_eval_duration\":342546000,\"eval_count\":282,\"eval_duration\":4535599000";
    static final String ANSWER = "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-10T14:13:43.416799Z\",\"message\":{\"role\":\"assistant\","
            + "\"content\":\"A single pixel.\"},\"done\":true,\"done_reason\":\"stop\"," + COUNTS + "}";

    @RegisterExtension
    static final ProviderGateway FIXTURE = new ProviderGateway(url -> """
            routes:
              - model: local
                backends:
                  - name: ollama-main
                    provider: ollama
                    model: llama3.2
                    baseUrl: %s
                    pricing: { inputPerMillion: 0.10, outputPerMillion: 0.30 }
              - model: local-lenient
                dropUnsupportedParams: true
                backends:
                  - name: ollama-lenient
                    provider: ollama
                    model: llama3.2
                    baseUrl: %s
                    apiKey: ollama-cloud-secret
                    pricing: { free: true }
            """.formatted(url, url));

    final FakeUpstream upstream = FIXTURE.upstream();
    final Gateway gateway = FIXTURE.gateway();
    final OpenAIClient client = FIXTURE.client();

    static BigDecimal expectedCost() {
        return ChatScenarios.cost(26, IN, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, 282, OUT);
    }

    static Reply ndjson(String... lines) {
        return Reply.stream("application/x-ndjson", java.util.Arrays.stream(lines).map(l -> (l + "\n").getBytes(StandardCharsets.UTF_8)).toList());
    }

    @Test
    void requestIsTranslatedFieldByFieldAndAnswerComesBackInOpenAiShape() throws Exception {
        upstream.respond(r -> Reply.json(200, ANSWER));

        ChatCompletion completion = client.chat().completions().create(ChatScenarios.rich("local").seed(7).build());

        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/api/chat");
        assertThat(sent.header("authorization")).as("no key configured, none sent").isNull();
        assertThat(sent.json()).isEqualTo(JSON.readTree("""
                {"model":"llama3.2",
                 "messages":[
                   {"role":"system","content":"You are terse."},
                   {"role":"user","content":"Hi"},
                   {"role":"assistant","content":"Hello!"},
                   {"role":"user","content":"What is in this image?","images":["%s"]}],
                 "options":{"temperature":0.2,"top_p":0.9,"num_predict":256,"stop":["END"],"seed":7},
                 "stream":false}""".formatted(PNG)));

        assertThat(completion.model()).isEqualTo("llama3.2");
        assertThat(completion.choices().getFirst().message().content()).contains("A single pixel.");
        assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(26);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(282);

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.provider()).isEqualTo("ollama");
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void ndjsonStreamIsTranslatedToOpenAiChunksWithUsageAndCost() throws Exception {
        upstream.respond(r -> ndjson(
                "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-10T14:13:43.1Z\",\"message\":{\"role\":\"assistant\",\"content\":\"A single\"},\"done\":false}",
                "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-10T14:13:43.2Z\",\"message\":{\"role\":\"assistant\",\"content\":\" pixel.\"},\"done\":false}",
                "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-10T14:13:43.3Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
                        + "\"done_reason\":\"length\"," + COUNTS + "}"));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.withUsage(ChatScenarios.rich("local")).build());

        assertThat(upstream.last().json().path("stream").asBoolean()).isTrue();
        assertThat(ChatScenarios.text(chunks)).isEqualTo("A single pixel.");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("length");
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(282);
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void toolCallRoundTrip() throws Exception {
        upstream.respond(r -> Reply.json(200, "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-10T14:13:43Z\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}}]},"
                + "\"done\":true,\"done_reason\":\"stop\"," + COUNTS + "}"));

        ChatCompletion first = client.chat().completions().create(ChatScenarios.tool("local").build());

        JsonNode sent = upstream.last().json();
        assertThat(sent.path("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_weather","description":"Current weather of a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]"""));
        assertThat(sent.has("tool_choice")).isFalse();
        assertThat(first.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
        ChatCompletionMessageToolCall call = first.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.asFunction().id()).startsWith("call_");
        assertThat(JSON.readTree(call.asFunction().function().arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

        upstream.respond(r -> Reply.json(200, ANSWER));
        client.chat().completions().create(ChatScenarios.toolResult("local", first.choices().getFirst().message(), call.asFunction().id()));

        assertThat(upstream.last().json().path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":"What is the weather in Paris?"},
                 {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
                 {"role":"tool","content":"{\\"temp_c\\":18}","tool_name":"get_weather"}]"""));
    }

    @Test
    void streamedToolCallArrivesAsOpenAiToolCallDeltas() throws Exception {
        upstream.respond(r -> ndjson(
                "{\"model\":\"llama3.2\",\"created_at\":\"2025-05-27T22:54:57.641643Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\","
                        + "\"tool_calls\":[{\"id\":\"call_k2v0y1ia\",\"function\":{\"index\":0,\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}}]},\"done\":false}",
                "{\"model\":\"llama3.2\",\"created_at\":\"2025-05-27T22:54:58Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
                        + "\"done_reason\":\"stop\"," + COUNTS + "}"));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.tool("local").build());

        ChatCompletionChunk.Choice.Delta.ToolCall start = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(ch -> ch.delta().toolCalls().stream().flatMap(List::stream)).findFirst().orElseThrow();
        assertThat(start.id()).contains("call_k2v0y1ia");
        assertThat(JSON.readTree(ChatScenarios.toolArguments(chunks, 0))).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("tool_calls");
        assertThat(Ledger.row(gateway, Ledger.lastRequestId(gateway)).costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void ollamaErrorsBecomeOpenAiErrors() {
        upstream.respond(r -> Reply.json(404, "{\"error\":\"model \\\"llama3.2\\\" not found, try pulling it first\"}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("local").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("try pulling it first"));

        upstream.respond(r -> Reply.json(500, "{\"error\":\"llama runner process has terminated: signal: killed\"}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("local").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(502));

        upstream.respond(r -> ndjson("{\"error\":\"an error was encountered while running the model: unexpected EOF\"}"));
        assertThatThrownBy(() -> ChatScenarios.stream(client, ChatScenarios.tool("local").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
    }

    @Test
    void unsupportedParametersAreRefusedUnlessTheRouteDropsThem() throws Exception {
        upstream.respond(r -> Reply.json(200, ANSWER));

        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("local").logprobs(true).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("logprobs");
                    assertThat(e.getMessage()).contains("'logprobs'").contains("ollama");
                });
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("local")
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("tool_choice"));
        assertThat(upstream.received()).isEmpty();

        client.chat().completions().create(ChatScenarios.tool("local-lenient").logprobs(true)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());
        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.json().has("logprobs")).isFalse();
        assertThat(sent.json().has("tools")).isTrue();
        assertThat(sent.header("authorization")).isEqualTo("Bearer ollama-cloud-secret");
    }
}
