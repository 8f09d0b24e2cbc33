package dev.tollgate.gateway.inbound.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.LedgerRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/messages/count_tokens} with Anthropic's own request shape (no {@code max_tokens}): Anthropic's count
 * through a fake Anthropic upstream speaking its wire format, the tokenizer's estimate for an OpenAI backend.
 */
class MessagesCountTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = MessagesGateway.KEY;
    /** As the Anthropic SDK's {@code messages.countTokens()} sends it: no max_tokens. */
    private static final String BODY = """
            {"model":"%s","system":"You are a scientist.",
             "messages":[{"role":"user","content":"Hello, Claude"}],
             "tools":[{"name":"get_weather","description":"Get the weather","input_schema":{"type":"object",
               "properties":{"location":{"type":"string"}},"required":["location"]}}]}""";

    @RegisterExtension
    static final MessagesGateway FIXTURE = new MessagesGateway();

    final FakeUpstream openai = FIXTURE.openai();
    final FakeUpstream anthropic = FIXTURE.anthropic();
    final Gateway gateway = FIXTURE.gateway();
    final Http http = FIXTURE.http();

    private HttpResponse<String> count(String model, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.uri("/v1/messages/count_tokens")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(model)));
        headers.forEach(b::header);
        return http.send(b.build());
    }

    @Test
    void anAnthropicRouteAnswersAnthropicsOwnCount() throws Exception {
        anthropic.respond(r -> r.path().equals("/v1/messages/count_tokens")
                ? Reply.json(200, "{\"input_tokens\":403}")
                : Reply.json(500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"unexpected\"}}"));

        HttpResponse<String> r = count("claude", Map.of("x-api-key", KEY, "anthropic-beta", "token-counting-2024-11-01"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("{\"input_tokens\":403}"));
        assertThat(r.headers().firstValue("x-tollgate-token-count")).hasValue("provider");
        FakeUpstream.Received sent = anthropic.last();
        assertThat(sent.path()).isEqualTo("/v1/messages/count_tokens");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-upstream-secret");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("anthropic-beta")).isEqualTo("token-counting-2024-11-01");
        JsonNode body = sent.json();
        assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(body.get("system").asText()).isEqualTo("You are a scientist.");
        assertThat(body.get("tools").get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(LedgerRows.all(gateway)).as("nothing is spent or recorded").isEmpty();
    }

    @Test
    void aNonAnthropicRouteAnswersTheTokenizersEstimateWithoutCallingUpstream() throws Exception {
        HttpResponse<String> r = count("gpt", Map.of("x-api-key", KEY));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("input_tokens").asLong()).isBetween(20L, 120L);
        assertThat(r.headers().firstValue("x-tollgate-token-count")).hasValue("estimate");
        assertThat(openai.received()).isEmpty();
    }

    @Test
    void anAnthropicServerErrorFallsBackToTheEstimateButItsRefusalReachesTheClient() throws Exception {
        anthropic.respond(r -> Reply.json(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        HttpResponse<String> overloaded = count("claude", Map.of("x-api-key", KEY));

        anthropic.respond(r -> Reply.json(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"messages.0.content: Input should be a valid list (key sk-ant-upstream-secret)\"}}"));
        HttpResponse<String> refused = count("claude", Map.of("x-api-key", KEY));

        assertThat(overloaded.statusCode()).isEqualTo(200);
        assertThat(overloaded.headers().firstValue("x-tollgate-token-count")).hasValue("estimate");
        assertThat(JSON.readTree(overloaded.body()).get("input_tokens").asLong()).isPositive();
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(refused.body());
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.get("error").get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("error").get("message").asText()).contains("Input should be a valid list")
                .doesNotContain("sk-ant-upstream-secret");
    }

    @Test
    void withoutAKeyOrWithABadBodyTheAnswerIsAnAnthropicError() throws Exception {
        HttpResponse<String> noKey = count("claude", Map.of());
        HttpResponse<String> noMessages = http.send(HttpRequest.newBuilder(http.uri("/v1/messages/count_tokens"))
                .header("content-type", "application/json").header("x-api-key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude\"}")).build());

        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(noKey.body()).get("error").get("type").asText()).isEqualTo("authentication_error");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noMessages.body()).get("error").get("message").asText()).contains("messages");
        assertThat(anthropic.received()).isEmpty();
    }
}
