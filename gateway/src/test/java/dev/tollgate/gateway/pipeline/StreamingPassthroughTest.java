package dev.tollgate.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.testing.FakeOpenAiUpstream;
import dev.tollgate.gateway.testing.Http;
import dev.tollgate.gateway.testing.LedgerRows;
import dev.tollgate.gateway.testing.TestGateways;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Streams pass through chunk by chunk, the ledger gets the upstream's usage, and unknown fields reach the upstream. */
class StreamingPassthroughTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-tg-stream-key-1";

    @TempDir
    Path dir;
    FakeOpenAiUpstream upstream;
    Gateway gateway;
    Http http;

    @BeforeEach
    void start() {
        upstream = new FakeOpenAiUpstream().chunkDelayMillis(20).usage(42, 6, 10);
        gateway = TestGateways.start(TestGateways.gatewayBlock(dir) + """
                routes:
                  - model: gpt-4o-mini
                    backends:
                      - name: fake
                        provider: openai
                        model: gpt-4o-mini
                        baseUrl: %s
                        pricing: { inputPerMillion: 0.15, outputPerMillion: 0.60, cachedInputPerMillion: 0.075 }
                  - model: fast
                    backends:
                      - name: fake-alias
                        provider: openai
                        model: gpt-4o-mini
                        baseUrl: %1$s
                keys:
                  - { name: streamer, team: web, key: %s }
                """.formatted(upstream.baseUrl(), KEY));
        http = new Http(gateway.port());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void firstChunkReachesTheClientBeforeTheUpstreamFinishes() throws Exception {
        CountDownLatch upstreamHeld = upstream.holdLastChunk();
        HttpResponse<InputStream> response = http.postStreaming("/v1/chat/completions", KEY,
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        BufferedReader reader = events(response);

        String first = nextData(reader);
        // The upstream is still holding its last chunk: the gateway must not have buffered the answer.
        assertThat(upstream.streamsFinished()).isZero();
        assertThat(first).contains("\"role\":\"assistant\"");
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("x-tollgate-backend")).contains("fake");

        upstreamHeld.countDown();
        List<String> rest = remainingData(reader);
        assertThat(rest.getLast()).isEqualTo("[DONE]");
        // the client did not ask for usage: the usage-only chunk the gateway requested is hidden
        assertThat(rest).noneMatch(d -> d.contains("\"usage\":{"));
        assertThat(upstream.received().getFirst().body().path("stream_options").path("include_usage").asBoolean()).isTrue();

        String requestId = response.headers().firstValue("x-request-id").orElseThrow();
        Map<String, Object> row = LedgerRows.byRequestId(gateway, requestId);
        assertThat(LedgerRows.asLong(row.get("prompt_tokens"))).isEqualTo(42);
        assertThat(LedgerRows.asLong(row.get("completion_tokens"))).isEqualTo(6);
        assertThat(LedgerRows.asLong(row.get("cached_tokens"))).isEqualTo(10);
        assertThat(LedgerRows.asLong(row.get("streamed"))).isEqualTo(1);
        assertThat(LedgerRows.asLong(row.get("estimated"))).isEqualTo(0);
        assertThat(row.get("first_token_at")).isNotNull();
        // 32 uncached x 0.15 + 10 cached x 0.075 + 6 x 0.60, per million
        BigDecimal expected = new BigDecimal("0.00000915");
        assertThat(new BigDecimal(LedgerRows.asLong(row.get("cost_pico"))).movePointLeft(12)).isEqualByComparingTo(expected);
    }

    @Test
    void fieldsTheGatewayDoesNotInterpretReachTheUpstreamUnchanged() throws Exception {
        String body = """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
                 "tool_choice":"auto","response_format":{"type":"json_object"},"seed":7,"logprobs":true,"top_logprobs":2,
                 "temperature":0.2,"user":"u-1","metadata":{"a":"b"}}""";

        HttpResponse<String> response = http.post("/v1/chat/completions", KEY, body);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode sent = upstream.received().getFirst().body();
        JsonNode original = JSON.readTree(body);
        for (String field : List.of("tools", "tool_choice", "response_format", "seed", "logprobs", "top_logprobs", "temperature", "user", "metadata", "messages")) {
            assertThat(sent.get(field)).as(field).isEqualTo(original.get(field));
        }
        assertThat(sent.has("stream_options")).isFalse();
        assertThat(response.headers().firstValue("x-tollgate-cost-usd")).isPresent();
    }

    @Test
    void chunksThatArriveTogetherAllReachTheClientInOrder() throws Exception {
        upstream.burst().words("one", " two", " three");
        HttpResponse<InputStream> response = http.postStreaming("/v1/chat/completions", KEY,
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");
        List<String> data = remainingData(events(response));

        // role chunk, three words, finish chunk, [DONE]; the usage chunk (last before [DONE]) stays hidden
        assertThat(data).hasSize(6);
        assertThat(data.get(0)).contains("\"role\":\"assistant\"");
        assertThat(data.subList(1, 4)).satisfiesExactly(d -> assertThat(d).contains("\"content\":\"one\""),
                d -> assertThat(d).contains("\"content\":\" two\""), d -> assertThat(d).contains("\"content\":\" three\""));
        assertThat(data.get(4)).contains("\"finish_reason\":\"stop\"");
        assertThat(data.getLast()).isEqualTo("[DONE]");
        Map<String, Object> row = LedgerRows.byRequestId(gateway, response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(LedgerRows.asLong(row.get("prompt_tokens"))).isEqualTo(42);
        assertThat(LedgerRows.asLong(row.get("estimated"))).isZero();
    }

    @Test
    void answersAndChunksManyTimesLargerThanTheConnectionBuffersArriveWhole() throws Exception {
        // The upstream client reads, and the server writes, through 4 KiB buffers; multi-byte characters then fall
        // across buffer boundaries too.
        String big = "é€😀 ".repeat(6_000) + "end";
        upstream.burst().words("start ", big, " ", big);
        String request = "{\"model\":\"gpt-4o-mini\",%s\"messages\":[{\"role\":\"user\",\"content\":\"long\"}]}";

        HttpResponse<String> whole = http.post("/v1/chat/completions", KEY, request.formatted(""));
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(whole.body()).at("/choices/0/message/content").asText()).isEqualTo("start " + big + " " + big);

        HttpResponse<InputStream> streamed = http.postStreaming("/v1/chat/completions", KEY, request.formatted("\"stream\":true,"));
        List<String> data = remainingData(events(streamed));
        StringBuilder text = new StringBuilder();
        for (String d : data.subList(0, data.size() - 1)) {
            text.append(JSON.readTree(d).at("/choices/0/delta/content").asText());
        }
        assertThat(data.getLast()).isEqualTo("[DONE]");
        assertThat(text.toString()).isEqualTo("start " + big + " " + big);
    }

    @Test
    void moreStreamsThanTheServersPlatformThreadsAreAllServedAtOnce() throws Exception {
        int streams = 150; // the server's platform thread pool has 64 threads; each request gets a virtual thread
        upstream.chunkDelayMillis(2_000).words("a", "b");
        String request = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        List<Future<String>> lastEvents = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                lastEvents.add(clients.submit(() ->
                        remainingData(events(http.postStreaming("/v1/chat/completions", KEY, request))).getLast()));
            }
            for (Future<String> last : lastEvents) {
                assertThat(last.get(60, TimeUnit.SECONDS)).isEqualTo("[DONE]");
            }
        }
        assertThat(upstream.maxInFlight()).as("streams open upstream at the same time").isEqualTo(streams);
    }

    @Test
    void aWholeAnswerRequestGoesUpstreamAsTheClientsBytesWhenTheModelNameIsTheBackends() {
        String body = "{ \"messages\": [{\"role\":\"user\",\"content\":\"hi\"}],\n  \"temperature\": 0.50, \"model\": \"gpt-4o-mini\" }";

        assertThat(http.post("/v1/chat/completions", KEY, body).statusCode()).isEqualTo(200);
        assertThat(upstream.received().getFirst().rawBody()).as("spacing, key order and 0.50 kept").isEqualTo(body);

        assertThat(http.post("/v1/chat/completions", KEY, body.replace("gpt-4o-mini", "fast")).statusCode()).isEqualTo(200);
        JsonNode rewritten = upstream.received().get(1).body();
        assertThat(rewritten.get("model").asText()).as("the backend's model name replaces the route's").isEqualTo("gpt-4o-mini");
        assertThat(rewritten.get("temperature").asDouble()).isEqualTo(0.5);
    }

    @Test
    void usageTheUpstreamDoesNotReportIsCountedAndMarkedEstimated() {
        upstream.reportUsage(false);

        HttpResponse<String> response = http.post("/v1/chat/completions", KEY,
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");

        Map<String, Object> row = LedgerRows.byRequestId(gateway, response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(LedgerRows.asLong(row.get("estimated"))).isEqualTo(1);
        assertThat(LedgerRows.asLong(row.get("prompt_tokens"))).isPositive();
        assertThat(LedgerRows.asLong(row.get("completion_tokens"))).isPositive();
    }

    @Test
    void anUpstreamFailureAfterTheFirstChunkEndsTheStreamWithAnErrorEvent() throws Exception {
        CountDownLatch held = upstream.holdLastChunk();
        HttpResponse<InputStream> response = http.postStreaming("/v1/chat/completions", KEY,
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        BufferedReader reader = events(response);
        assertThat(nextData(reader)).contains("assistant");

        upstream.close(); // the upstream goes away mid-stream
        held.countDown();
        List<String> rest = remainingData(reader);

        assertThat(rest).anyMatch(d -> d.startsWith("{\"error\""));
        Map<String, Object> row = LedgerRows.byRequestId(gateway, response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(row.get("error_type")).isNotNull();
    }

    private static BufferedReader events(HttpResponse<InputStream> response) {
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** The data of every event left in the stream, up to its end. */
    private static List<String> remainingData(BufferedReader reader) throws java.io.IOException {
        List<String> data = new ArrayList<>();
        for (String d = nextData(reader); d != null; d = nextData(reader)) {
            data.add(d);
        }
        return data;
    }

    private static String nextData(BufferedReader reader) throws java.io.IOException {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
        return null;
    }
}
