package dev.tollgate.gateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client's bad requests stay that client's problem: they are 400s in OpenAI's error shape, never reach the
 * upstream, and never count against a backend's circuit breaker, quota or retries, so every other key keeps being
 * served. Real gateway, fake upstreams over HTTP in each provider's wire format.
 */
class ClientFaultIsolationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BAD_KEY = "sk-tg-isolation-bad-client";
    private static final String GOOD_KEY = "sk-tg-isolation-good-client";
    /** Retried, with a breaker that five backend faults open. */
    private static final String BREAKER = "    retries: 2\n    backoff: { initial: 1ms, max: 5ms }\n    circuitBreaker: { failureThreshold: 5, cooldown: 60s }\n";

    /** Provider kinds and the backend lines that point them at a fake upstream ({@code %s} = its base URL). */
    private static final Map<String, String> PROVIDERS = Map.of(
            "anthropic", "{ name: anthropic-b, provider: anthropic, model: claude-sonnet-4-5, baseUrl: %s, apiKey: sk-ant-secret-0001 }",
            "gemini", "{ name: gemini-b, provider: gemini, model: gemini-2.5-flash, baseUrl: %s, apiKey: AIza-secret-0001 }",
            "bedrock", "{ name: bedrock-b, provider: bedrock, model: anthropic.claude-3-haiku-20240307-v1:0, baseUrl: %s, region: us-east-1, "
                    + "aws: { accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\" } }",
            "cohere", "{ name: cohere-b, provider: cohere, model: command-a-03-2025, baseUrl: %s, apiKey: co-secret-0001 }",
            "azure", "{ name: azure-b, provider: azure, model: my-deployment, baseUrl: %s, apiVersion: 2024-10-21, apiKey: azure-secret-0001,"
                    + " pricing: { inputPerMillion: 2.50, outputPerMillion: 10 } }",
            "openai", "{ name: openai-b, provider: openai, model: gpt-4o-mini, baseUrl: %s/v1, apiKey: sk-openai-secret-0001 }",
            "mistral", "{ name: mistral-b, provider: mistral, model: mistral-medium-latest, baseUrl: %s/v1, apiKey: mistral-secret-0001 }",
            "ollama", "{ name: ollama-b, provider: ollama, model: llama3.2, baseUrl: %s, pricing: { free: true } }");

    /** Chat requests that break some field's type or bound, each with the param the 400 must name. */
    private static final List<Map.Entry<String, String>> MALFORMED_CHAT = List.of(
            Map.entry("tools", "\"tools\":{\"type\":\"function\"}"),
            Map.entry("tools[0]", "\"tools\":[null]"),
            Map.entry("tools[0].function", "\"tools\":[{\"type\":\"function\",\"function\":\"get_weather\"}]"),
            Map.entry("tools[0].function.parameters", "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":[1]}}]"),
            Map.entry("tool_choice", "\"tool_choice\":5"),
            Map.entry("stop", "\"stop\":{\"x\":1}"),
            Map.entry("stop[0]", "\"stop\":[1,2]"),
            Map.entry("temperature", "\"temperature\":\"hot\""),
            Map.entry("max_tokens", "\"max_tokens\":2147483647"),
            Map.entry("max_tokens", "\"max_tokens\":-1"),
            Map.entry("max_completion_tokens", "\"max_completion_tokens\":1e40"),
            Map.entry("max_completion_tokens", "\"max_completion_tokens\":9223372036854775807"),
            Map.entry("n", "\"n\":100000"),
            Map.entry("logit_bias", "\"logit_bias\":[1,2]"),
            Map.entry("stream_options", "\"stream_options\":\"yes\""),
            Map.entry("user", "\"user\":42"));

    /** Messages that break a message's shape (replacing the whole {@code messages} array). */
    private static final List<Map.Entry<String, String>> MALFORMED_MESSAGES = List.of(
            Map.entry("messages[0].content", "[{\"role\":\"user\",\"content\":42}]"),
            Map.entry("messages[0].content[0]", "[{\"role\":\"user\",\"content\":[null]}]"),
            Map.entry("messages[0].content[0].image_url", "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"x\"}]}]"),
            Map.entry("messages[0].role", "[{\"role\":\"wizard\",\"content\":\"hi\"}]"),
            Map.entry("messages[1].tool_calls", "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"tool_calls\":{\"id\":\"x\"}}]"),
            Map.entry("messages[1].tool_calls[0].function.arguments",
                    "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                            + "\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]}]"),
            Map.entry("messages[0]", "[null]"));

    /** Messages API requests (on /v1/messages) that break a field's type or bound. */
    private static final List<Map.Entry<String, String>> MALFORMED_MESSAGES_API = List.of(
            Map.entry("messages.0", "\"max_tokens\":100,\"messages\":[null]"),
            Map.entry("tools", "\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":{\"name\":\"f\"}"),
            Map.entry("tools.0", "\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[null]"),
            Map.entry("messages.0.content", "\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":5}]"),
            Map.entry("messages.0.content.0", "\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":[\"text\"]}]"),
            Map.entry("system", "\"max_tokens\":100,\"system\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"),
            Map.entry("tool_choice", "\"max_tokens\":100,\"tool_choice\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"),
            Map.entry("stop_sequences", "\"max_tokens\":100,\"stop_sequences\":\"END\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"),
            Map.entry("max_tokens", "\"max_tokens\":2147483647,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"),
            Map.entry("temperature", "\"max_tokens\":100,\"temperature\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"),
            Map.entry("metadata", "\"max_tokens\":100,\"metadata\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"));

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Gateway gateway;
    private Http http;

    @AfterEach
    void close() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T opened(T c) {
        open.add(c);
        return c;
    }

    private void start(String routes) {
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + "routes:\n" + routes + """
                keys:
                  - { name: bad, key: %s }
                  - { name: good, key: %s }
                """.formatted(BAD_KEY, GOOD_KEY));
        http = new Http(gateway.port());
    }

    private static String chat(String model, String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static JsonNode error(HttpResponse<String> r) throws Exception {
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("message").isTextual()).as(r.body()).isTrue();
        return error;
    }

    @Test
    void malformedInputsAre400sForEveryProviderAndNeverReachOrTripTheBackend() throws Exception {
        FakeUpstream upstream = opened(new FakeUpstream().respond(r -> Reply.json(500, "{}")));
        StringBuilder routes = new StringBuilder();
        PROVIDERS.forEach((kind, backend) -> routes.append("  - model: ").append(kind).append("\n    circuitBreaker: { failureThreshold: 5, cooldown: 60s }\n")
                .append("    backends:\n      - ").append(backend.formatted(upstream.baseUrl())).append('\n'));
        start(routes.toString());
        for (String kind : PROVIDERS.keySet()) {
            for (Map.Entry<String, String> bad : MALFORMED_CHAT) {
                for (boolean stream : new boolean[] {false, true}) {
                    String extra = bad.getValue() + (stream ? ",\"stream\":true" : "");
                    HttpResponse<String> r = http.post("/v1/chat/completions", BAD_KEY, chat(kind, extra));
                    assertThat(r.statusCode()).as(kind + " " + extra + ": " + r.body()).isEqualTo(400);
                    JsonNode error = error(r);
                    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
                    assertThat(error.path("param").asText()).as(kind + " " + extra).isEqualTo(bad.getKey());
                }
            }
            for (Map.Entry<String, String> bad : MALFORMED_MESSAGES) {
                HttpResponse<String> r = http.post("/v1/chat/completions", BAD_KEY,
                        "{\"model\":\"" + kind + "\",\"messages\":" + bad.getValue() + "}");
                assertThat(r.statusCode()).as(kind + " " + bad.getValue() + ": " + r.body()).isEqualTo(400);
                assertThat(error(r).path("param").asText()).as(kind + " " + bad.getValue()).isEqualTo(bad.getKey());
            }
            for (Map.Entry<String, String> bad : MALFORMED_MESSAGES_API) {
                for (String path : new String[] {"/v1/messages", "/v1/messages/count_tokens"}) {
                    HttpResponse<String> r = http.post(path, BAD_KEY, "{\"model\":\"" + kind + "\"," + bad.getValue() + "}");
                    assertThat(r.statusCode()).as(kind + " " + path + " " + bad.getValue() + ": " + r.body()).isEqualTo(400);
                    JsonNode body = JSON.readTree(r.body());
                    assertThat(body.path("type").asText()).isEqualTo("error");
                    assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
                    assertThat(body.path("error").path("message").asText()).startsWith(bad.getKey() + ":");
                }
            }
        }
        assertThat(upstream.received()).as("no malformed request went upstream").isEmpty();
        // every breaker is still closed: another client's request reaches each backend (which answers 500 -> 502, not
        // the 503 of an open circuit)
        for (String kind : PROVIDERS.keySet()) {
            HttpResponse<String> r = http.post("/v1/chat/completions", GOOD_KEY, chat(kind, ""));
            assertThat(r.statusCode()).as(kind + ": " + r.body()).isEqualTo(502);
        }
        assertThat(upstream.received()).as("one call per backend").hasSize(PROVIDERS.size());
    }

    @Test
    void badRequestsOfOneKeyNeverOpenTheBreakerOrSpendTheQuotaOfAnother() throws Exception {
        FakeOpenAiUpstream openai = opened(new FakeOpenAiUpstream());
        FakeUpstream anthropic = opened(new FakeUpstream().respond(r -> Reply.json(200, AnthropicAnswers.MESSAGE)));
        start("""
                  - model: claude
                %s    backends:
                      - { name: claude-b, provider: anthropic, model: claude-sonnet-4-5, baseUrl: %s, apiKey: sk-ant-secret-0001, rpm: 3 }
                  - model: gpt
                %s    backends:
                      - { name: gpt-b, provider: openai, model: gpt-4o-mini, baseUrl: %s, rpm: 3 }
                """.formatted(BREAKER, anthropic.baseUrl(), BREAKER, openai.baseUrl()));
        for (int i = 0; i < 10; i++) {
            // a parameter Anthropic cannot take: refused by the translator, after the backend was chosen
            HttpResponse<String> r = http.post("/v1/chat/completions", BAD_KEY, chat("claude", "\"logit_bias\":{\"50256\":-100}"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(error(r).path("param").asText()).isEqualTo("logit_bias");
            assertThat(r.headers().firstValue("x-tollgate-attempts")).as("never retried").hasValue("1");
            // Anthropic-only content sent to an OpenAI backend through the Messages API: refused when translated
            HttpResponse<String> m = http.post("/v1/messages", BAD_KEY, "{\"model\":\"gpt\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
                    + "\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"x\"}}]}]}");
            assertThat(m.statusCode()).as(m.body()).isEqualTo(400);
            HttpResponse<String> t = http.post("/v1/messages", BAD_KEY, "{\"model\":\"claude\",\"max_tokens\":100,\"messages\":[null]}");
            assertThat(t.statusCode()).as(t.body()).isEqualTo(400);
        }
        assertThat(anthropic.received()).isEmpty();
        assertThat(openai.received()).isEmpty();
        // rpm 3 on each backend: ten refused requests took none of it, so the other key gets three answers from each
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/v1/chat/completions", GOOD_KEY, chat("claude", "")).statusCode()).isEqualTo(200);
            assertThat(http.post("/v1/chat/completions", GOOD_KEY, chat("gpt", "")).statusCode()).isEqualTo(200);
        }
        assertThat(http.post("/v1/chat/completions", GOOD_KEY, chat("gpt", "")).statusCode()).as("the quota itself still holds").isEqualTo(429);
    }

    @Test
    void theLargestMaxTokensNeverShutsABackendForOthers() throws Exception {
        FakeOpenAiUpstream openai = opened(new FakeOpenAiUpstream());
        start("""
                  - model: gpt
                    backends:
                      - { name: gpt-b, provider: openai, model: gpt-4o-mini, baseUrl: %s, tpm: 100000 }
                """.formatted(openai.baseUrl()));
        for (String huge : new String[] {"\"max_tokens\":1000000,\"n\":128", "\"max_completion_tokens\":1000000"}) {
            HttpResponse<String> r = http.post("/v1/chat/completions", BAD_KEY, chat("gpt", huge));
            assertThat(r.statusCode()).as("more than the backend's tpm on its own: " + r.body()).isEqualTo(429);
            assertThat(error(r).path("code").asText()).isEqualTo("backends_at_capacity");
        }
        for (int i = 0; i < 5; i++) {
            assertThat(http.post("/v1/chat/completions", GOOD_KEY, chat("gpt", "\"max_tokens\":1000")).statusCode()).isEqualTo(200);
        }
        assertThat(openai.received()).hasSize(5);
    }

    @Test
    void anUpstream401WithoutChallengeIsAClearErrorStreamedOrNot() throws Exception {
        FakeUpstream refusing = opened(new FakeUpstream().respond(r -> Reply.json(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: sk-live-upstream-secret-9999.\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"invalid_api_key\"}}")));
        start("""
                  - model: gpt
                    backends:
                      - { name: gpt-b, provider: openai, model: gpt-4o-mini, baseUrl: %s/v1, apiKey: sk-live-upstream-secret-9999 }
                """.formatted(refusing.baseUrl()));
        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> r = http.post("/v1/chat/completions", GOOD_KEY, chat("gpt", "\"stream\":" + stream));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
            JsonNode error = error(r);
            assertThat(error.path("code").asText()).isEqualTo("upstream_auth_failed");
            assertThat(error.path("message").asText()).contains("refused the gateway's credentials");
            assertThat(r.body()).doesNotContain("sk-live-upstream-secret-9999");
        }
    }

    @Test
    void anUpstreamEchoingItsKeyInAnErrorNeverShowsItToTheClient() throws Exception {
        String key = "sk-proj-Upstream0Secret0Key0123456789";
        FakeUpstream echoing = opened(new FakeUpstream().respond(r -> Reply.json(400,
                "{\"error\":{\"message\":\"Invalid 'messages': the request sent with Authorization: " + r.header("authorization")
                        + " (key " + key + ", also sk-other-LeakedToken-abcdef) has an empty message.\",\"type\":\"invalid_request_error\"}}")));
        FakeUpstream anthropicEcho = opened(new FakeUpstream().respond(r -> Reply.json(400,
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"x-api-key " + r.header("x-api-key")
                        + " may not be used with this model\"}}")));
        start("""
                  - model: gpt
                    backends:
                      - { name: gpt-b, provider: openai, model: gpt-4o-mini, baseUrl: %s/v1, apiKey: %s }
                  - model: claude
                    backends:
                      - { name: claude-b, provider: anthropic, model: claude-sonnet-4-5, baseUrl: %s, apiKey: ant-plain-secret-value }
                """.formatted(echoing.baseUrl(), key, anthropicEcho.baseUrl()));
        for (boolean stream : new boolean[] {false, true}) {
            HttpResponse<String> r = http.post("/v1/chat/completions", GOOD_KEY, chat("gpt", "\"stream\":" + stream));
            assertThat(r.statusCode()).isEqualTo(400);
            String message = error(r).path("message").asText();
            assertThat(message).doesNotContain(key).doesNotContain("Upstream0Secret").doesNotContain("LeakedToken")
                    .contains("has an empty message").contains("[redacted]");
            HttpResponse<String> a = http.post("/v1/chat/completions", GOOD_KEY, chat("claude", "\"stream\":" + stream));
            assertThat(a.statusCode()).isEqualTo(400);
            assertThat(error(a).path("message").asText()).doesNotContain("ant-plain-secret-value")
                    .isEqualTo("x-api-key [redacted] may not be used with this model");
        }
    }

    /** A whole Anthropic Messages answer. */
    private static final class AnthropicAnswers {
        static final String MESSAGE = """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello."}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":3}}""";
    }
}
