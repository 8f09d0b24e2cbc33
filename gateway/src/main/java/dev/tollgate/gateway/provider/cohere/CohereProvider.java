package dev.tollgate.gateway.provider.cohere;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * Cohere's v2 Chat API ({@code POST /v2/chat}, {@code Authorization: Bearer}): messages, tools and tool results,
 * finish reasons, the SSE stream ({@code message-start}, {@code content-delta}, {@code tool-call-*},
 * {@code message-end}) and {@code billed_units} usage.
 */
public final class CohereProvider implements Provider {

    public static final String ID = "cohere";
    public static final String DEFAULT_BASE_URL = "https://api.cohere.com";

    private final UpstreamHttp http;

    public CohereProvider(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderResponse call(ProviderRequest request) {
        BackendConfig backend = request.backend();
        byte[] body = Json.bytes(CohereRequests.translate(request));
        UpstreamCalls.JsonAnswer answer = UpstreamCalls.postForJson(http, request, uri(backend), UpstreamCalls.bearerHeaders(request, "text/event-stream"), body,
                (status, r, bytes) -> CohereResponses.error(backend.name(), status, UpstreamErrors.retryAfter(r.headers()), bytes));
        JsonNode json = answer.json();
        if (json == null || !json.has("message")) {
            throw UpstreamException.badResponse(backend.name(), "no message");
        }
        Usage usage = CohereResponses.usage(json.get("usage"));
        OpenAiChat.Choice choice = CohereResponses.choice(json);
        String id = json.path("id").asText("chatcmpl-" + request.requestId());
        byte[] out = Json.bytes(OpenAiChat.completion(id, backend.model(), System.currentTimeMillis() / 1000, List.of(choice), usage));
        return new ProviderResponse(out, usage, usage == null ? choice.content() : null);
    }

    @Override
    public StreamResult stream(ProviderRequest request, ChunkSink sink) throws IOException {
        BackendConfig backend = request.backend();
        byte[] body = Json.bytes(CohereRequests.translate(request));
        UpstreamResponse<InputStream> response = UpstreamCalls.postForStream(http, request, uri(backend), UpstreamCalls.bearerHeaders(request, "text/event-stream"), body,
                (status, r, bytes) -> CohereResponses.error(backend.name(), status, UpstreamErrors.retryAfter(r.headers()), bytes));
        return UpstreamCalls.read(response, in -> {
            ChunkEmitter out = new ChunkEmitter(sink, "chatcmpl-" + request.requestId(), backend.model(), request.clientWantsUsage());
            return CohereStream.relay(backend.name(), new SseEvents(in, backend.name()), out);
        });
    }

    private static URI uri(BackendConfig backend) {
        return UpstreamCalls.endpoint(backend, "/v2/chat");
    }
}
