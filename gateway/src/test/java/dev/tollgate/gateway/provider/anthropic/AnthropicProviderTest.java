package dev.tollgate.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
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

/** OpenAI SDK → gateway → a fake Anthropic Messages API speaking Anthropic's real wire format. */
class AnthropicProviderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final BigDecimal IN = new BigDecimal("3");
    static final BigDecimal OUT = new BigDecimal("15");
    static final BigDecimal READ = new BigDecimal("0.30");
    static final BigDecimal WRITE = new BigDecimal("3.75");

    static final String MESSAGE = """
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"A single pixel."}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":100,"cache_creation_input_tokens":50,"cache_read_input_tokens":200,"output_tokens":40,"service_tier":"standard"}}""";

    static final List<String> TEXT_STREAM = List.of(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01Stream\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":50,\"cache_read_input_tokens\":200,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: ping\ndata: {\"type\": \"ping\"}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"A single\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" pixel.\"}}\n\n",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    @RegisterExtension
    static final ProviderGateway FIXTURE = new ProviderGateway(url -> """
            routes:
              - model: claude
                backends:
                  - name: anthropic-main
                    provider: anthropic
                    model: claude-sonnet-4-5
                    baseUrl: %s
                    apiKey: sk-ant-upstream-secret
                    pricing: { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.30, cacheWriteInputPerMillion: 3.75 }
              - model: claude-lenient
                dropUnsupportedParams: true
                backends:
                  - name: anthropic-lenient
                    provider: anthropic
                    model: claude-sonnet-4-5
                    baseUrl: %s
                    apiKey: sk-ant-upstream-secret
            """.formatted(url, url));

    final FakeUpstream upstream = FIXTURE.upstream();
    final Gateway gateway = FIXTURE.gateway();
    final OpenAIClient client = FIXTURE.client();

    @Test
    void requestIsTranslatedFieldByFieldAndAnswerComesBackInOpenAiShape() throws Exception {
        upstream.respond(r -> Reply.json(200, MESSAGE));

        ChatCompletion completion = client.chat().completions().create(ChatScenarios.rich("claude").user("user-42").build());

        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-upstream-secret");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.json()).isEqualTo(JSON.readTree("""
                {"model":"claude-sonnet-4-5","max_tokens":256,"system":"You are terse.",
                 "messages":[
                   {"role":"user","content":[{"type":"text","text":"Hi"}]},
                   {"role":"assistant","content":[{"type":"text","text":"Hello!"}]},
                   {"role":"user","content":[{"type":"text","text":"What is in this image?"},
                      {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}}]}],
                 "temperature":0.2,"top_p":0.9,"stop_sequences":["END"],"metadata":{"user_id":"user-42"}}""".formatted(PNG)));

        assertThat(completion.id()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
        assertThat(completion.choices().getFirst().message().content()).contains("A single pixel.");
        assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(350);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(40);
        assertThat(completion.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens()).contains(200L);

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.promptTokens()).isEqualTo(350);
        assertThat(row.cachedTokens()).isEqualTo(200);
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(100, IN, 200, READ, 50, WRITE, 40, OUT));
    }

    @Test
    void streamIsTranslatedToOpenAiChunksWithUsageAndCost() throws Exception {
        upstream.respond(r -> Reply.sse(TEXT_STREAM));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.withUsage(ChatScenarios.rich("claude")).build());

        assertThat(upstream.last().json().path("stream").asBoolean()).isTrue();
        assertThat(upstream.last().header("accept")).isEqualTo("text/event-stream");
        assertThat(ChatScenarios.text(chunks)).isEqualTo("A single pixel.");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("stop");
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isEqualTo(350);
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(40);

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(100, IN, 200, READ, 50, WRITE, 40, OUT));
    }

    @Test
    void toolCallRoundTrip() throws Exception {
        upstream.respond(r -> Reply.json(200, """
                {"id":"msg_tool","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Let me check."},
                            {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":12}}"""));

        ChatCompletion first = client.chat().completions().create(ChatScenarios.tool("claude").build());

        assertThat(upstream.last().json().path("tools")).isEqualTo(JSON.readTree("""
                [{"name":"get_weather","description":"Current weather of a city",
                  "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]"""));
        assertThat(upstream.last().json().path("tool_choice")).isEqualTo(JSON.readTree("{\"type\":\"auto\"}"));
        assertThat(first.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
        ChatCompletionMessageToolCall call = first.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.asFunction().id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.asFunction().function().arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

        upstream.respond(r -> Reply.json(200, MESSAGE));
        client.chat().completions().create(ChatScenarios.toolResult("claude", first.choices().getFirst().message(), call.asFunction().id()));

        assertThat(upstream.last().json().path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":[{"type":"text","text":"What is the weather in Paris?"}]},
                 {"role":"assistant","content":[{"type":"text","text":"Let me check."},
                    {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"{\\"temp_c\\":18}"}]}]"""));
    }

    @Test
    void streamedToolCallArrivesAsOpenAiToolCallDeltas() {
        upstream.respond(r -> Reply.sse(List.of(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_t\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"get_weather\",\"input\":{}}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.tool("claude").build());

        ChatCompletionChunk.Choice.Delta.ToolCall start = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(ch -> ch.delta().toolCalls().stream().flatMap(List::stream)).findFirst().orElseThrow();
        assertThat(start.id()).contains("toolu_01");
        assertThat(start.function().orElseThrow().name()).contains("get_weather");
        assertThat(ChatScenarios.toolArguments(chunks, 0)).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("tool_calls");
    }

    @Test
    void anthropicErrorsBecomeOpenAiErrors() {
        upstream.respond(r -> Reply.json(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}",
                Map.of("retry-after", "12")));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("claude").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.headers().values("retry-after")).containsExactly("12"));

        upstream.respond(r -> Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("claude").build()))
                .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(502));

        upstream.respond(r -> Reply.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("claude").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).contains("context_length_exceeded");
                    assertThat(e.getMessage()).contains("prompt is too long");
                });
    }

    @Test
    void unsupportedParameterIsRefusedUnlessTheRouteDropsIt() throws Exception {
        upstream.respond(r -> Reply.json(200, MESSAGE));

        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("claude").seed(7).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("seed");
                    assertThat(e.getMessage()).contains("'seed'").contains("anthropic");
                });
        assertThat(upstream.received()).isEmpty();

        client.chat().completions().create(ChatScenarios.tool("claude-lenient").seed(7).build());
        JsonNode sent = upstream.last().json();
        assertThat(sent.has("seed")).isFalse();
        assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4-5");
    }
}
