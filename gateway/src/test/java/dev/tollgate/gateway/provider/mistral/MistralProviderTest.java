package dev.tollgate.gateway.provider.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
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

import static dev.tollgate.gateway.testing.ChatScenarios.PNG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenAI SDK → gateway → a fake Mistral API speaking Mistral's real wire format. */
class MistralProviderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final BigDecimal IN = new BigDecimal("0.40");
    static final BigDecimal OUT = new BigDecimal("2.00");
    static final String USAGE = "\"usage\":{\"prompt_tokens\":160,\"total_tokens\":198,\"completion_tokens\":38}";
    static final String ANSWER = "{\"id\":\"cmpl-e5cc70bb28c444948073e77776eb30ef\",\"object\":\"chat.completion\",\"model\":\"mistral-medium-2508\","
            + USAGE + ",\"created\":1702256327,\"choices\":[{\"index\":0,\"message\":{\"content\":\"A single pixel.\",\"tool_calls\":null,"
            + "\"prefix\":false,\"role\":\"assistant\"},\"finish_reason\":\"stop\"}]}";

    @RegisterExtension
    static final ProviderGateway FIXTURE = new ProviderGateway(url -> """
            routes:
              - model: medium
                backends:
                  - name: mistral-main
                    provider: mistral
                    model: mistral-medium-latest
                    baseUrl: %s/v1
                    apiKey: mistral-upstream-secret
                    pricing: { inputPerMillion: 0.40, outputPerMillion: 2.00 }
              - model: medium-lenient
                dropUnsupportedParams: true
                backends:
                  - name: mistral-lenient
                    provider: mistral
                    model: mistral-medium-latest
                    baseUrl: %s/v1
                    apiKey: mistral-upstream-secret
            """.formatted(url, url));

    final FakeUpstream upstream = FIXTURE.upstream();
    final Gateway gateway = FIXTURE.gateway();
    final OpenAIClient client = FIXTURE.client();

    static BigDecimal expectedCost() {
        return ChatScenarios.cost(160, IN, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO, 38, OUT);
    }

    @Test
    void requestIsRebuiltWithMistralFieldsAndAnswerComesBackInOpenAiShape() throws Exception {
        upstream.respond(r -> Reply.json(200, ANSWER));

        ChatCompletion completion = client.chat().completions().create(ChatScenarios.rich("medium").seed(7).user("user-42")
                .putAdditionalBodyProperty("safe_prompt", JsonValue.from(true)).build());

        FakeUpstream.Received sent = upstream.last();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer mistral-upstream-secret");
        assertThat(sent.json()).isEqualTo(JSON.readTree("""
                {"model":"mistral-medium-latest",
                 "messages":[
                   {"role":"system","content":"You are terse."},
                   {"role":"user","content":"Hi"},
                   {"role":"assistant","content":"Hello!"},
                   {"role":"user","content":[{"type":"text","text":"What is in this image?"},
                      {"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}],
                 "temperature":0.2,"top_p":0.9,"safe_prompt":true,"max_tokens":256,"stop":["END"],"random_seed":7,"stream":false}"""
                .formatted(PNG)));

        assertThat(completion.id()).isEqualTo("cmpl-e5cc70bb28c444948073e77776eb30ef");
        assertThat(completion.model()).isEqualTo("mistral-medium-2508");
        assertThat(completion.choices().getFirst().message().content()).contains("A single pixel.");
        assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(160);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(38);

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.provider()).isEqualTo("mistral");
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void streamIsTranslatedWithUsageFromTheLastChunk() throws Exception {
        String head = "{\"id\":\"6f3b1c\",\"object\":\"chat.completion.chunk\",\"created\":1702256327,\"model\":\"mistral-medium-2508\",";
        upstream.respond(r -> Reply.sse(List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A single\"},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" pixel.\"},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}]," + USAGE + "}\n\n",
                "data: [DONE]\n\n")));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.withUsage(ChatScenarios.rich("medium")).build());

        JsonNode sent = upstream.last().json();
        assertThat(sent.path("stream").asBoolean()).isTrue();
        assertThat(sent.has("stream_options")).as("Mistral refuses unknown fields").isFalse();
        assertThat(chunks.getFirst().id()).isEqualTo("6f3b1c");
        assertThat(ChatScenarios.text(chunks)).isEqualTo("A single pixel.");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("stop");
        assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isEqualTo(160);
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void toolCallRoundTrip() throws Exception {
        upstream.respond(r -> Reply.json(200, "{\"id\":\"t1\",\"object\":\"chat.completion\",\"model\":\"mistral-medium-2508\"," + USAGE
                + ",\"created\":1,\"choices\":[{\"index\":0,\"message\":{\"content\":\"\",\"tool_calls\":[{\"id\":\"D681PevKs\",\"function\":"
                + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"},\"index\":0}],\"prefix\":false,\"role\":\"assistant\"},"
                + "\"finish_reason\":\"tool_calls\"}]}"));

        ChatCompletion first = client.chat().completions().create(ChatScenarios.tool("medium")
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build());

        JsonNode sent = upstream.last().json();
        assertThat(sent.path("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_weather","description":"Current weather of a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]"""));
        assertThat(sent.path("tool_choice").asText()).isEqualTo("any");
        assertThat(first.choices().getFirst().finishReason().asString()).isEqualTo("tool_calls");
        ChatCompletionMessageToolCall call = first.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.asFunction().id()).isEqualTo("D681PevKs");
        assertThat(JSON.readTree(call.asFunction().function().arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));

        upstream.respond(r -> Reply.json(200, ANSWER));
        client.chat().completions().create(ChatScenarios.toolResult("medium", first.choices().getFirst().message(), call.asFunction().id()));

        assertThat(upstream.last().json().path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":"What is the weather in Paris?"},
                 {"role":"assistant","content":"","tool_calls":[{"id":"D681PevKs","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\": \\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"D681PevKs","content":"{\\"temp_c\\":18}"}]"""));
    }

    @Test
    void toolCallIdsMadeElsewhereAreMappedToMistralsNineCharacterFormConsistently() {
        upstream.respond(r -> Reply.json(200, ANSWER));
        String openAiId = "call_Ul3CqgXLPZ4ZBw7dV2wh2M2D";
        ChatCompletionAssistantMessageParam assistant = ChatCompletionAssistantMessageParam.builder()
                .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(openAiId)
                        .function(ChatCompletionMessageFunctionToolCall.Function.builder().name("get_weather").arguments("{\"city\":\"Paris\"}").build())
                        .build())
                .build();

        client.chat().completions().create(ChatScenarios.tool("medium").addMessage(assistant)
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(openAiId).content("{\"temp_c\":18}").build()).build());

        JsonNode messages = upstream.last().json().path("messages");
        String callId = messages.get(1).path("tool_calls").get(0).path("id").asText();
        assertThat(callId).matches("[A-Za-z0-9]{9}");
        assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo(callId);
    }

    @Test
    void streamedToolCallArrivesAsOpenAiToolCallDeltas() {
        String head = "{\"id\":\"s2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"mistral-medium-2508\",";
        upstream.respond(r -> Reply.sse(List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"id\":\"Xq3kV9pLm\",\"function\":{\"name\":\"get_weather\","
                        + "\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"},\"index\":0}]},\"finish_reason\":\"tool_calls\"}]," + USAGE + "}\n\n",
                "data: [DONE]\n\n")));

        List<ChatCompletionChunk> chunks = ChatScenarios.stream(client, ChatScenarios.tool("medium").build());

        ChatCompletionChunk.Choice.Delta.ToolCall start = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(ch -> ch.delta().toolCalls().stream().flatMap(List::stream)).findFirst().orElseThrow();
        assertThat(start.id()).contains("Xq3kV9pLm");
        assertThat(start.type()).isPresent();
        assertThat(ChatScenarios.toolArguments(chunks, 0)).isEqualTo("{\"city\": \"Paris\"}");
        assertThat(ChatScenarios.finishReason(chunks)).isEqualTo("tool_calls");
    }

    @Test
    void mistralErrorsBecomeOpenAiErrors() {
        upstream.respond(r -> Reply.json(429, "{\"message\":\"Requests rate limit exceeded\"}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("medium").build()))
                .isInstanceOf(RateLimitException.class);

        upstream.respond(r -> Reply.json(400, "{\"object\":\"error\",\"message\":\"Prompt contains 140000 tokens and 0 draft tokens, too large "
                + "for model with 131072 maximum context length\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("medium").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.code()).contains("context_length_exceeded"));

        upstream.respond(r -> Reply.json(422, "{\"object\":\"error\",\"message\":{\"detail\":[{\"type\":\"less_than_equal\",\"loc\":[\"body\","
                + "\"temperature\"],\"msg\":\"Input should be less than or equal to 1.5\",\"input\":1.9,\"ctx\":{\"le\":1.5}}]},"
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("medium").temperature(1.9).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("less than or equal to 1.5");
                });
    }

    @Test
    void unsupportedParameterIsRefusedUnlessTheRouteDropsIt() throws Exception {
        upstream.respond(r -> Reply.json(200, ANSWER));

        assertThatThrownBy(() -> client.chat().completions().create(ChatScenarios.tool("medium").logprobs(true).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).contains("logprobs");
                    assertThat(e.getMessage()).contains("'logprobs'").contains("mistral");
                });
        assertThat(upstream.received()).isEmpty();

        client.chat().completions().create(ChatScenarios.tool("medium-lenient").logprobs(true).build());
        JsonNode sent = upstream.last().json();
        assertThat(sent.has("logprobs")).isFalse();
        assertThat(sent.path("model").asText()).isEqualTo("mistral-medium-latest");
    }
}
