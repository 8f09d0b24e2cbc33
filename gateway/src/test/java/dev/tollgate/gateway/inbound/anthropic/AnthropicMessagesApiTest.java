package dev.tollgate.gateway.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.ChatScenarios;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients speaking Anthropic's Messages API (raw HTTP, JSON asserted) → gateway → an OpenAI-format backend
 * (translated both ways) or an Anthropic backend (passed through natively), streamed and not.
 */
class AnthropicMessagesApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = MessagesGateway.KEY;
    static final String OPENAI_USAGE = "\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":40,\"total_tokens\":340,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":100},\"completion_tokens_details\":{\"reasoning_tokens\":0}}";
    static final String OPENAI_ANSWER = "{\"id\":\"chatcmpl-Bx1\",\"object\":\"chat.completion\",\"created\":1750000000,\"model\":\"gpt-4.1-2025-04-14\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"A single pixel.\",\"refusal\":null},"
            + "\"logprobs\":null,\"finish_reason\":\"stop\"}]," + OPENAI_USAGE + "}";
    static final String ANTHROPIC_MESSAGE = "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"Hi there.\"}],\"stop_reason\":\"end_turn\","
            + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":50,\"cache_read_input_tokens\":200,"
            + "\"output_tokens\":40}}";

    @RegisterExtension
    static final MessagesGateway FIXTURE = new MessagesGateway();

    final FakeUpstream openai = FIXTURE.openai();
    final FakeUpstream anthropic = FIXTURE.anthropic();
    final Gateway gateway = FIXTURE.gateway();
    final Http http = FIXTURE.http();

    HttpResponse<String> post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.uri(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build());
    }

    HttpResponse<String> messages(String body) {
        return post("/v1/messages", body, Map.of("x-api-key", KEY));
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

    @Test
    void messagesRequestIsTranslatedToOpenAiAndTheAnswerBack() throws Exception {
        openai.respond(r -> Reply.json(200, OPENAI_ANSWER));

        HttpResponse<String> response = messages("""
                {"model":"gpt","max_tokens":256,"system":[{"type":"text","text":"You are terse."}],
                 "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"text","text":"Hello!"}]},
                   {"role":"user","content":[{"type":"text","text":"What is in this image?"},
                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"%s"}}]}],
                 "temperature":0.2,"top_p":0.9,"stop_sequences":["END"],"metadata":{"user_id":"user-42"}}""".formatted(ChatScenarios.PNG));

        assertThat(response.statusCode()).isEqualTo(200);
        FakeUpstream.Received sent = openai.last();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-openai-upstream-secret");
        JsonNode upstreamBody = sent.json();
        assertThat(upstreamBody.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(upstreamBody.path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"system","content":"You are terse."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},
                 {"role":"user","content":[{"type":"text","text":"What is in this image?"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}]""".formatted(ChatScenarios.PNG)));
        assertThat(upstreamBody.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(upstreamBody.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(upstreamBody.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(upstreamBody.path("stop")).isEqualTo(JSON.readTree("[\"END\"]"));
        assertThat(upstreamBody.path("user").asText()).isEqualTo("user-42");

        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
                {"id":"msg_chatcmpl-Bx1","type":"message","role":"assistant","model":"gpt-4.1-2025-04-14",
                 "content":[{"type":"text","text":"A single pixel."}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":200,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":40}}"""));

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.provider()).isEqualTo("openai");
        assertThat(row.promptTokens()).isEqualTo(300);
        assertThat(row.cachedTokens()).isEqualTo(100);
        assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(200, new BigDecimal("2.00"), 100, new BigDecimal("0.50"),
                0, BigDecimal.ZERO, 40, new BigDecimal("8.00")));
        assertThat(http.get("/metrics", "sk-tg-admin-test-key").body()).contains("tollgate_requests_total{").contains("tollgate_upstream_attempts_total{backend=\"openai-main\"");
    }

    @Test
    void translatedStreamArrivesInAnthropicsEventFormatWithUsage() throws Exception {
        String head = "{\"id\":\"chatcmpl-S1\",\"object\":\"chat.completion.chunk\",\"created\":1750000000,\"model\":\"gpt-4.1-2025-04-14\",";
        openai.respond(r -> Reply.sse(List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A single\"},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" pixel.\"},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n",
                "data: " + head + "\"choices\":[]," + OPENAI_USAGE + "}\n\n",
                "data: [DONE]\n\n")));

        HttpResponse<String> response = messages("{\"model\":\"gpt\",\"max_tokens\":2,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        assertThat(openai.last().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
        List<Map.Entry<String, JsonNode>> events = events(response.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("message_start", "ping", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(0).getValue().path("message").path("id").asText()).isEqualTo("msg_chatcmpl-S1");
        assertThat(events.get(2).getValue()).isEqualTo(JSON.readTree(
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        assertThat(events.get(3).getValue()).isEqualTo(JSON.readTree(
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"A single\"}}"));
        assertThat(events.get(6).getValue()).isEqualTo(JSON.readTree("""
                {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},
                 "usage":{"input_tokens":200,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":40}}"""));

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(200, new BigDecimal("2.00"), 100, new BigDecimal("0.50"),
                0, BigDecimal.ZERO, 40, new BigDecimal("8.00")));
    }

    @Test
    void toolUseRoundTripsThroughAnOpenAiBackend() throws Exception {
        openai.respond(r -> Reply.json(200, "{\"id\":\"chatcmpl-T1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4.1\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_abc\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]," + OPENAI_USAGE + "}"));

        HttpResponse<String> response = messages("""
                {"model":"gpt","max_tokens":512,
                 "tools":[{"name":"get_weather","description":"Current weather of a city",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                 "tool_choice":{"type":"any","disable_parallel_tool_use":true},
                 "messages":[{"role":"user","content":"What is the weather in Paris?"},
                   {"role":"assistant","content":[{"type":"text","text":"Checking."},
                     {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Lyon"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"{\\"temp_c\\":18}"},
                     {"type":"text","text":"And Paris?"}]}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sent = openai.last().json();
        assertThat(sent.path("tools")).isEqualTo(JSON.readTree("""
                [{"type":"function","function":{"name":"get_weather","description":"Current weather of a city",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]"""));
        assertThat(sent.path("tool_choice").asText()).isEqualTo("required");
        assertThat(sent.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(sent.path("messages")).isEqualTo(JSON.readTree("""
                [{"role":"user","content":"What is the weather in Paris?"},
                 {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_01","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Lyon\\"}"}}]},
                 {"role":"tool","tool_call_id":"toolu_01","content":"{\\"temp_c\\":18}"},
                 {"role":"user","content":"And Paris?"}]"""));

        JsonNode message = JSON.readTree(response.body());
        assertThat(message.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(message.path("content")).isEqualTo(JSON.readTree(
                "[{\"type\":\"tool_use\",\"id\":\"call_abc\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}]"));
    }

    @Test
    void streamedToolCallBecomesAToolUseBlockWithInputJsonDeltas() throws Exception {
        String head = "{\"id\":\"chatcmpl-S2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1\",";
        openai.respond(r -> Reply.sse(List.of(
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                        + "\"id\":\"call_x\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}\n\n",
                "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
                "data: " + head + "\"choices\":[]," + OPENAI_USAGE + "}\n\n",
                "data: [DONE]\n\n")));

        HttpResponse<String> response = messages("{\"model\":\"gpt\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"}],"
                + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}]}");

        List<Map.Entry<String, JsonNode>> events = events(response.body());
        assertThat(events).extracting(Map.Entry::getKey).containsExactly("message_start", "ping", "content_block_start",
                "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        assertThat(events.get(2).getValue()).isEqualTo(JSON.readTree("""
                {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"call_x","name":"get_weather","input":{}}}"""));
        StringBuilder json = new StringBuilder();
        events.stream().filter(e -> e.getKey().equals("content_block_delta"))
                .forEach(e -> json.append(e.getValue().path("delta").path("partial_json").asText()));
        assertThat(JSON.readTree(json.toString())).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
        assertThat(events.get(6).getValue().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void anthropicBackendGetsTheClientsOwnRequestAndItsAnswerIsRelayedUnchanged() throws Exception {
        anthropic.respond(r -> Reply.json(200, ANTHROPIC_MESSAGE));
        String body = """
                {"model":"claude","max_tokens":1024,"top_k":5,"thinking":{"type":"enabled","budget_tokens":512},
                 "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}},
                   {"type":"text","text":"Hi"}]}]}""";

        HttpResponse<String> response = post("/v1/messages", body,
                Map.of("authorization", "Bearer " + KEY, "anthropic-beta", "prompt-caching-2024-07-31"));

        assertThat(response.statusCode()).isEqualTo(200);
        FakeUpstream.Received sent = anthropic.last();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-upstream-secret");
        assertThat(sent.header("anthropic-beta")).isEqualTo("prompt-caching-2024-07-31");
        JsonNode expected = JSON.readTree(body);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("model", "claude-sonnet-4-5");
        assertThat(sent.json()).isEqualTo(expected);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(ANTHROPIC_MESSAGE));

        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.provider()).isEqualTo("anthropic");
        assertThat(row.promptTokens()).isEqualTo(350);
        assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(100, new BigDecimal("3"), 200, new BigDecimal("0.30"),
                50, new BigDecimal("3.75"), 40, new BigDecimal("15")));
    }

    @Test
    void anthropicBackendStreamIsRelayedEventByEvent() throws Exception {
        List<String> upstreamEvents = List.of(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\","
                        + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,"
                        + "\"cache_creation_input_tokens\":50,\"cache_read_input_tokens\":200,\"output_tokens\":1}}}\n\n",
                "event: ping\ndata: {\"type\":\"ping\"}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi there.\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        anthropic.respond(r -> Reply.sse(upstreamEvents));

        HttpResponse<String> response = messages("{\"model\":\"claude\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        assertThat(anthropic.last().json().path("stream").asBoolean()).isTrue();
        assertThat(response.body()).isEqualTo(String.join("", upstreamEvents));
        Ledger.Row row = Ledger.row(gateway, Ledger.lastRequestId(gateway));
        assertThat(row.streamed()).isTrue();
        assertThat(row.estimated()).isFalse();
        assertThat(row.costUsd()).isEqualByComparingTo(ChatScenarios.cost(100, new BigDecimal("3"), 200, new BigDecimal("0.30"),
                50, new BigDecimal("3.75"), 40, new BigDecimal("15")));
    }

    @Test
    void errorsComeInAnthropicsShape() throws Exception {
        String hi = "{\"model\":\"gpt\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

        assertError(post("/v1/messages", hi, Map.of()), 401, "authentication_error");
        assertError(post("/v1/messages", hi, Map.of("x-api-key", "sk-tg-wrong")), 401, "authentication_error");
        assertError(post("/v1/messages", hi, Map.of("x-api-key", "sk-tg-narrow-key-5678")), 403, "permission_error");
        assertError(messages(hi.replace("\"gpt\"", "\"no-such-model\"")), 404, "not_found_error");
        HttpResponse<String> missing = messages("{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertError(missing, 400, "invalid_request_error");
        assertThat(JSON.readTree(missing.body()).path("error").path("message").asText()).contains("max_tokens");

        HttpResponse<String> untranslatable = messages("{\"model\":\"gpt\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"x\"}}]}]}");
        assertError(untranslatable, 400, "invalid_request_error");
        assertThat(JSON.readTree(untranslatable.body()).path("error").path("message").asText()).contains("messages.0.content.0").contains("document");
        assertThat(openai.received()).isEmpty();

        openai.respond(r -> Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}",
                Map.of("retry-after", "3")));
        HttpResponse<String> limited = messages(hi);
        assertError(limited, 429, "rate_limit_error");
        assertThat(limited.headers().firstValue("retry-after")).contains("3");

        anthropic.respond(r -> Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        assertError(messages(hi.replace("\"gpt\"", "\"claude\"")), 502, "api_error");
    }

    void assertError(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo(type);
        assertThat(body.path("error").path("message").asText()).isNotBlank();
    }
}
