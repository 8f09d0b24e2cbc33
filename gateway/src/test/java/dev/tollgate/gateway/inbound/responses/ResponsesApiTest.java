package dev.tollgate.gateway.inbound.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.WebSearchTool;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.ChatScenarios;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.Ledger;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official OpenAI Java SDK's {@code responses()} against a gateway in front of fake upstreams speaking OpenAI's
 * Responses API (passed through), OpenAI chat completions, Anthropic Messages and Gemini (translated).
 */
class ResponsesApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "sk-tg-app-key-1234";
    static final BigDecimal IN = new BigDecimal("2.00");
    static final BigDecimal CACHED = new BigDecimal("0.50");
    static final BigDecimal OUT = new BigDecimal("8.00");

    static final String CHAT_USAGE = "\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":40,\"total_tokens\":340,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":100},\"completion_tokens_details\":{\"reasoning_tokens\":10}}";
    static final String CHAT_ANSWER = "{\"id\":\"chatcmpl-Bx1\",\"object\":\"chat.completion\",\"created\":1750000000,"
            + "\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"A single pixel.\","
            + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}]," + CHAT_USAGE + "}";
    static final String RESPONSES_USAGE = "\"usage\":{\"input_tokens\":300,\"input_tokens_details\":{\"cached_tokens\":100},"
            + "\"output_tokens\":40,\"output_tokens_details\":{\"reasoning_tokens\":10},\"total_tokens\":340}";
    static final String NATIVE_ANSWER = "{\"id\":\"resp_67ccd2bed1ec8190\",\"object\":\"response\",\"created_at\":1741476542,"
            + "\"status\":\"completed\",\"error\":null,\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,"
            + "\"model\":\"gpt-4.1-2025-04-14\",\"output\":[{\"type\":\"message\",\"id\":\"msg_67ccd2bf17f0\",\"status\":\"completed\","
            + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Native hello.\",\"annotations\":[]}]}],"
            + "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":true,"
            + "\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,"
            + "\"truncation\":\"disabled\"," + RESPONSES_USAGE + ",\"user\":null,\"metadata\":{}}";

    // One gateway and its upstreams for the whole class; each test starts from upstreams that have received nothing.
    @TempDir
    static Path dir;
    static FakeUpstream openai;
    static FakeUpstream compat;
    static FakeUpstream anthropic;
    static FakeUpstream gemini;
    static FakeUpstream azure;
    static FakeUpstream broken;
    static Gateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        openai = new FakeUpstream();
        compat = new FakeUpstream();
        anthropic = new FakeUpstream();
        gemini = new FakeUpstream();
        azure = new FakeUpstream();
        broken = new FakeUpstream();
        String prices = "pricing: { inputPerMillion: 2.00, outputPerMillion: 8.00, cachedInputPerMillion: 0.50 }";
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: gpt-native
                    backends:
                      - { name: openai-main, provider: openai, model: gpt-4.1, baseUrl: "%1$s/v1", apiKey: sk-openai-upstream-secret, %7$s }
                  - model: gpt-chat
                    backends:
                      - { name: vllm-main, provider: vllm, model: gpt-4.1, baseUrl: "%2$s/v1", %7$s }
                  - model: claude
                    backends:
                      - { name: anthropic-main, provider: anthropic, model: claude-sonnet-4-5, baseUrl: "%3$s", apiKey: sk-ant-secret, %7$s }
                  - model: flash
                    backends:
                      - { name: gemini-main, provider: gemini, model: gemini-2.5-flash, baseUrl: "%4$s", apiKey: AIza-secret, %7$s }
                  - model: azure-gpt
                    backends:
                      - { name: azure-main, provider: azure, model: my-deployment, baseUrl: "%5$s", apiVersion: 2024-10-21, apiKey: az-secret, %7$s }
                  - model: mocked
                    backends:
                      - { name: mock-main, provider: mock, model: m, %7$s }
                  - model: resilient
                    strategy: priority
                    retries: 1
                    backoff: { initial: 1ms, max: 5ms }
                    backends:
                      - { name: broken-openai, provider: openai, model: gpt-4.1, baseUrl: "%6$s/v1", priority: 0, %7$s }
                      - { name: anthropic-spare, provider: anthropic, model: claude-sonnet-4-5, baseUrl: "%3$s", priority: 1, %7$s }
                keys:
                  - { name: app, key: %8$s }
                  - { name: tiny, key: sk-tg-tiny-budget-1, budget: { amountUsd: 0.0001, period: daily } }
                """.formatted(openai.baseUrl(), compat.baseUrl(), anthropic.baseUrl(), gemini.baseUrl(), azure.baseUrl(), broken.baseUrl(),
                prices, KEY));
        client = ChatScenarios.client(gateway, KEY);
    }

    @BeforeEach
    void freshUpstreams() {
        for (FakeUpstream u : List.of(openai, compat, anthropic, gemini, azure, broken)) {
            u.reset();
        }
        broken.respond(r -> Reply.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}"));
    }

    @AfterAll
    static void stop() {
        client.close(); // first: the gateway's stop would wait for its idle keep-alive connections
        gateway.close();
        for (FakeUpstream u : List.of(openai, compat, anthropic, gemini, azure, broken)) {
            u.close();
        }
    }

    static ResponseCreateParams.Builder ask(String model) {
        return ResponseCreateParams.builder().model(model).instructions("You are terse.").input("What is in this image?")
                .maxOutputTokens(256).temperature(0.2);
    }

    static FunctionTool weatherTool() {
        return FunctionTool.builder().name("get_weather").description("Current weather of a city")
                .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build())
                .strict(false).build();
    }

    static BigDecimal expectedCost() {
        return ChatScenarios.cost(200, IN, 100, CACHED, 0, BigDecimal.ZERO, 40, OUT);
    }

    static String outputText(Response response) {
        StringBuilder text = new StringBuilder();
        response.output().forEach(item -> item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text())))));
        return text.toString();
    }

    /** The endpoint column of a ledger row. */
    String endpoint(String requestId) throws Exception {
        gateway.ledger().flush();
        try (Connection c = gateway.database().dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT endpoint FROM ledger WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** The events of an SSE body as {@code [name, data]} pairs. */
    static List<Map.Entry<String, JsonNode>> events(String body) throws Exception {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = null;
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (name != null) {
                out.add(Map.entry(name, JSON.readTree(data)));
            }
        }
        return out;
    }

    HttpResponse<String> rawResponses(String body) {
        return new Http(gateway.port()).post("/v1/responses", KEY, body);
    }

    @Test
    void translatedAnswerCarriesOutputTextUsageAndTheSameSpendAsChat() throws Exception {
        compat.respond(r -> Reply.json(200, CHAT_ANSWER));

        Response response = client.responses().create(ask("gpt-chat").build());

        FakeUpstream.Received sent = compat.last();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.json().path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(sent.json().path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"system","content":"You are terse."},{"role":"user","content":"What is in this image?"}]"""));
        assertThat(sent.json().path("max_completion_tokens").asInt()).isEqualTo(256);
        assertThat(sent.json().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(response.id()).isEqualTo("resp_Bx1");
        assertThat(response.status().orElseThrow().asString()).isEqualTo("completed");
        assertThat(outputText(response)).isEqualTo("A single pixel.");
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(300);
        assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(100);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(40);
        assertThat(response.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(10);
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(340);
        response.validate(); // every field the SDK declares required is there, with its type
        String responsesId = Ledger.lastRequestId(gateway);
        Ledger.Row responsesRow = Ledger.row(gateway, responsesId);

        client.chat().completions().create(ChatScenarios.rich("gpt-chat").build());
        String chatId = Ledger.lastRequestId(gateway);
        Ledger.Row chatRow = Ledger.row(gateway, chatId);

        assertThat(responsesRow).isEqualTo(chatRow);
        assertThat(responsesRow.costUsd()).isEqualByComparingTo(expectedCost());
        assertThat(responsesRow.estimated()).isFalse();
        assertThat(endpoint(responsesId)).isEqualTo("responses");
        assertThat(endpoint(chatId)).isEqualTo("chat");
    }

    @Test
    void openAiBackendGetsTheClientsOwnBodyAndItsAnswerUnchanged() throws Exception {
        openai.respond(r -> Reply.json(200, NATIVE_ANSWER));

        Response response = client.responses().create(ask("gpt-native").store(true).addTool(WebSearchTool.builder()
                .type(WebSearchTool.Type.WEB_SEARCH).build()).build());

        FakeUpstream.Received sent = openai.last();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-openai-upstream-secret");
        assertThat(sent.json().path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(sent.json().path("input").asText()).isEqualTo("What is in this image?");
        assertThat(sent.json().path("instructions").asText()).isEqualTo("You are terse.");
        assertThat(sent.json().path("store").asBoolean()).isTrue();
        assertThat(sent.json().path("tools").path(0).path("type").asText()).isEqualTo("web_search");
        assertThat(response.id()).isEqualTo("resp_67ccd2bed1ec8190");
        assertThat(outputText(response)).isEqualTo("Native hello.");
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.provider()).isEqualTo("openai");
        assertThat(row.promptTokens()).isEqualTo(300);
        assertThat(row.cachedTokens()).isEqualTo(100);
        assertThat(row.reasoningTokens()).isEqualTo(10);
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void azureServesResponsesNativelyOnItsV1Path() throws Exception {
        azure.respond(r -> Reply.json(200, NATIVE_ANSWER));

        Response response = client.responses().create(ask("azure-gpt").build());

        assertThat(azure.last().path()).isEqualTo("/openai/v1/responses");
        assertThat(azure.last().header("api-key")).isEqualTo("az-secret");
        assertThat(azure.last().json().path("model").asText()).isEqualTo("my-deployment");
        assertThat(outputText(response)).isEqualTo("Native hello.");
        assertThat(Ledger.row(gateway, Ledger.lastRequestId(gateway)).costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void nativeStreamIsRelayedUnchangedAndItsUsageBilled() throws Exception {
        openai.respond(r -> Reply.sse(List.of(
                "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                        + NATIVE_ANSWER.replace("\"completed\"", "\"in_progress\"") + "}\n\n",
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
                        + "\"item_id\":\"msg_67ccd2bf17f0\",\"output_index\":0,\"content_index\":0,\"delta\":\"Native \",\"logprobs\":[]}\n\n",
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":2,"
                        + "\"item_id\":\"msg_67ccd2bf17f0\",\"output_index\":0,\"content_index\":0,\"delta\":\"hello.\",\"logprobs\":[]}\n\n",
                "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":3,\"response\":" + NATIVE_ANSWER + "}\n\n")));

        StringBuilder text = new StringBuilder();
        List<Long> sequence = new ArrayList<>();
        Response done = null;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ask("gpt-native").build())) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                e.outputTextDelta().ifPresent(d -> {
                    text.append(d.delta());
                    sequence.add(d.sequenceNumber());
                });
                if (e.isCompleted()) {
                    done = e.asCompleted().response();
                }
            }
        }

        assertThat(openai.last().json().path("stream").asBoolean()).isTrue();
        assertThat(text.toString()).isEqualTo("Native hello.");
        assertThat(sequence).containsExactly(1L, 2L);
        assertThat(done).isNotNull();
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void nativeStreamThatBreaksOffEndsWithAnErrorEventNumberedAfterTheLast() throws Exception {
        openai.respond(r -> Reply.sse(List.of(
                "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
                        + NATIVE_ANSWER.replace("\"completed\"", "\"in_progress\"") + "}\n\n",
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,"
                        + "\"item_id\":\"msg_67ccd2bf17f0\",\"output_index\":0,\"content_index\":0,\"delta\":\"Native \",\"logprobs\":[]}\n\n")));

        HttpResponse<String> raw = rawResponses("{\"model\":\"gpt-native\",\"input\":\"Hi\",\"stream\":true}");

        List<Map.Entry<String, JsonNode>> events = events(raw.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("response.created", "response.output_text.delta", "error");
        JsonNode error = events.getLast().getValue();
        assertThat(error.path("sequence_number").asInt()).isEqualTo(2);
        assertThat(error.path("message").asText()).contains("openai-main");
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.estimated()).isTrue();
    }

    @Test
    void translatedStreamFollowsTheResponsesEventSequence() throws Exception {
        anthropic.respond(r -> Reply.sse(List.of(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01Stream\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
                        + "\"usage\":{\"input_tokens\":200,\"cache_read_input_tokens\":100,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"A single\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" pixel.\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")));

        HttpResponse<String> raw = rawResponses("{\"model\":\"claude\",\"input\":\"Hi\",\"stream\":true}");
        StringBuilder sdkText = new StringBuilder();
        Response sdkDone = null;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ask("claude").build())) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                e.outputTextDelta().ifPresent(d -> sdkText.append(d.delta()));
                if (e.isCompleted()) {
                    sdkDone = e.asCompleted().response();
                }
            }
        }

        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<Map.Entry<String, JsonNode>> events = events(raw.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getValue().path("type").asText()).isEqualTo(events.get(i).getKey());
            assertThat(events.get(i).getValue().path("sequence_number").asInt()).isEqualTo(i);
        }
        assertThat(events.get(6).getValue().path("text").asText()).isEqualTo("A single pixel.");
        JsonNode completed = events.getLast().getValue().path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("A single pixel.");
        assertThat(completed.path("usage")).isEqualTo(JSON.readTree("""
                {"input_tokens":300,"input_tokens_details":{"cached_tokens":100,"cache_write_tokens":0},"output_tokens":40,
                 "output_tokens_details":{"reasoning_tokens":0},"total_tokens":340}"""));
        assertThat(sdkText.toString()).isEqualTo("A single pixel.");
        assertThat(sdkDone).isNotNull();
        assertThat(sdkDone.usage().orElseThrow().outputTokens()).isEqualTo(40);
        assertThat(anthropic.last().json().path("system").toString()).contains("You are terse.");
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.promptTokens()).isEqualTo(300);
        assertThat(row.costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void functionCallRoundTripsThroughAnthropic() throws Exception {
        anthropic.respond(r -> Reply.json(200, "{\"id\":\"msg_01T\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Let me check.\"},{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Paris\"}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":30,\"output_tokens\":12}}"));
        ResponseCreateParams first = ResponseCreateParams.builder().model("claude").input("Weather in Paris?").addTool(weatherTool()).build();

        Response answer = client.responses().create(first);

        JsonNode sentTools = anthropic.last().json().path("tools");
        assertThat(sentTools).isEqualTo(JSON.readTree("""
                [{"name":"get_weather","description":"Current weather of a city",
                  "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]"""));
        ResponseFunctionToolCall call = answer.output().stream().flatMap(i -> i.functionCall().stream()).findFirst().orElseThrow();
        assertThat(call.callId()).isEqualTo("toolu_01");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.arguments())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
        assertThat(outputText(answer)).isEqualTo("Let me check.");

        anthropic.respond(r -> Reply.json(200, "{\"id\":\"msg_01U\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"Sunny, 21 °C.\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":60,\"output_tokens\":8}}"));
        List<ResponseInputItem> history = new ArrayList<>();
        history.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                .role(EasyInputMessage.Role.USER).content("Weather in Paris?").build()));
        answer.output().forEach(item -> {
            item.message().ifPresent(m -> history.add(ResponseInputItem.ofResponseOutputMessage(m)));
            item.functionCall().ifPresent(c -> history.add(ResponseInputItem.ofFunctionCall(c)));
        });
        history.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("{\"temp_c\":21,\"sky\":\"sunny\"}").build()));

        Response second = client.responses().create(ResponseCreateParams.builder().model("claude").inputOfResponse(history)
                .addTool(weatherTool()).build());

        assertThat(anthropic.last().json().path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
                 {"role":"assistant","content":[{"type":"text","text":"Let me check."},
                   {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"{\\"temp_c\\":21,\\"sky\\":\\"sunny\\"}"}]}]"""));
        assertThat(outputText(second)).isEqualTo("Sunny, 21 °C.");
    }

    @Test
    void streamedFunctionCallArrivesAsArgumentDeltas() throws Exception {
        String head = "{\"id\":\"chatcmpl-F1\",\"object\":\"chat.completion.chunk\",\"created\":1750000000,\"model\":\"gpt-4.1\",";
        compat.respond(r -> Reply.sse(List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_abc\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},"
                        + "\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},"
                        + "\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
                "data: " + head + "\"choices\":[]," + CHAT_USAGE + "}\n\n",
                "data: [DONE]\n\n")));

        HttpResponse<String> raw = rawResponses("""
                {"model":"gpt-chat","input":"Weather in Paris?","stream":true,
                 "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
                 "tool_choice":{"type":"function","name":"get_weather"}}""");

        assertThat(compat.last().json().path("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]"""));
        assertThat(compat.last().json().path("tool_choice")).isEqualTo(JSON.readTree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"));
        List<Map.Entry<String, JsonNode>> events = events(raw.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        assertThat(events.get(2).getValue().path("item").path("call_id").asText()).isEqualTo("call_abc");
        assertThat(events.get(5).getValue().path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        JsonNode item = events.getLast().getValue().path("response").path("output").path(0);
        assertThat(item.path("type").asText()).isEqualTo("function_call");
        assertThat(item.path("name").asText()).isEqualTo("get_weather");
        assertThat(item.path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(events.getLast().getValue().path("response").path("usage").path("total_tokens").asInt()).isEqualTo(340);
    }

    @Test
    void parallelStreamedFunctionCallsBecomeOneItemEach() throws Exception {
        String head = "{\"id\":\"chatcmpl-F2\",\"object\":\"chat.completion.chunk\",\"created\":1750000000,\"model\":\"gpt-4.1\",";
        compat.respond(r -> Reply.sse(List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_p\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_r\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\\"Rome\\\"}\"}}]},"
                        + "\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
                "data: [DONE]\n\n")));

        HttpResponse<String> raw = rawResponses("{\"model\":\"gpt-chat\",\"input\":\"Weather in Paris and Rome?\",\"stream\":true}");

        List<Map.Entry<String, JsonNode>> events = events(raw.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed");
        assertThat(events.get(6).getValue().path("output_index").asInt()).isEqualTo(1);
        JsonNode output = events.getLast().getValue().path("response").path("output");
        assertThat(output).hasSize(2);
        assertThat(output.path(0).path("call_id").asText()).isEqualTo("call_p");
        assertThat(output.path(1).path("call_id").asText()).isEqualTo("call_r");
        assertThat(output.path(1).path("arguments").asText()).isEqualTo("{\"city\":\"Rome\"}");
    }

    @Test
    void geminiAnswerIsTranslated() throws Exception {
        gemini.respond(r -> Reply.json(200, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"A single pixel.\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":300,\"candidatesTokenCount\":30,"
                + "\"totalTokenCount\":340,\"cachedContentTokenCount\":100,\"thoughtsTokenCount\":10},\"modelVersion\":\"gemini-2.5-flash\"}"));

        Response response = client.responses().create(ask("flash").build());

        assertThat(gemini.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(gemini.last().json().path("systemInstruction").toString()).contains("You are terse.");
        assertThat(gemini.last().json().path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(256);
        assertThat(outputText(response)).isEqualTo("A single pixel.");
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(40);
        assertThat(response.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isEqualTo(10);
        assertThat(Ledger.row(gateway, Ledger.lastRequestId(gateway)).costUsd()).isEqualByComparingTo(expectedCost());
    }

    @Test
    void mockBackendAnswersWholeAndStreamed() {
        Response whole = client.responses().create(ResponseCreateParams.builder().model("mocked").input("Hi").build());
        StringBuilder streamed = new StringBuilder();
        Response done = null;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
                ResponseCreateParams.builder().model("mocked").input("Hi").build())) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                e.outputTextDelta().ifPresent(d -> streamed.append(d.delta()));
                if (e.isCompleted()) {
                    done = e.asCompleted().response();
                }
            }
        }

        assertThat(outputText(whole)).isNotEmpty();
        assertThat(streamed.toString()).isEqualTo(outputText(whole));
        assertThat(done).isNotNull();
        assertThat(outputText(done)).isEqualTo(outputText(whole));
        assertThat(done.usage().orElseThrow().totalTokens()).isPositive();
    }

    @Test
    void previousResponseIdIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> client.responses().create(ask("gpt-native").previousResponseId("resp_123").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).hasValue("invalid_request_error");
                    assertThat(e.param()).hasValue("previous_response_id");
                    assertThat(e.getMessage()).contains("no conversation state");
                });
        assertThat(openai.received()).isEmpty();
    }

    @Test
    void storedResponsesCannotBeReadBack() {
        assertThatThrownBy(() -> client.responses().retrieve("resp_67ccd2bed1ec8190"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("Unknown path"));
    }

    @Test
    void builtInToolIsRefusedOnATranslatedBackend() {
        assertThatThrownBy(() -> client.responses().create(ask("claude").addTool(WebSearchTool.builder()
                .type(WebSearchTool.Type.WEB_SEARCH).build()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.param()).hasValue("tools[0].type");
                    assertThat(e.getMessage()).contains("'web_search'").contains("natively");
                });
        assertThat(anthropic.received()).isEmpty();
    }

    @Test
    void budgetRefusalComesInOpenAisShape() {
        compat.respond(r -> Reply.json(200, CHAT_ANSWER));
        OpenAIClient tiny = ChatScenarios.client(gateway, "sk-tg-tiny-budget-1");
        tiny.responses().create(ResponseCreateParams.builder().model("gpt-chat").input("Hi").build());

        assertThatThrownBy(() -> tiny.responses().create(ask("gpt-chat").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.code()).hasValue("budget_exceeded");
                    assertThat(e.getMessage()).contains("key 'tiny'");
                });
        assertThat(compat.received()).hasSize(1);
    }

    @Test
    void failingNativeBackendFallsBackToATranslatedOne() throws Exception {
        anthropic.respond(r -> Reply.json(200, "{\"id\":\"msg_01F\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"From the spare.\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":300,\"output_tokens\":40}}"));

        Response response = client.responses().create(ask("resilient").build());

        assertThat(broken.received()).hasSize(1);
        assertThat(broken.last().path()).isEqualTo("/v1/responses");
        assertThat(anthropic.received()).hasSize(1);
        assertThat(outputText(response)).isEqualTo("From the spare.");
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.provider()).isEqualTo("anthropic");
        assertThat(row.status()).isEqualTo(200);
    }

    @Test
    void streamBrokenAfterTheFirstByteEndsWithResponseFailed() throws Exception {
        String head = "{\"id\":\"chatcmpl-X1\",\"object\":\"chat.completion.chunk\",\"created\":1750000000,\"model\":\"gpt-4.1\",";
        compat.respond(r -> Reply.sse(List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Half an\"},\"finish_reason\":null}]}\n\n")));

        HttpResponse<String> raw = rawResponses("{\"model\":\"gpt-chat\",\"input\":\"Hi\",\"stream\":true}");

        List<Map.Entry<String, JsonNode>> events = events(raw.body());
        assertThat(events.getFirst().getKey()).isEqualTo("response.created");
        assertThat(events.getLast().getKey()).isEqualTo("response.failed");
        JsonNode failed = events.getLast().getValue().path("response");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("message").asText()).contains("vllm-main");
        assertThat(failed.path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("Half an");
        assertThat(events).extracting(e -> e.getValue().path("sequence_number").asInt()).isSorted();
    }
}
