package dev.tollgate.gateway.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.tollgate.gateway.provider.translate.BearerHeaders;
import dev.tollgate.gateway.provider.translate.ChunkEmitter;
import dev.tollgate.gateway.provider.translate.JsonAnswer;
import dev.tollgate.gateway.provider.translate.OpenAiChat;
import dev.tollgate.gateway.provider.translate.SseEvents;
import dev.tollgate.gateway.provider.translate.UpstreamErrors;
import dev.tollgate.gateway.usage.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.List;

/**
 * Cohere's v2 Chat API ({@code POST /v2/chat}, {@code Authorization: Bearer}): messages, tools and tool results,
 * finish reasons, the SSE stream ({@code message-start}, {@code content-delta}, {@code tool-call-*},
 * {@code message-end}) and {@code billed_units} usage.
 */
public final class CohereTranslator implements Translator {

    @Override
    public UpstreamRequest request(ProviderRequest request) {
        byte[] body = Json.bytes(CohereRequests.translate(request));
        return new UpstreamRequest(UpstreamRequest.under(request.backend().baseUrl(), "/v2/chat"),
                BearerHeaders.of(request, "text/event-stream"), body);
    }

    @Override
    public UpstreamException error(ProviderRequest request, int status, HttpHeaders headers, byte[] body) {
        return CohereResponses.error(request.backend().name(), status, UpstreamErrors.retryAfter(headers), body);
    }

    @Override
    public ProviderResponse answer(ProviderRequest request, ResponseHeaders headers, byte[] body) {
        BackendConfig backend = request.backend();
        JsonNode json = JsonAnswer.object(backend.name(), body);
        if (!json.has("message")) {
            throw UpstreamException.badResponse(backend.name(), "no message");
        }
        Usage usage = CohereResponses.usage(json.get("usage"));
        OpenAiChat.Choice choice = CohereResponses.choice(json);
        String id = json.path("id").asText("chatcmpl-" + request.requestId());
        byte[] out = Json.bytes(OpenAiChat.completion(id, backend.model(), System.currentTimeMillis() / 1000, List.of(choice), usage));
        return new ProviderResponse(out, usage, usage == null ? choice.content() : null);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ResponseHeaders headers, InputStream body, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        ChunkEmitter out = new ChunkEmitter(sink, "chatcmpl-" + request.requestId(), backend.model(), request.clientWantsUsage());
        return CohereStream.relay(backend.name(), new SseEvents(body, backend.name()), out);
    }
}
