package dev.tollgate.gateway.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Limits seen by a client of one gateway: OpenAI's 429 body, retry-after, and x-ratelimit headers. */
class RateLimitHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    FakeOpenAiUpstream upstream;
    Gateway gateway;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        upstream = new FakeOpenAiUpstream().usage(20, 5, 0);
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: gpt-4o-mini
                    backends:
                      - { name: fake, provider: openai, model: gpt-4o-mini, baseUrl: %s,
                          pricing: { inputPerMillion: 1, outputPerMillion: 2 } }
                teams:
                  - { name: t1, limits: { rpm: 3 } }
                  - { name: t2 }
                keys:
                  - { name: two-rpm, team: t2, key: sk-tg-two-rpm-1, limits: { rpm: 2 } }
                  - { name: tokens, team: t2, key: sk-tg-tokens-1, limits: { tpm: 200 } }
                  - { name: team-a, team: t1, key: sk-tg-team-a-1 }
                  - { name: team-b, team: t1, key: sk-tg-team-b-1 }
                  - { name: free, team: t2, key: sk-tg-free-key-1 }
                  - { name: one-at-a-time, team: t2, key: sk-tg-one-at-a-time-1, limits: { parallel: 1 } }
                """.formatted(upstream.baseUrl()));
    }

    @AfterEach
    void stop() {
        http.close(); // first: the gateway's stop would wait for its idle keep-alive connection
        gateway.close();
        upstream.close();
    }

    private HttpResponse<String> chat(String key, String extra) throws Exception {
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thirdRequestInAMinuteIsRefusedWithOpenAisBodyAndRetryAfter() throws Exception {
        HttpResponse<String> first = chat("sk-tg-two-rpm-1", "");
        HttpResponse<String> second = chat("sk-tg-two-rpm-1", "");
        HttpResponse<String> third = chat("sk-tg-two-rpm-1", "");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-requests")).hasValue("2");
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("1");
        assertThat(first.headers().firstValue("x-ratelimit-reset-requests")).hasValueSatisfying(v -> assertThat(v).matches("\\d+(ms|s|m\\d+s)"));
        assertThat(second.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        assertThat(third.statusCode()).isEqualTo(429);
        JsonNode error = JSON.readTree(third.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.get("message").asText()).contains("key 'two-rpm'").contains("requests per minute").contains("limit 2");
        assertThat(third.headers().firstValue("retry-after").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 61L));
        assertThat(third.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        assertThat(upstream.received()).hasSize(2);
    }

    @Test
    void teamLimitIsSharedByItsKeysAndNamedInTheRefusal() throws Exception {
        assertThat(chat("sk-tg-team-a-1", "").statusCode()).isEqualTo(200);
        assertThat(chat("sk-tg-team-b-1", "").statusCode()).isEqualTo(200);
        assertThat(chat("sk-tg-team-a-1", "").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat("sk-tg-team-b-1", "");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(refused.body()).at("/error/message").asText()).contains("team 't1'");
        assertThat(chat("sk-tg-free-key-1", "").statusCode()).isEqualTo(200);
    }

    @Test
    void tokensAreAdmittedOnTheEstimateAndSettledWithRealUsage() throws Exception {
        // Estimate: prompt (~8 tokens) + max_tokens 100; real usage 25. Settling frees the difference.
        HttpResponse<String> first = chat("sk-tg-tokens-1", ",\"max_tokens\":100");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("200");
        long remainingAfterFirst = Long.parseLong(first.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertThat(remainingAfterFirst).isLessThan(100); // the whole estimate was taken
        HttpResponse<String> second = chat("sk-tg-tokens-1", ",\"max_tokens\":100");
        assertThat(second.statusCode()).isEqualTo(200); // admitted only because the first settled at 25 tokens
        long remainingAfterSecond = Long.parseLong(second.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
        assertThat(remainingAfterSecond).isEqualTo(remainingAfterFirst - 25); // 25 real tokens plus one new estimate
    }

    @Test
    void aRequestEstimatedAboveTheTokenLimitIsRefusedWithAHint() throws Exception {
        HttpResponse<String> refused = chat("sk-tg-tokens-1", ",\"max_tokens\":5000");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(refused.body()).at("/error/message").asText()).contains("tokens per minute").contains("lower max_tokens");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void keysWithoutLimitsGetNoRateLimitHeaders() throws Exception {
        HttpResponse<String> ok = chat("sk-tg-free-key-1", "");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    }

    @Test
    void aKeyAllowedOneRequestAtATimeIsNeverRefusedWhenItWaitsForEachAnswer() throws Exception {
        // Each answer is written after its call released the slot (ModelPipeline.handle), and carries its length.
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> ok = chat("sk-tg-one-at-a-time-1", "");
            assertThat(ok.statusCode()).as("request %d: %s", i, ok.body()).isEqualTo(200);
            assertThat(ok.headers().firstValueAsLong("content-length")).hasValue(ok.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }
}
