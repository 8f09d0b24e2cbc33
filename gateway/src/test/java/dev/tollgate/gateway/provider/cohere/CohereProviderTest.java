package dev.tollgate.gateway.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
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
import java.util.List;
import java.util.Map;

import static dev.tollgate.gateway.testing.ChatScenarios.PNG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI SDK → gateway → a fake Cohere v2 Chat API speaking Cohere's real wire format. */
class CohereProviderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final BigDecimal IN = new BigDecimal("2.50");
    static final BigDecimal OUT = new BigDecimal("10.00");
    static final String USAGE = "\"usage\":{\"billed_units\":{\"input_tokens\":120,\"output_tokens\":40},"
            + "\"tokens\":{\"input_tokens\":700,\"output_tokens\":42}}";
    static final String ANSWER = "{\"id\":\"c14c80c3-18eb-4519-9460-6c92edd8cfb4\",\"message\":{\"role\":\"assistant\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"A single pixel.\"}]},\"finish_reason\":\"COMPLETE\"," + USAGE + "}";

    @RegisterExtension
    static final ProviderGateway FIXTURE = new ProviderGateway(url -> """
            routes:
              - model: command
                backends:
                  - name: cohere-main
                    provider: cohere
                    model: command-a-03-2025
                    baseUrl: %s
                    apiKey: co-upstream-secret
                    pricing: { inputPerMillion: 2.50, outputPerMillion: 10.00 }
              - model: command-lenient
                dropUnsupportedParams: true
                backends:
                  - name: cohere-lenient
                    provider: cohere
                    model: command-a-03-2025
                    baseUrl: %s
                    apiKey: co-upstream-secret
            """.formatted(url, url));

    final FakeUpstream upstream = FIXTURE.upstream();
    final Gateway gateway = FIXTURE.gateway();
    final OpenAIClient client = FIXTURE.client();

    static BigDecimal billedCost() {
        return ChatScenarios.cost(120, IN, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, 40, OUT);
    }

    @Test
    void requestIsTranslatedFieldByFieldAndAnswerComesBackInOpenAiShape() throws Exception {
        upstream.respond(r -> Reply.json(200, ANSWER));

        ChatCompletion completion = client.chat().completions().create(ChatScenarios.rich("command").seed(7).build());

        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/v2/chat");
        assertThat(sent.header("authorization")).isEqualTo("Bearer co-upstream-secret");
        assertThat(sent.json()).isEqualTo(JSON.readTree("""
                {"model":"command-a-03-2025",
                 "messages":[
                   {"role":"system","content":"You are terse."},
                   {"role":"user","content":"Hi"},
                   {"role":"assistant","content":"Hello!"},
                   {"role":"user","content":[{"type":"text","text":"What is in this image?"},
                      {"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}],
                 "max_tokens":256,"temperature":0.2,"p":0.9,"stop_sequences":["END"],"seed":7,"stream":false}""".formatted(PNG)));

        assertThat(completion.id()).isEqualTo("c14c80c3-18eb-4519-9460-6c92edd8cfb4");
        assertThat(completion.model()).isEqualTo("command-a-03-2025");
        assertThat(completion.choices().getFirst().message().content()).contains("A single pixel.");
        assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(120);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(40);

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.provider()).isEqualTo("cohere");
        assertThat(row.promptTokens()).isEqualTo(120);
        assertThat(row.completionTokens()).isEqualTo(40);
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(billedCost());
    }

    @Test
    void streamIsTranslatedToOpenAiChunksWithUsageAndCost() throws Exception {
        upstream.respond(r -> Reply.sse(List.of(
                "event: message-start\ndata: {\"id\":\"29f14a5a-11de-4cae-9800-25e4747408ea\",\"type\":\"message-start\",\"delta\":{\"message\":"
                        + "{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n",
                "event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n",
                "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"A single\"}}}}\n\n",
                "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\" pixel.\"}}}}\n\n",
                "event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n",
                "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\"," + USAGE + "}}\n\n")));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.withUsage(ChatScenarios.rich("command")).build());

        assertThat(upstream.last().json().path("stream").asBoolean()).isTrue();
        assertThat(upstream.last().header("accept")).isEqualTo("text/event-stream");
        assertThat(chunks.getFirst().id()).isEqualTo("29f14a5a-11de-4cae-9800-25e4747408ea");
        assertThat(ChatScenarios.text(chunks)).isEqualTo("A single pixel.");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("stop");
        assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isEqualTo(120);
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(40);
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(billedCost());
    }

    @Test
    void toolCallRoundTrip() throws Exception {
        upstream.respond(r -> Reply.json(200, "{\"id\":\"t1\",\"message\":{\"role\":\"assistant\",\"tool_plan\":\"I will look up the weather in Paris.\","
                + "\"tool_calls\":[{\"id\":\"get_weather_1byjy32y4hvq\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},\"finish_reason\":\"TOOL_CALL\"," + USAGE + "}"));

        ChatCompletion first = client.chat().completions().create(ChatScenarios.tool("command")
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());

        assertThat(upstream.last().json().path("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_weather","description":"Current weather of a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]"""));
        assertThat(upstream.last().json().path("tool_choice").asText()).isEqualTo("REQUIRED");
        assertThat(first.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
        ChatCompletionMessageToolCall call = first.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.asFunction().id()).isEqualTo("get_weather_1byjy32y4hvq");
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.asFunction().function().arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

        upstream.respond(r -> Reply.json(200, ANSWER));
        client.chat().completions().create(ChatScenarios.toolResult("command", first.choices().getFirst().message(), call.asFunction().id()));

        JsonNode sent = upstream.last().json();
        assertThat(sent.path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":"What is the weather in Paris?"},
                 {"role":"assistant","tool_calls":[{"id":"get_weather_1byjy32y4hvq","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"get_weather_1byjy32y4hvq","content":"{\\"temp_c\\":18}"}]"""));
        assertThat(sent.has("tool_choice")).as("auto is Cohere's default and is not sent").isFalse();
    }

    @Test
    void streamedToolCallArrivesAsOpenAiToolCallDeltas() throws Exception {
        upstream.respond(r -> Reply.sse(List.of(
                "event: message-start\ndata: {\"id\":\"s2\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n",
                "event: tool-plan-delta\ndata: {\"type\":\"tool-plan-delta\",\"delta\":{\"message\":{\"tool_plan\":\"I will check.\"}}}\n\n",
                "event: tool-call-start\ndata: {\"type\":\"tool-call-start\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"id\":\"get_weather_nsz5zm3w56q3\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}}}}\n\n",
                "event: tool-call-delta\ndata: {\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"{\\\"city\\\": \"}}}}}\n\n",
                "event: tool-call-delta\ndata: {\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}}}}\n\n",
                "event: tool-call-end\ndata: {\"type\":\"tool-call-end\",\"index\":0}\n\n",
                "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"TOOL_CALL\"," + USAGE + "}}\n\n")));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.tool("command").build());

        ChatCompletionChunk.Choice.Delta.ToolCall start = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(ch -> ch.delta().toolCalls().stream().flatMap(List::stream)).findFirst().orElseThrow();
        assertThat(start.id()).contains("get_weather_nsz5zm3w56q3");
        assertThat(start.function().orElseThrow().name()).contains("get_weather");
        assertThat(ChatScenarios.toolArguments(chunks, 0)).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(ChatScenarios.text(chunks)).isEmpty();
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("tool_calls");
        assertThat(Ledger.row(gateway, Ledger.lastRequestId(gateway)).costUsd()).isEqualByComparingTo(billedCost());
    }

    @Test
    void cohereErrorsBecomeOpenAiErrors() {
        upstream.respond(r -> Reply.json(429, "{\"id\":\"e1\",\"message\":\"You are using a Trial key, which is limited to 20 API calls / minute.\"}",
                Map.of("retry-after", "7")));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("command").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.headers().values("retry-after")).containsExactly("7"));

        upstream.respond(r -> Reply.json(400, "{\"id\":\"e2\",\"message\":\"invalid request: too many tokens: total number of tokens in the prompt "
                + "cannot exceed 256000 - received 300000. Try using a shorter prompt, or enabling prompt truncating.\"}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("command").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("context_length_exceeded");
                    assertThat(e.getMessage()).contains("too many tokens");
                });

        upstream.respond(r -> Reply.json(503, "{\"id\":\"e3\",\"message\":\"service unavailable\"}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("command").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(502));

        upstream.respond(r -> Reply.json(401, "{\"id\":\"e4\",\"message\":\"invalid api token\"}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("command").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.getMessage()).doesNotContain("co-upstream-secret");
                });
    }

    @Test
    void unsupportedParameterIsRefusedUnlessTheRouteDropsIt() throws Exception {
        upstream.respond(r -> Reply.json(200, ANSWER));

        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("command").logprobs(true).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("logprobs");
                    assertThat(e.getMessage()).contains("'logprobs'").contains("cohere");
                });
        ChatCompletionToolChoiceOption named = ChatCompletionToolChoiceOption.ofNamedToolChoice(ChatCompletionNamedToolChoice.builder()
                .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build());
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("command").toolChoice(named).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("tool_choice"));
        assertThat(upstream.received()).isEmpty();

        client.chat().completions().create(ChatScenarios.tool("command-lenient").logprobs(true).build());
        JsonNode sent = upstream.last().json();
        assertThat(sent.has("logprobs")).isFalse();
        assertThat(sent.path("model").asText()).isEqualTo("command-a-03-2025");
    }
}
