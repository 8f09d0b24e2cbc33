package dev.tollgate.gateway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.UpstreamException.Kind;
import dev.tollgate.gateway.testing.FakeUpstream;
import dev.tollgate.gateway.testing.FakeUpstream.Reply;
import dev.tollgate.gateway.usage.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one HTTP shell, over real HTTP with a translator that only echoes: it sends what the translator builds, gives the
 * translator the answer with its headers, and hands a non-2xx answer (whole or streamed) to the translator's error
 * mapping with its status, headers and body.
 */
class UpstreamShellTest {

    private final FakeUpstream upstream = new FakeUpstream();
    private final UpstreamHttp http = new UpstreamHttp(Duration.ofSeconds(2));
    private final Provider provider = new UpstreamShell("echo", http, new EchoTranslator());

    @AfterEach
    void stop() {
        http.close();
        upstream.close();
    }

    @Test
    void sendsWhatTheTranslatorBuildsAndGivesItTheAnswerWithItsHeaders() {
        upstream.respond(r -> Reply.json(200, "{\"text\":\"hi\"}", Map.of("x-upstream-id", "u-1")));

        ProviderResponse response = provider.call(request(false));

        assertThat(upstream.last().path()).isEqualTo("/v9/echo");
        assertThat(upstream.last().header("x-echo-key")).isEqualTo("k");
        assertThat(upstream.last().json().path("asked").asText()).isEqualTo("whole");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"hi\"}");
        assertThat(response.text()).isEqualTo("u-1");
    }

    @Test
    void errorAnswerGoesToTheTranslatorsMappingWithStatusHeadersAndBody() {
        upstream.respond(r -> Reply.json(429, "{\"why\":\"slow down\"}", Map.of("retry-after", "7")));

        assertThatThrownBy(() -> provider.call(request(false))).isInstanceOfSatisfying(UpstreamException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.getMessage()).isEqualTo("429 retry-after=7 {\"why\":\"slow down\"}");
        });
    }

    @Test
    void streamIsReadByTheTranslatorAndAStreamedErrorIsMappedLikeAWholeOne() throws IOException {
        upstream.respond(r -> Reply.sse(List.of("data: one\n\n", "data: two\n\n")));
        List<String> chunks = new ArrayList<>();

        StreamResult result = provider.stream(request(true), (chunk, raw) -> chunks.add(chunk.path("line").asText()));

        assertThat(chunks).containsExactly("data: one", "data: two");
        assertThat(result.usage().completionTokens()).isEqualTo(2);

        upstream.respond(r -> Reply.json(503, "{\"why\":\"down\"}"));
        assertThatThrownBy(() -> provider.stream(request(true), (chunk, raw) -> chunks.add("unexpected")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.getMessage()).startsWith("503 ").endsWith("{\"why\":\"down\"}"));
        assertThat(chunks).hasSize(2);
    }

    private ProviderRequest request(boolean stream) {
        BackendConfig backend = new BackendConfig("b", "echo", "m", URI.create(upstream.baseUrl()), "k", 1, 0, null, null, null, null, null, null, null);
        return new ProviderRequest("req-1", Endpoint.CHAT, backend, Json.MAPPER.createObjectNode(), stream, false, Duration.ofSeconds(5),
                false, Duration.ofSeconds(1), null);
    }

    /** Posts {@code {"asked": whole|stream}} to {@code /v9/echo}; answers echo the upstream's bytes, lines and headers. */
    private static final class EchoTranslator implements Translator {

        @Override
        public UpstreamRequest request(ProviderRequest request) {
            return new UpstreamRequest(UpstreamRequest.under(request.backend().baseUrl(), "/v9/echo"), Map.of("x-echo-key", request.backend().apiKey()),
                    Json.bytes(Json.MAPPER.createObjectNode().put("asked", request.stream() ? "stream" : "whole")));
        }

        @Override
        public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
            return new ProviderResponse(body, null, headers.first("X-Upstream-Id"));
        }

        @Override
        public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
            return new UpstreamException(Kind.CLIENT_ERROR, status, "api_error", null,
                    status + " retry-after=" + headers.firstValue("retry-after").orElse("-") + " " + new String(body, StandardCharsets.UTF_8), null);
        }

        @Override
        public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException {
            int lines = 0;
            for (String line : new String(body.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    JsonNode chunk = Json.MAPPER.createObjectNode().put("line", line);
                    sink.send(chunk, null);
                    lines++;
                }
            }
            return new StreamResult(new Usage(0, lines, 0, 0, false));
        }
    }
}
