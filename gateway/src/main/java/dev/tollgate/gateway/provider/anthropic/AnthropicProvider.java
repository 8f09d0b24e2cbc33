package dev.tollgate.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.Provider;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamHttp;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.provider.translate.UpstreamCalls;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import dev.tollgate.gateway.provider.UpstreamResponse;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, {@code x-api-key}, {@code anthropic-version}): system prompt,
 * multi-turn, images, tools and tool results, stop reasons, streaming events and prompt-cache usage.
 */
public final class AnthropicProvider implements Provider {

    public static final String ID = "anthropic";
    public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    public static final String DEFAULT_VERSION = "2023-06-01";

    /** The request fields {@code /v1/messages/count_tokens} takes. */
    private static final List<String> COUNT_TOKENS_FIELDS = List.of("model", "messages", "system", "tools", "tool_choice",
            "thinking", "mcp_servers");

    private final UpstreamHttp http;

    public AnthropicProvider(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        BackendConfig backend = request.backend();
        byte[] body = Json.bytes(AnthropicRequests.translate(request));
        UpstreamCalls.JsonAnswer answer = UpstreamCalls.postForJson(http, request, uri(backend), headers(request), body,
                (status, r, bytes) -> AnthropicResponses.error(backend.name(), status, UpstreamErrors.retryAfter(r.headers()), bytes));
        JsonNode message = answer.json();
        if (message == null || !message.path("type").asText().equals("message")) {
            throw UpstreamException.badResponse(backend.name(), "not a message");
        }
        Usage usage = AnthropicResponses.usage(message.get("usage"));
        OpenAiChat.Choice choice = AnthropicResponses.choice(message);
        byte[] out = Json.bytes(OpenAiChat.completion(message.path("id").asText(), message.path("model").asText(backend.model()),
                System.currentTimeMillis() / 1000, List.of(choice), usage));
        return new ProviderResponse(out, usage, usage == null ? choice.content() : null);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        byte[] body = Json.bytes(AnthropicRequests.translate(request));
        UpstreamResponse<InputStream> response = UpstreamCalls.postForStream(http, request, uri(backend), headers(request), body,
                (status, r, bytes) -> AnthropicResponses.error(backend.name(), status, UpstreamErrors.retryAfter(r.headers()), bytes));
        return UpstreamCalls.read(response, in -> {
            ChunkEmitter out = new ChunkEmitter(sink, "chatcmpl-" + request.requestId(), backend.model(), request.clientWantsUsage());
            return AnthropicStream.relay(backend.name(), new SseEvents(in, backend.name()), out);
        });
    }

    /**
     * Passes a client's own Messages API request through unchanged but for {@code model} (the backend's) and
     * {@code stream}; the answer's body is Anthropic's message as the upstream sent it.
     *
     * @param anthropicBeta the client's {@code anthropic-beta} header, forwarded when not null
     */
    public ProviderResponse callNative(ProviderRequest request, ObjectNode messagesBody, String anthropicBeta) {
        BackendConfig backend = request.backend();
        byte[] body = Json.bytes(nativeBody(request, messagesBody));
        UpstreamCalls.JsonAnswer answer = UpstreamCalls.postForJson(http, request, uri(backend), nativeHeaders(request, anthropicBeta), body,
                (status, r, bytes) -> AnthropicResponses.error(backend.name(), status, UpstreamErrors.retryAfter(r.headers()), bytes));
        UpstreamResponse<byte[]> response = answer.response();
        JsonNode message = answer.json();
        if (message == null || !message.path("type").asText().equals("message")) {
            throw UpstreamException.badResponse(backend.name(), "not a message");
        }
        Usage usage = AnthropicResponses.usage(message.get("usage"));
        return new ProviderResponse(response.body(), usage, usage == null ? AnthropicResponses.choice(message).content() : null);
    }

    /**
     * Streams a client's own Messages API request, relaying every upstream event unchanged to {@code sink}: each is
     * sent as its parsed data (whose {@code type} is the event name) with its raw bytes, for a sink that writes the
     * Messages API's own event stream.
     */
    public StreamResult streamNative(ProviderRequest request, ObjectNode messagesBody, String anthropicBeta, ChunkSink sink)
            throws IOException {
        BackendConfig backend = request.backend();
        byte[] body = Json.bytes(nativeBody(request, messagesBody));
        UpstreamResponse<InputStream> response = UpstreamCalls.postForStream(http, request, uri(backend), nativeHeaders(request, anthropicBeta), body,
                (status, r, bytes) -> AnthropicResponses.error(backend.name(), status, UpstreamErrors.retryAfter(r.headers()), bytes));
        return UpstreamCalls.read(response, in -> AnthropicStream.passThrough(backend.name(), new SseEvents(in, backend.name()), sink));
    }

    /**
     * Anthropic's own count of a Messages API request's input tokens ({@code POST /v1/messages/count_tokens}). Only the
     * fields that endpoint takes are sent (it refuses others, such as {@code max_tokens}); {@code model} is the backend's.
     *
     * @param anthropicBeta the client's {@code anthropic-beta} header, forwarded when not null
     */
    public long countTokens(ProviderRequest request, ObjectNode messagesBody, String anthropicBeta) {
        BackendConfig backend = request.backend();
        ObjectNode body = Json.MAPPER.createObjectNode();
        for (String field : COUNT_TOKENS_FIELDS) {
            if (messagesBody.has(field)) {
                body.set(field, messagesBody.get(field));
            }
        }
        body.put("model", backend.model());
        JsonNode answer = UpstreamCalls.postForJson(http, request, UpstreamCalls.endpoint(backend, "/v1/messages/count_tokens"),
                nativeHeaders(request, anthropicBeta), Json.bytes(body),
                (status, r, bytes) -> AnthropicResponses.error(backend.name(), status, UpstreamErrors.retryAfter(r.headers()), bytes))
                .json();
        JsonNode tokens = answer.get("input_tokens");
        if (tokens == null || !tokens.isIntegralNumber() || !tokens.canConvertToLong() || tokens.longValue() < 0) {
            throw UpstreamException.badResponse(backend.name(), "no input_tokens");
        }
        return tokens.longValue();
    }

    private static ObjectNode nativeBody(ProviderRequest request, ObjectNode messagesBody) {
        ObjectNode body = messagesBody.deepCopy();
        body.put("model", request.backend().model());
        if (request.stream()) {
            body.put("stream", true);
        } else {
            body.remove("stream");
        }
        return body;
    }

    private static Map<String, String> nativeHeaders(ProviderRequest request, String anthropicBeta) {
        Map<String, String> headers = headers(request);
        if (anthropicBeta != null && !anthropicBeta.isBlank()) {
            headers.put("anthropic-beta", anthropicBeta);
        }
        return headers;
    }

    private static URI uri(BackendConfig backend) {
        return UpstreamCalls.endpoint(backend, "/v1/messages");
    }

    private static Map<String, String> headers(ProviderRequest request) {
        BackendConfig backend = request.backend();
        java.util.HashMap<String, String> headers = new java.util.HashMap<>(6);
        if (backend.apiKey() != null && !backend.apiKey().isEmpty()) {
            headers.put("x-api-key", backend.apiKey());
        }
        headers.put("anthropic-version", backend.apiVersion() != null ? backend.apiVersion() : DEFAULT_VERSION);
        headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("x-request-id", request.requestId());
        return headers;
    }
}
