package dev.tollgate.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.config.BackendConfig;
import dev.tollgate.gateway.json.Json;
import dev.tollgate.gateway.provider.ChunkSink;
import dev.tollgate.gateway.provider.ProviderRequest;
import dev.tollgate.gateway.provider.ProviderResponse;
import dev.tollgate.gateway.provider.ResponseHeaders;
import dev.tollgate.gateway.provider.StreamResult;
import dev.tollgate.gateway.provider.Translator;
import dev.tollgate.gateway.provider.UpstreamException;
import dev.tollgate.gateway.provider.UpstreamRequest;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.JsonAnswer;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}, {@code x-api-key}, {@code anthropic-version}): system prompt,
 * multi-turn, images, tools and tool results, stop reasons, streaming events and prompt-cache usage.
 */
public final class AnthropicTranslator implements Translator {

    public static final String DEFAULT_VERSION = "2023-06-01";

    @Override
    public UpstreamRequest request(ProviderRequest request) {
        byte[] body = Json.bytes(AnthropicRequests.translate(request));
        return new UpstreamRequest(uri(request.backend()), headers(request), body);
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        BackendConfig backend = request.backend();
        JsonNode message = message(backend.name(), body);
        Usage usage = AnthropicResponses.usage(message.get("usage"));
        OpenAiChat.Choice choice = AnthropicResponses.choice(message);
        return OpenAiChat.answer(message.path("id").asText(), message.path("model").asText(backend.model()),
                System.currentTimeMillis() / 1000, List.of(choice), usage);
    }

    @Override
    public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return AnthropicResponses.error(request.backend().name(), status, UpstreamErrors.retryAfter(headers), body);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        ChunkEmitter out = ChunkEmitter.of(sink, request);
        return AnthropicStream.relay(backend.name(), new SseEvents(body, backend.name()), out);
    }

    @Override
    public Translator anthropicMessages(ObjectNode messagesBody, String anthropicBeta) {
        return new MessagesPassThrough(messagesBody, anthropicBeta);
    }

    @Override
    public Translator anthropicTokenCount(ObjectNode messagesBody, String anthropicBeta) {
        return new TokenCount(messagesBody, anthropicBeta);
    }

    /** The answer as a {@code message} object; anything else is a bad response. */
    static JsonNode message(String backend, byte[] body) {
        JsonNode message = JsonAnswer.object(backend, body);
        if (!message.path("type").asText().equals("message")) {
            throw UpstreamException.badResponse(backend, "not a message");
        }
        return message;
    }

    static URI uri(BackendConfig backend) {
        return UpstreamRequest.under(backend.baseUrl(), "/v1/messages");
    }

    static Map<String, String> headers(ProviderRequest request) {
        BackendConfig backend = request.backend();
        Map<String, String> headers = new HashMap<>(6);
        if (backend.apiKey() != null && !backend.apiKey().isEmpty()) {
            headers.put("x-api-key", backend.apiKey());
        }
        headers.put("anthropic-version", backend.apiVersion() != null ? backend.apiVersion() : DEFAULT_VERSION);
        headers.put("accept", request.stream() ? "text/event-stream" : "application/json");
        headers.put("x-request-id", request.requestId());
        return headers;
    }

    /** {@link #headers(ProviderRequest)} with the client's {@code anthropic-beta}, when it sent one. */
    static Map<String, String> headers(ProviderRequest request, String anthropicBeta) {
        Map<String, String> headers = headers(request);
        if (anthropicBeta != null && !anthropicBeta.isBlank()) {
            headers.put("anthropic-beta", anthropicBeta);
        }
        return headers;
    }
}
